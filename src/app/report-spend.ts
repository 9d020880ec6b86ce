import { Money, normalizeDecimal } from '../domain/money.js';
import { keyedDifferences } from '../domain/post-close-adjustments.js';
import type { BillingMonth } from '../domain/billing-month.js';
import type { CostBasis, SpendDimension } from '../domain/spend-dimensions.js';
import type { Store } from '../store/database.js';
import { frozenFacts } from '../store/cost-facts.js';
import { liveFactsFor } from '../store/cost-rollup.js';
import { sumSpend, type SpendGroup } from '../store/spend-totals.js';
import { periodStatus, type ClosedStatus } from './closed-period-status.js';

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
  /** Set when the month is closed: the figures above are as closed. */
  readonly closed: ClosedStatus | null;
  /**
   * For a closed month, what changed since close (live minus as closed, per row; rows that did not
   * change are left out): kept beside the closed figures, never inside them. Empty when open.
   */
  readonly postCloseAdjustments: readonly CurrencySpend[];
}

function byCurrency(groups: readonly SpendGroup[], by: readonly SpendDimension[]): CurrencySpend[] {
  const out = new Map<string, SpendRow[]>();
  for (const g of groups) {
    const keys: Record<string, string> = {};
    by.forEach((d, i) => (keys[d.name] = g.values[i] ?? d.emptyLabel));
    const rows = out.get(g.currency) ?? [];
    rows.push({ keys, cost: normalizeDecimal(g.cost) });
    out.set(g.currency, rows);
  }
  return [...out.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, rows]) => {
      rows.sort((a, b) => new Money(b.cost).cmp(a.cost) || JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys)));
      const total = rows.reduce((sum, r) => sum.plus(r.cost), new Money(0));
      return { currency, rows, total: total.toFixed() };
    });
}

/**
 * Spend for a billing month on one basis, grouped by the given dimensions. A closed month answers
 * with its figures as closed, and what changed since beside them.
 */
export async function reportSpend(
  store: Store,
  request: { period: BillingMonth; basis: CostBasis; by: readonly SpendDimension[] },
): Promise<SpendReport> {
  const { status } = await periodStatus(store, request.period);
  const live = byCurrency(await sumSpend(store.db, liveFactsFor(request.period, request.by.map((d) => d.column)), request.basis, request.by), request.by);
  const asClosed = status ? byCurrency(await sumSpend(store.db, frozenFacts(status.closureId, 'actual', request.period), request.basis, request.by), request.by) : null;
  return {
    period: request.period.key,
    basis: request.basis,
    dimensions: request.by.map((d) => d.name),
    currencies: asClosed ?? live,
    closed: status,
    postCloseAdjustments: asClosed ? keyedDifferences(live, asClosed) : [],
  };
}
