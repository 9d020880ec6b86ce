import type { Store } from '../store/database.js';
import { checkTransition, closeStep, decide, refuse, type DecisionRequest, type SavingDecision, type SavingFailure } from './saving-decision.js';

/** ITFM rejects a saving, with a reason. */
export interface RejectSavingRequest extends DecisionRequest {
  readonly reason: string;
}

/**
 * proposed | validated → rejected. A recognized saving is refused (ILLEGAL_TRANSITION): a rejection
 * never silently undoes an approval, so of a racing approve and reject exactly one succeeds; undoing
 * a recognition is `reverseSaving`. The same rejection submitted again returns `alreadyDone`.
 */
export function rejectSaving(store: Store, request: RejectSavingRequest): Promise<SavingDecision | SavingFailure> {
  const reason = request.reason.trim();
  return decide(
    store,
    request,
    { action: 'sign-off-saving', verb: 'reject', attempt: { reason } },
    (s, p) => s.status === 'rejected' && s.closedBy === p.id && s.rejectReason === reason,
    async ({ tx, saving, person }) => {
      if (reason === '') return refuse('INPUT_INVALID', `rejecting ${saving.id} needs a reason`, saving);
      const refusal = checkTransition(saving, 'reject');
      if (refusal) return refusal;
      return closeStep(tx, saving, person, 'reject', reason, request.surface);
    },
  );
}
