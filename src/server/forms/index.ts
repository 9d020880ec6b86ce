import type { ChatForm } from './chat-form.js';
import type { OptionsSource } from './options-source.js';
import { costCenterOptions } from './cost-center-options.js';
import { claimableCostCenterOptions } from './claimable-cost-center-options.js';
import { claimItemForm } from './claim-item-form.js';
import { notMineItemForm } from './not-mine-item-form.js';
import { approveSavingSubmit } from './approve-saving-submit.js';
import { rejectSavingSubmit } from './reject-saving-submit.js';
import { explainVarianceSubmit } from './explain-variance-submit.js';
import { classifySpendSubmit } from './classify-spend-submit.js';

/**
 * Every form handler, by callback id. Registration points for the claim, not-mine, approve, reject,
 * explain and classify forms of issues 3-5 (one file each in this folder).
 */
export const chatForms: readonly ChatForm[] = [claimItemForm, notMineItemForm, approveSavingSubmit, rejectSavingSubmit, explainVarianceSubmit, classifySpendSubmit];

/** Every searchable-select source, by id. */
export const optionsSources: readonly OptionsSource[] = [costCenterOptions, claimableCostCenterOptions];
