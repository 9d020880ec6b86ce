import { Money, normalizeDecimal } from '../domain/money.js';
import type { BillingMonth } from '../domain/billing-month.js';
import type { CostBasis, SpendDimension } from '../domain/spend-dimensions.js';
import type { Store } from '../store/database.js';
import { sumSpend } from '../store/spend-totals.js';

/** One row of a spend report, keyed by the dimension names as asked for. */
export interface SpendRow {
  readonly keys: Readonly<Record<string, string>>;
  readonly cost: string;
}

/** Spend in one currency: rows (largest cost first) and their exact total. */
export interface CurrencySpend {
  readonly currency: string;
  readonly rows: readonly SpendRow[];
  readonly total: string;
}

/** A spend report for one billing month; several currencies are kept apart, never summed. */
export interface SpendReport {
  readonly period: string;
  readonly basis: CostBasis;
  readonly dimensions: readonly string[];
  readonly currencies: readonly CurrencySpend[];
}

/** Spend for a billing month on one basis, grouped by the given dimensions. */
export async function reportSpend(
  store: Store,
  request: { period: BillingMonth; basis: CostBasis; by: readonly SpendDimension[] },
): Promise<SpendReport> {
  const groups = await sumSpend(store.db, request.period, request.basis, request.by);
  const byCurrency = new Map<string, SpendRow[]>();
  for (const g of groups) {
    const keys: Record<string, string> = {};
    request.by.forEach((d, i) => (keys[d.name] = g.values[i] ?? d.emptyLabel));
    const rows = byCurrency.get(g.currency) ?? [];
    rows.push({ keys, cost: normalizeDecimal(g.cost) });
    byCurrency.set(g.currency, rows);
  }
  const currencies = [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, rows]) => {
      rows.sort((a, b) => new Money(b.cost).cmp(a.cost) || JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys)));
      const total = rows.reduce((sum, r) => sum.plus(r.cost), new Money(0));
      return { currency, rows, total: total.toFixed() };
    });
  return { period: request.period.key, basis: request.basis, dimensions: request.by.map((d) => d.name), currencies };
}
