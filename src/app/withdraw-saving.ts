import type { Store } from '../store/database.js';
import { recordRefusal } from './authorization-policy.js';
import { checkTransition, closeStep, decide, refuse, type DecisionRequest, type SavingDecision, type SavingFailure } from './saving-decision.js';

/** The proposer withdraws their saving. */
export type WithdrawSavingRequest = DecisionRequest;

/**
 * proposed | validated → withdrawn, by the proposer only (a recognized saving is ITFM's decision:
 * it is reversed first). Submitted again by the proposer it returns `alreadyDone`.
 */
export function withdrawSaving(store: Store, request: WithdrawSavingRequest): Promise<SavingDecision | SavingFailure> {
  return decide(
    store,
    request,
    { action: undefined, verb: 'withdraw' },
    (s, p) => s.status === 'withdrawn' && s.closedBy === p.id,
    async ({ tx, saving, person }) => {
      if (person.id !== saving.proposer) {
        await recordRefusal(tx.db, { actor: person.id, surface: request.surface, action: 'saving.withdraw', subjectType: 'saving', subjectId: saving.id, reason: `only the proposer (${saving.proposer}) may withdraw ${saving.id}` });
        return refuse('FORBIDDEN', `only the proposer (${saving.proposer}) may withdraw ${saving.id}; itfm may reject it instead`, saving);
      }
      const refusal = checkTransition(saving, 'withdraw');
      if (refusal) return refusal;
      return closeStep(tx, saving, person, 'withdraw', undefined, request.surface);
    },
  );
}
