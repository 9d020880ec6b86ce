import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './tables.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import type { PriceKeyTotal } from '../domain/variance-decomposition.js';
import { withReportMemory } from './report-memory.js';

/** Cost facts of one side of a comparison (see cost-facts.ts), optionally only those charged before a cutoff (month to date). */
export interface FactSlice {
  readonly facts: RawBuilder<unknown>;
  /** Only facts whose charge day (ChargePeriodStart, UTC) is before this instant (a UTC midnight). */
  readonly chargedBefore?: string | undefined;
}

/** Price-key totals of one scope value and currency in the current or the comparison period. */
export interface ScopedPriceKeyTotal extends PriceKeyTotal {
  /** The scope column's value (null: none). */
  readonly scope: string | null;
  readonly currency: string;
  readonly current: boolean;
}

const cut = (s: FactSlice) => (s.chargedBefore ? sql`WHERE charge_period_start < ${s.chargedBefore}::timestamptz` : sql``);

function scopeFilter(scopeColumn: string, scopeValue: string | null | undefined): RawBuilder<unknown> {
  const scope = sql.ref(scopeColumn);
  return scopeValue === undefined ? sql`true` : scopeValue === null ? sql`${scope} IS NULL` : sql`${scope} = ${scopeValue}`;
}

/**
 * Sums cost and PricingQuantity per scope value, currency and price key over the facts of the
 * current and the comparison period. A key's Usage lines with a usable quantity (not null, not 0)
 * are summed apart from the rest. `scopeValue` (when given; null = lines without a value) restricts
 * the scope column.
 */
export async function sumPriceKeys(
  db: Kysely<Database>,
  request: {
    current: FactSlice;
    comparison: FactSlice;
    basis: CostBasis;
    /** A cost_line column from the spend dimensions (never user text). */
    scopeColumn: string;
    scopeValue?: string | null | undefined;
  },
): Promise<ScopedPriceKeyTotal[]> {
  const cost = sql.ref(request.basis === 'billed' ? 'billed_cost' : 'effective_cost');
  const scope = sql.ref(request.scopeColumn);
  const query = sql<{
    scope: string | null;
    currency: string;
    current: boolean;
    provider: string | null;
    service: string | null;
    sku: string | null;
    pricing_unit: string | null;
    charge_category: string;
    quantified: boolean;
    cost: string;
    quantity: string;
  }>`
    SELECT ${scope} AS scope, billing_currency AS currency, current,
           provider_name AS provider, service_name AS service, price_key AS sku,
           pricing_unit, charge_category, quantified,
           sum(${cost})::text AS cost, coalesce(sum(pricing_quantity), 0)::text AS quantity
      FROM (SELECT true AS current, a.* FROM (${request.current.facts}) a ${cut(request.current)}
            UNION ALL
            SELECT false AS current, b.* FROM (${request.comparison.facts}) b ${cut(request.comparison)}) f
     WHERE ${scopeFilter(request.scopeColumn, request.scopeValue)}
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;
  // Every scope's keys at once is the large grouping; one scope's is small and needs no extra memory.
  const result = request.scopeValue === undefined ? await withReportMemory(db, (d) => query.execute(d)) : await query.execute(db);
  return result.rows.map((r) => ({
    scope: r.scope,
    currency: r.currency,
    current: r.current,
    key: { provider: r.provider, service: r.service, sku: r.sku, pricingUnit: r.pricing_unit, chargeCategory: r.charge_category },
    quantified: r.quantified,
    cost: r.cost,
    // Quantities of unquantified lines say nothing; keep them out of the comparison.
    quantity: r.quantified ? r.quantity : '0',
  }));
}

/** Cost on one basis per scope value and currency of some facts (non-zero sums only). */
export async function sumByScope(
  db: Kysely<Database>,
  slice: FactSlice,
  basis: CostBasis,
  scopeColumn: string,
  scopeValue?: string | null | undefined,
): Promise<Array<{ scope: string | null; currency: string; cost: string }>> {
  const cost = sql.ref(basis === 'billed' ? 'billed_cost' : 'effective_cost');
  const scope = sql.ref(scopeColumn);
  const result = await sql<{ scope: string | null; currency: string; cost: string }>`
    SELECT ${scope} AS scope, billing_currency AS currency, sum(${cost})::text AS cost
      FROM (SELECT * FROM (${slice.facts}) a ${cut(slice)}) f
     WHERE ${scopeFilter(scopeColumn, scopeValue)}
     GROUP BY 1, 2
    HAVING sum(${cost}) <> 0`.execute(db);
  return result.rows;
}

/** BilledCost and EffectiveCost per scope value and currency of some facts. */
export async function sumBothBases(
  db: Kysely<Database>,
  facts: RawBuilder<unknown>,
  scopeColumn: string,
): Promise<Array<{ scope: string | null; currency: string; billed: string; effective: string }>> {
  const scope = sql.ref(scopeColumn);
  const result = await sql<{ scope: string | null; currency: string; billed: string; effective: string }>`
    SELECT ${scope} AS scope, billing_currency AS currency, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
      FROM (${facts}) f
     GROUP BY 1, 2`.execute(db);
  return result.rows;
}
