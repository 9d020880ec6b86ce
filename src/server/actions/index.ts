import type { ChatAction } from './chat-action.js';
import { acknowledgeAction } from './acknowledge-action.js';
import { claimItemAction } from './claim-item-action.js';
import { notMineAction } from './not-mine-action.js';
import { approveSavingAction } from './approve-saving-action.js';
import { rejectSavingAction } from './reject-saving-action.js';
import { explainVarianceAction } from './explain-variance-action.js';
import { classifySpendAction } from './classify-spend-action.js';
import { viewAllActions } from './view-all-action.js';

/**
 * Every button handler, by action id. Registration points for the flows of issues 3-5: `claim`,
 * `not-mine`, `approve-saving`, `reject-saving`, `explain-variance`, `classify-spend` (and their
 * form submissions) are added here as `ChatAction`s, one file each in this folder.
 */
export const chatActions: readonly ChatAction[] = [
  acknowledgeAction,
  claimItemAction,
  notMineAction,
  approveSavingAction,
  rejectSavingAction,
  explainVarianceAction,
  classifySpendAction,
  ...viewAllActions,
];
