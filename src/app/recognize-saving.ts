import type { Store } from '../store/database.js';
import { checkApprover, checkTransition, decide, recognizeStep, refuse, type DecisionRequest, type SavingDecision, type SavingFailure } from './saving-decision.js';
import { recognitionRefusal } from '../domain/period-close.js';
import { closedMonths } from '../store/period-closes.js';

/** ITFM recognizes a validated saving from a month: the forward budget is lowered from then to the budget year end. */
export interface RecognizeSavingRequest extends DecisionRequest {
  /** `YYYY-MM`. */
  readonly from: string;
}

/** validated → recognized, with its budget revisions. The same recognition submitted again returns `alreadyDone`. */
export async function recognizeSaving(store: Store, request: RecognizeSavingRequest): Promise<SavingDecision | SavingFailure> {
  const closed = await closedMonths(store.db);
  return decide(
    store,
    request,
    { action: 'sign-off-saving', verb: 'recognize', attempt: { from: request.from } },
    (s, p) => s.status === 'recognized' && s.recognizedBy === p.id && s.recognizedFrom === request.from,
    async ({ tx, saving, person }) => {
      const refusal = (await checkApprover(tx, saving, person, 'recognize', true, request.surface)) ?? checkTransition(saving, 'recognize');
      if (refusal) return refusal;
      // A closed month's budget does not move: recognition starts in an open month.
      const closedRefusal = recognitionRefusal(request.from, saving.type !== 'avoidance', closed);
      if (closedRefusal) return refuse('INPUT_INVALID', `cannot recognize ${saving.id} from ${request.from}: ${closedRefusal}`, saving);
      return recognizeStep(tx, saving, person, request.from, request.surface);
    },
  );
}
