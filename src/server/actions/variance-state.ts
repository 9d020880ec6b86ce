import { reportVariance, type VarianceReport, type VarianceRow } from '../../app/report-variance.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { spendDimensions } from '../../domain/spend-dimensions.js';
import { explanationNote, varianceExplanationRequest } from '../../messages/views/variance-explanation-request.js';
import { actionIds } from '../../messages/views/interaction-ids.js';
import type { Button } from '../../messages/message-model.js';
import type { StoredExplanation } from '../../store/variance-explanations.js';
import { hasTopLevelButton, withEntryNote } from '../view-inputs/decided-entry.js';
import type { ChatRequest } from '../chat-request.js';
import { reviseClickedMessage } from '../revise-clicked-message.js';
import { varianceRequestView } from '../view-inputs/variance-request-view.js';
import type { ClickedMessage } from './chat-action.js';

const costCenter = spendDimensions.find((d) => d.name === 'cost-center')!;

/**
 * The cost-center variances of a month as chat shows them: against the previous month, on the
 * effective basis (the CLI's defaults), with the configured materiality; optionally one cost center.
 */
export function chatVarianceReport(request: ChatRequest, period: string, scope?: string): Promise<VarianceReport> {
  return reportVariance(request.store, {
    period: parseBillingMonth(period),
    against: 'previous',
    basis: 'effective',
    by: costCenter,
    ...(scope !== undefined ? { scope } : {}),
    drivers: 0,
    ledger: false,
    materiality: { amount: request.config.variance.materialityAmount, share: request.config.variance.materialityShare },
  });
}

/** One cost center's variance row of a month, or undefined when it has none. */
export async function varianceRow(request: ChatRequest, period: string, scope: string): Promise<{ report: VarianceReport; row: VarianceRow } | undefined> {
  const report = await chatVarianceReport(request, period, scope);
  const row = report.rows.find((r) => r.scope === scope);
  return row ? { report, row } : undefined;
}

/**
 * Brings the message an Explain button was pressed on up to date: an explanation request (its button
 * outside any list) is rebuilt with the explanations stored so far; a list entry about the variance
 * (a digest's) gets the new explanation as a note above its button, the rest of the message as it was.
 */
export async function showVarianceState(request: ChatRequest, origin: ClickedMessage | undefined, period: string, scope: string, explanation: StoredExplanation): Promise<void> {
  if (!origin) return;
  const found = await varianceRow(request, period, scope);
  if (!found) return;
  const view = varianceRequestView(found.report, found.row, request.config.timezone);
  const updated = varianceExplanationRequest(view);
  const isExplain = (b: Button) => b.actionId === actionIds.explainVariance && b.payload.period === period && b.payload.scope === scope;
  const note = explanationNote({ component: explanation.component, planned: explanation.planned, text: explanation.text, by: explanation.author, at: explanation.at }, request.config.timezone);
  await reviseClickedMessage(request, origin, `explanation:${explanation.id}`, (current) => (hasTopLevelButton(current, isExplain) ? updated : withEntryNote(current, isExplain, note)));
}
