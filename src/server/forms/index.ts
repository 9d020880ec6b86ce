import type { ChatForm } from './chat-form.js';
import type { OptionsSource } from './options-source.js';
import { costCenterOptions } from './cost-center-options.js';

/**
 * Every form handler, by callback id. Registration points for the claim, not-mine, approve, reject,
 * explain and classify forms of issues 3-5 (one file each in this folder).
 */
export const chatForms: readonly ChatForm[] = [];

/** Every searchable-select source, by id. */
export const optionsSources: readonly OptionsSource[] = [costCenterOptions];
