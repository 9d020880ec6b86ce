import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import type { PriceKeyTotal } from '../domain/variance-decomposition.js';

/** A billing period to read, optionally only the lines charged before a cutoff (month to date). */
export interface PeriodSlice {
  /** Inclusive start and exclusive end of BillingPeriodStart, ISO timestamps. */
  readonly start: string;
  readonly end: string;
  /** Only lines whose ChargePeriodStart is before this instant. */
  readonly chargedBefore?: string | undefined;
}

/** Price-key totals of one scope value and currency in the current or the comparison period. */
export interface ScopedPriceKeyTotal extends PriceKeyTotal {
  /** The scope column's value (null: none). */
  readonly scope: string | null;
  readonly currency: string;
  readonly current: boolean;
}

/**
 * Sums cost and PricingQuantity per scope value, currency and price key over two billing periods,
 * in one pass over their partitions. A key's Usage lines with a usable quantity (not null, not 0)
 * are summed apart from the rest. `scopeValue` (when given; null = lines without a value) restricts
 * the scope column.
 */
export async function sumPriceKeys(
  db: Kysely<Database>,
  request: {
    current: PeriodSlice;
    comparison: PeriodSlice;
    basis: CostBasis;
    /** A cost_line column from the spend dimensions (never user text). */
    scopeColumn: string;
    scopeValue?: string | null | undefined;
  },
): Promise<ScopedPriceKeyTotal[]> {
  const cost = sql.ref(request.basis === 'billed' ? 'billed_cost' : 'effective_cost');
  const scope = sql.ref(request.scopeColumn);
  const slice = (p: PeriodSlice) =>
    p.chargedBefore
      ? sql`(billing_period_start >= ${p.start}::timestamptz AND billing_period_start < ${p.end}::timestamptz AND charge_period_start < ${p.chargedBefore}::timestamptz)`
      : sql`(billing_period_start >= ${p.start}::timestamptz AND billing_period_start < ${p.end}::timestamptz)`;
  const scopeFilter =
    request.scopeValue === undefined ? sql`` : request.scopeValue === null ? sql`AND ${scope} IS NULL` : sql`AND ${scope} = ${request.scopeValue}`;
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
    SELECT ${scope} AS scope, billing_currency AS currency,
           billing_period_start >= ${request.current.start}::timestamptz AND billing_period_start < ${request.current.end}::timestamptz AS current,
           provider_name AS provider, service_name AS service, coalesce(sku_id, sku_price_id, charge_description) AS sku,
           pricing_unit, charge_category,
           (charge_category = 'Usage' AND pricing_quantity IS NOT NULL AND pricing_quantity <> 0) AS quantified,
           sum(${cost})::text AS cost, coalesce(sum(pricing_quantity), 0)::text AS quantity
      FROM cost_line
     WHERE (${slice(request.current)} OR ${slice(request.comparison)}) ${scopeFilter}
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;
  const result = await query.execute(db);
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

/** BilledCost and EffectiveCost per cost center and currency in one billing period. */
export async function sumBothBases(
  db: Kysely<Database>,
  period: { start: string; end: string },
  scopeColumn: string,
): Promise<Array<{ scope: string | null; currency: string; billed: string; effective: string }>> {
  const scope = sql.ref(scopeColumn);
  const result = await sql<{ scope: string | null; currency: string; billed: string; effective: string }>`
    SELECT ${scope} AS scope, billing_currency AS currency, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
      FROM cost_line
     WHERE billing_period_start >= ${period.start}::timestamptz AND billing_period_start < ${period.end}::timestamptz
     GROUP BY 1, 2`.execute(db);
  return result.rows;
}
