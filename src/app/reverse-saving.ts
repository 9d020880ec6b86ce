import type { Store } from '../store/database.js';
import { checkTransition, decide, refuse, reverseStep, type DecisionRequest, type SavingDecision, type SavingFailure } from './saving-decision.js';

/** ITFM undoes a saving's recognition, with a reason. */
export interface ReverseSavingRequest extends DecisionRequest {
  readonly reason: string;
}

/**
 * recognized → validated: the recognition is undone and its budget revisions reversed (one reversal
 * row each), in one transaction with an audit row (`saving.reverse`, the reason kept); the saving
 * may then be rejected, withdrawn or recognized again. itfm only (the `reverse-saving` policy row).
 */
export function reverseSaving(store: Store, request: ReverseSavingRequest): Promise<SavingDecision | SavingFailure> {
  const reason = request.reason.trim();
  return decide(
    store,
    request,
    { action: 'reverse-saving', verb: 'reverse', attempt: { reason } },
    () => false,
    async ({ tx, saving, person }) => {
      if (reason === '') return refuse('INPUT_INVALID', `reversing ${saving.id} needs a reason`, saving);
      const refusal = checkTransition(saving, 'reverse');
      if (refusal) return refusal;
      return reverseStep(tx, saving, person, reason, request.surface);
    },
  );
}
