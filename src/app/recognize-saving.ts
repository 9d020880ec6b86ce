import type { Store } from '../store/database.js';
import { checkApprover, checkTransition, decide, recognizeStep, type DecisionRequest, type SavingDecision, type SavingFailure } from './saving-decision.js';

/** ITFM recognizes a validated saving from a month: the forward budget is lowered from then to the budget year end. */
export interface RecognizeSavingRequest extends DecisionRequest {
  /** `YYYY-MM`. */
  readonly from: string;
}

/** validated → recognized, with its budget revisions. The same recognition submitted again returns `alreadyDone`. */
export function recognizeSaving(store: Store, request: RecognizeSavingRequest): Promise<SavingDecision | SavingFailure> {
  return decide(
    store,
    request,
    { action: 'sign-off-saving', verb: 'recognize', attempt: { from: request.from } },
    (s, p) => s.status === 'recognized' && s.recognizedBy === p.id && s.recognizedFrom === request.from,
    async ({ tx, saving, person }) => {
      const refusal = (await checkApprover(tx, saving, person, 'recognize', true, request.surface)) ?? checkTransition(saving, 'recognize');
      if (refusal) return refusal;
      return recognizeStep(tx, saving, person, request.from, request.surface);
    },
  );
}
