import type { VarianceReport, VarianceRow } from '../../app/report-variance.js';
import { Money } from '../../domain/money.js';
import type { VarianceExplanationRequestView } from '../../messages/views/variance-explanation-request.js';

/** One scope's variance as its explanation request shows it: amounts, the non-zero components, the explanations so far. */
export function varianceRequestView(report: VarianceReport, row: VarianceRow, timeZone: string): VarianceExplanationRequestView {
  return {
    period: report.period,
    costCenter: row.scope,
    against: report.against,
    basis: report.basis,
    currency: row.currency,
    actual: row.actual,
    comparison: row.comparison,
    variance: row.variance,
    components: Object.entries(row.components)
      .filter(([, amount]) => !new Money(amount).isZero())
      .map(([component, amount]) => ({ component, amount })),
    explanations: row.explanations.map((e) => ({ component: e.component, planned: e.planned, text: e.text, by: e.author, at: e.at })),
    timeZone,
  };
}
