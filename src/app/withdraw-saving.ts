import type { Store } from '../store/database.js';
import { checkTransition, closeStep, decide, refuse, type DecisionRequest, type SavingDecision, type SavingFailure } from './saving-decision.js';

/** The proposer withdraws their saving. */
export type WithdrawSavingRequest = DecisionRequest;

/**
 * proposed | validated | recognized → withdrawn, by the proposer only; a recognized saving's budget
 * revisions are reversed. Submitted again by the proposer it returns `alreadyDone`.
 */
export function withdrawSaving(store: Store, request: WithdrawSavingRequest): Promise<SavingDecision | SavingFailure> {
  return decide(
    store,
    request,
    (s, p) => s.status === 'withdrawn' && s.closedBy === p.id,
    async ({ tx, saving, person }) => {
      if (person.id !== saving.proposer) {
        return refuse('FORBIDDEN', `only the proposer (${saving.proposer}) may withdraw ${saving.id}; itfm may reject it instead`, saving);
      }
      const refusal = checkTransition(saving, 'withdraw');
      if (refusal) return refusal;
      return closeStep(tx, saving, person, 'withdraw', undefined, request.surface);
    },
  );
}
