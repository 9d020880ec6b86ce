import type { DigestBudgetRow } from '../../domain/digest.js';
import { formatMoney, Money, sumAmounts } from '../../domain/money.js';
import { table } from '../message-blocks.js';
import type { TableBlock } from '../message-model.js';
import { rollupLabel } from '../../domain/cost-center-rollup.js';

/** An amount with its sign (`+`/`-`, none for zero), for differences to budget or forecast. */
export function signedAmount(amount: string, currency: string): string {
  const v = new Money(amount);
  if (v.isZero()) return formatMoney('0', currency);
  return `${v.isNeg() ? '-' : '+'}${formatMoney(v.abs().toFixed(), currency)}`;
}

/** The budget and forecast table per cost center (projected period end against budget and ITFM forecast), materially over budget marked ⚠. */
export function projectionTable(rows: readonly Omit<DigestBudgetRow, 'name'>[]): TableBlock {
  return table(
    [
      { header: 'Cost center' },
      { header: 'To date', align: 'right' },
      { header: 'Projected', align: 'right' },
      { header: 'Budget', align: 'right' },
      { header: 'vs budget', align: 'right' },
      { header: 'ITFM forecast', align: 'right' },
      { header: 'vs forecast', align: 'right' },
    ],
    rows.map((r) => [
      projectionLabel(r),
      formatMoney(r.monthToDate, r.currency),
      formatMoney(r.projected, r.currency),
      formatMoney(r.budget, r.currency),
      signedAmount(r.differenceToBudget, r.currency),
      formatMoney(r.itfmForecast, r.currency),
      signedAmount(r.differenceToForecast, r.currency),
    ]),
  );
}

/**
 * A row's label: indented under its parent with "incl. N children" when rolled up, "in CC" on the
 * unattributed row a cost center carries, "+ unattributed" on the carrier, ⚠ when materially over budget.
 */
export function projectionLabel(r: Omit<DigestBudgetRow, 'name'>): string {
  const warn = r.material && r.carriedBy == null && new Money(r.differenceToBudget).isPos() ? '⚠ ' : '';
  const notes = [rollupLabel(r.children ?? 0), r.includesUnattributed != null ? '+ unattributed' : '', r.carriedBy != null ? `in ${r.carriedBy}` : ''].filter(Boolean);
  return `${'\u2003'.repeat(r.depth ?? 0)}${warn}${r.costCenter}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

/** The sum of the top-level rows per currency (a rolled-up parent already holds its children). */
export function projectionTotals(rows: readonly Omit<DigestBudgetRow, 'name'>[]): Array<{ currency: string; monthToDate: string; projected: string; budget: string; differenceToBudget: string }> {
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  return currencies.map((currency) => {
    const top = rows.filter((r) => r.currency === currency && (r.depth ?? 0) === 0);
    const sum = (f: (r: Omit<DigestBudgetRow, 'name'>) => string) => sumAmounts(top, f);
    return { currency, monthToDate: sum((r) => r.monthToDate), projected: sum((r) => r.projected), budget: sum((r) => r.budget), differenceToBudget: sum((r) => r.differenceToBudget) };
  });
}
