import type { SavingStatus } from './saving.js';

/** A decision that moves a saving to another state. */
export type SavingAction = 'validate' | 'recognize' | 'reject' | 'withdraw' | 'reverse';

/** The state each action leads to. */
export const actionTarget: Readonly<Record<SavingAction, SavingStatus>> = {
  validate: 'validated',
  recognize: 'recognized',
  reject: 'rejected',
  withdraw: 'withdrawn',
  // Undoing a recognition takes the saving back to validated (its budget revisions reversed).
  reverse: 'validated',
};

/** The states each action may start from. */
export const actionSources: Readonly<Record<SavingAction, readonly SavingStatus[]>> = {
  validate: ['proposed'],
  recognize: ['validated'],
  // Never from recognized: a decision must not silently undo a recognition (a stale Reject racing an
  // approval would); undoing one is its own decision, `reverse`, and then reject or withdraw apply.
  reject: ['proposed', 'validated'],
  withdraw: ['proposed', 'validated'],
  reverse: ['recognized'],
};


/** Why `action` is not allowed from `status`, or undefined when it is. */
export function illegalTransition(id: string, status: SavingStatus, action: SavingAction): string | undefined {
  const sources = actionSources[action];
  if (sources.includes(status)) return undefined;
  const verb = action === 'reverse' ? 'reversed' : actionTarget[action];
  const terminal = status === 'rejected' || status === 'withdrawn' ? ` (${status} is final)` : '';
  const undo = status === 'recognized' ? `; to undo its recognition: costbridge savings reverse ${id} --reason "..." (itfm)` : '';
  return `${id} is ${status}${terminal}; only a saving that is ${sources.join(' or ')} can be ${verb}${undo}`;
}
