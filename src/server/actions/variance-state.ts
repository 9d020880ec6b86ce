import { reportVariance, type VarianceReport, type VarianceRow } from '../../app/report-variance.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { spendDimensions } from '../../domain/spend-dimensions.js';
import { varianceExplanationRequest } from '../../messages/views/variance-explanation-request.js';
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

/** Brings the explanation request a button was pressed on up to date with the explanations stored so far. */
export async function showVarianceState(request: ChatRequest, origin: ClickedMessage | undefined, period: string, scope: string, reason: string): Promise<void> {
  if (!origin) return;
  const found = await varianceRow(request, period, scope);
  if (!found) return;
  const updated = varianceExplanationRequest(varianceRequestView(found.report, found.row, request.config.timezone));
  await reviseClickedMessage(request, origin, reason, () => updated);
}
