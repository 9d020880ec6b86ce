import type { Store } from '../store/database.js';
import { getSaving } from '../store/savings.js';
import { isPositiveDecimal, normalizeAmount } from '../domain/saving.js';
import { monthAt } from '../domain/saving-recognition.js';
import {
  checkApprover,
  checkTransition,
  decide,
  recognizeStep,
  refuse,
  sameAmount,
  validateStep,
  type DecisionRequest,
  type SavingDecision,
  type SavingFailure,
} from './saving-decision.js';
import { recognitionRefusal } from '../domain/period-close.js';
import { closedMonths } from '../store/period-closes.js';

/** ITFM validates and recognizes in one step (the chat sign-off button). */
export interface ApproveSavingRequest extends DecisionRequest {
  /** Recognized monthly amount; default: the validated amount, else the estimate. */
  readonly amount?: string;
  /** `YYYY-MM`; default: the later of the effective month and the current month. */
  readonly from?: string;
  /** For the default `from`. */
  readonly now: Date;
  /** IANA zone the current month is taken in (default UTC). */
  readonly timezone?: string;
}

/**
 * proposed → validated → recognized in one transaction (two audit rows), or validated → recognized.
 * Submitted again by the same person with the same (or omitted) amount and month, it returns
 * `alreadyDone` and writes nothing.
 */
export async function approveSaving(store: Store, request: ApproveSavingRequest): Promise<SavingDecision | SavingFailure> {
  const closed = await closedMonths(store.db);
  return decide(
    store,
    request,
    { action: 'sign-off-saving', verb: 'approve', attempt: { amount: request.amount ?? null, from: request.from ?? null } },
    (s, p) =>
      s.status === 'recognized' &&
      s.approver === p.id &&
      s.recognizedBy === p.id &&
      (request.amount === undefined || sameAmount(s.recognizedMonthly, request.amount)) &&
      (request.from === undefined || s.recognizedFrom === request.from),
    async ({ tx, saving, person }) => {
      const refusal = await checkApprover(tx, saving, person, 'approve', true, request.surface);
      if (refusal) return refusal;
      if (saving.status !== 'proposed') {
        const notRecognizable = checkTransition(saving, 'recognize');
        if (notRecognizable) return notRecognizable;
      }
      if (request.amount !== undefined && !isPositiveDecimal(request.amount)) {
        return refuse('INPUT_INVALID', `the approved amount must be a positive decimal, got ${JSON.stringify(request.amount)}`, saving);
      }
      if (saving.status === 'validated' && request.amount !== undefined && !sameAmount(saving.recognizedMonthly, request.amount)) {
        return refuse(
          'ILLEGAL_TRANSITION',
          `${saving.id} was validated at ${saving.recognizedMonthly} ${saving.currency} by ${saving.approver}; approve it without --amount or at that amount, or reject it`,
          saving,
        );
      }
      const current = monthAt(request.now, request.timezone ?? 'UTC');
      const effective = saving.effectiveDate.slice(0, 7);
      const from = request.from ?? (effective > current ? effective : current);
      // A closed month's budget does not move: recognition starts in an open month.
      const closedRefusal = recognitionRefusal(from, saving.type !== 'avoidance', closed);
      if (closedRefusal) return refuse('INPUT_INVALID', `cannot recognize ${saving.id} from ${from}: ${closedRefusal}`, saving);
      const validated =
        saving.status === 'proposed'
          ? await validateStep(tx, saving, person, normalizeAmount(request.amount ?? saving.estimateMonthly), request.surface)
          : saving;
      const recognized = await recognizeStep(tx, validated, person, from, request.surface);
      // Throwing rolls the validation back too: a refused approval leaves the saving as it was.
      if (!recognized.ok) throw new ApprovalRefused(recognized);
      return recognized;
    },
  ).catch(async (e: unknown): Promise<SavingFailure> => {
    if (!(e instanceof ApprovalRefused)) throw e;
    // The failure carried the rolled-back validated state; report the saving as it really is.
    const stored = await getSaving(store.db, request.id);
    return { ok: false, code: e.failure.code, message: e.failure.message, ...(stored ? { saving: stored } : {}) };
  });
}

class ApprovalRefused extends Error {
  constructor(readonly failure: SavingFailure) {
    super(failure.message);
  }
}
