import type { Store } from '../store/database.js';
import { isPositiveDecimal, normalizeAmount } from '../domain/saving.js';
import { checkApprover, checkTransition, decide, refuse, sameAmount, validateStep, type DecisionRequest, type SavingDecision, type SavingFailure } from './saving-decision.js';

/** ITFM validates a proposed saving with the monthly amount it recognizes (may differ from the estimate). */
export interface ValidateSavingRequest extends DecisionRequest {
  /** Exact positive decimal. */
  readonly amount: string;
}

/** proposed → validated. The same validation submitted again returns `alreadyDone`. */
export function validateSaving(store: Store, request: ValidateSavingRequest): Promise<SavingDecision | SavingFailure> {
  return decide(
    store,
    request,
    { action: 'sign-off-saving', verb: 'validate', attempt: { amount: request.amount } },
    (s, p) => (s.status === 'validated' || s.status === 'recognized') && s.approver === p.id && sameAmount(s.recognizedMonthly, request.amount),
    async ({ tx, saving, person }) => {
      const refusal = (await checkApprover(tx, saving, person, 'validate', true, request.surface)) ?? checkTransition(saving, 'validate');
      if (refusal) return refusal;
      if (!isPositiveDecimal(request.amount)) {
        return refuse('INPUT_INVALID', `the validated amount must be a positive decimal, got ${JSON.stringify(request.amount)}`, saving);
      }
      const after = await validateStep(tx, saving, person, normalizeAmount(request.amount), request.surface);
      return { ok: true, saving: after, alreadyDone: false, revisions: [], warnings: [] };
    },
  );
}
