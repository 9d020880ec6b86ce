import { Money, normalizeDecimal } from '../domain/money.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { comparisonScopes, sortComparisonRows, sumOver, type CostCenterParents } from '../domain/cost-center-rollup.js';
import { costCenterParents } from '../store/cost-centers.js';
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
  /** Rolled up (`--rollup`): the row's own lines, its depth under its parent, its parent and how many cost centers it includes. */
  readonly rollup?: { readonly own: string; readonly depth: number; readonly parent: string | null; readonly children: number };
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
  request: { period: BillingMonth; basis: CostBasis; by: readonly SpendDimension[]; rollup?: boolean | undefined },
): Promise<SpendReport> {
  if (request.rollup && (request.by.length !== 1 || request.by[0]!.name !== 'cost-center')) {
    throw new CostbridgeError('INPUT_INVALID', '--rollup follows the cost-center hierarchy; use it with --by cost-center alone');
  }
  const { status } = await periodStatus(store, request.period);
  const live = byCurrency(await sumSpend(store.db, liveFactsFor(request.period, request.by.map((d) => d.column)), request.basis, request.by), request.by);
  const asClosed = status ? byCurrency(await sumSpend(store.db, frozenFacts(status.closureId, 'actual', request.period), request.basis, request.by), request.by) : null;
  const parents = request.rollup ? await costCenterParents(store.db) : null;
  const shaped = (currencies: CurrencySpend[]) => (parents ? currencies.map((c) => rolledUp(c, parents)) : currencies);
  return {
    period: request.period.key,
    basis: request.basis,
    dimensions: request.by.map((d) => d.name),
    currencies: shaped(asClosed ?? live),
    closed: status,
    postCloseAdjustments: asClosed ? keyedDifferences(live, asClosed) : [],
  };
}

/** A cost-center spend table rolled up along master data's parent codes: a parent's cost is its own plus its subtree's. */
function rolledUp(c: CurrencySpend, parents: CostCenterParents): CurrencySpend {
  const own = new Map(c.rows.map((r) => [r.keys['cost-center']!, r.cost]));
  const rows = comparisonScopes(own.keys(), parents, { rollup: true, carrier: null }).map((s) => ({
    keys: { 'cost-center': s.scope },
    cost: sumOver(s.members, (m) => own.get(m)),
    rollup: { own: own.get(s.scope) ?? '0', depth: s.depth, parent: s.parent, children: s.children },
  }));
  const ordered = sortComparisonRows(rows.map((r) => ({ ...r, parent: r.rollup.parent })), (a, b) => new Money(b.cost).cmp(a.cost) || a.keys['cost-center']!.localeCompare(b.keys['cost-center']!), (r) => r.keys['cost-center']!);
  return { currency: c.currency, rows: ordered.map(({ parent: _p, ...r }) => r), total: c.total };
}
