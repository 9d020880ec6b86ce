import type { SavingStatus } from './saving.js';

/** A decision that moves a saving to another state. */
export type SavingAction = 'validate' | 'recognize' | 'reject' | 'withdraw';

/** The state each action leads to. */
export const actionTarget: Readonly<Record<SavingAction, SavingStatus>> = {
  validate: 'validated',
  recognize: 'recognized',
  reject: 'rejected',
  withdraw: 'withdrawn',
};

/** The states each action may start from. */
export const actionSources: Readonly<Record<SavingAction, readonly SavingStatus[]>> = {
  validate: ['proposed'],
  recognize: ['validated'],
  // After recognition both still apply: they reverse the budget revision.
  reject: ['proposed', 'validated', 'recognized'],
  withdraw: ['proposed', 'validated', 'recognized'],
};


/** Why `action` is not allowed from `status`, or undefined when it is. */
export function illegalTransition(id: string, status: SavingStatus, action: SavingAction): string | undefined {
  const sources = actionSources[action];
  if (sources.includes(status)) return undefined;
  const verb = actionTarget[action];
  const terminal = status === 'rejected' || status === 'withdrawn' ? ` (${status} is final)` : '';
  return `${id} is ${status}${terminal}; only a saving that is ${sources.join(' or ')} can be ${verb}`;
}
