import type { DigestBudgetRow } from '../../domain/digest.js';
import { formatMoney, Money } from '../../domain/money.js';
import { table } from '../message-blocks.js';
import type { TableBlock } from '../message-model.js';

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
      `${r.material && new Money(r.differenceToBudget).isPos() ? '⚠ ' : ''}${r.costCenter}`,
      formatMoney(r.monthToDate, r.currency),
      formatMoney(r.projected, r.currency),
      formatMoney(r.budget, r.currency),
      signedAmount(r.differenceToBudget, r.currency),
      formatMoney(r.itfmForecast, r.currency),
      signedAmount(r.differenceToForecast, r.currency),
    ]),
  );
}
