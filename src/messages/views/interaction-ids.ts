// The ids that tie a rendered button or form to the handler that runs its use case. Adapters
// dispatch on these; views put them on buttons and forms. Changing one breaks buttons in messages
// already posted, so add new ids rather than renaming.

/** Button action ids (Slack action_id, Teams Action.Execute verb). */
export const actionIds = {
  claimItem: 'unattributed.claim',
  notMineItem: 'unattributed.not-mine',
  approveSaving: 'saving.approve',
  rejectSaving: 'saving.reject',
  explainVariance: 'variance.explain',
  classifySpend: 'spend.classify',
} as const;

/** Form callback ids (Slack view callback_id, Teams submit verb). */
export const formIds = {
  claimItem: 'unattributed.claim.submit',
  notMineItem: 'unattributed.not-mine.submit',
  approveSaving: 'saving.approve.submit',
  rejectSaving: 'saving.reject.submit',
  explainVariance: 'variance.explain.submit',
  classifySpend: 'spend.classify.submit',
} as const;

/** Option sources of search selects (Slack block_suggestion, Teams Data.Query dataset). */
export const optionSources = {
  costCenters: 'cost-centers',
  /** The cost centers the person may claim for (the claim form). */
  claimableCostCenters: 'claimable-cost-centers',
} as const;
