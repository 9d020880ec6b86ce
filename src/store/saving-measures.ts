import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './tables.js';
import { Money, normalizeDecimal } from '../domain/money.js';
import { savingFilterFields, type Saving } from '../domain/saving.js';
import type { RateMonthSums, UsageMonthSums, UsageSkuSums } from '../domain/saving-measurement.js';

// Set-based sums over the cost lines in a saving's scope. Timestamps are compared in UTC (the
// session time zone), months are calendar months of ChargePeriodStart.

/** Lines attributed to the saving's cost center, in its currency, matching every filter. */
function scopeCondition(s: Saving): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`c.cost_center = ${s.costCenter}`, sql`c.billing_currency = ${s.currency}`];
  for (const f of savingFilterFields) {
    const values = s.filters[f.name];
    if (values && values.length > 0) parts.push(sql`${sql.ref(`c.${f.column}`)} IN (${sql.join(values.map((v) => sql`${v}`))})`);
  }
  return sql.join(parts, sql` AND `);
}

/** Filters that also narrow a commitment's Unused lines: the provider and account it was bought in. */
export const commitmentOwnerFields: readonly string[] = ['provider', 'billing-account'];

const isUnused = sql`lower(coalesce(c.commitment_discount_status, '')) = 'unused'`;

/** Covered lines (not Unused) and the Unused lines a rate saving nets off. */
function rateConditions(s: Saving): { covered: RawBuilder<unknown>; unused: RawBuilder<unknown> } {
  const scope = scopeCondition(s);
  if (s.lever === 'commitment-discount') {
    const ids = s.filters['commitment-discount-id'] ?? [];
    // Unused capacity is consumed by no cost center or resource: the commitment id selects it,
    // narrowed only by the fields a commitment belongs to (provider, billing account).
    const parts: RawBuilder<unknown>[] = [isUnused, sql`c.billing_currency = ${s.currency}`, sql`c.commitment_discount_id IN (${sql.join(ids.map((v) => sql`${v}`))})`];
    for (const f of savingFilterFields.filter((x) => commitmentOwnerFields.includes(x.name))) {
      const values = s.filters[f.name];
      if (values && values.length > 0) parts.push(sql`${sql.ref(`c.${f.column}`)} IN (${sql.join(values.map((v) => sql`${v}`))})`);
    }
    const unused = ids.length > 0 ? sql.join(parts, sql` AND `) : sql`false`;
    return { covered: sql`${scope} AND c.commitment_discount_id IS NOT NULL AND NOT (${isUnused})`, unused };
  }
  return { covered: sql`${scope} AND NOT (${isUnused})`, unused: sql`${scope} AND ${isUnused}` };
}

/** Rate saving sums per month of ChargePeriodStart over [from, to) (dates). */
export async function sumRateSaving(db: Kysely<Database>, s: Saving, from: string, to: string): Promise<RateMonthSums[]> {
  if (from >= to) return [];
  const { covered, unused } = rateConditions(s);
  const reference = s.referenceCost === 'contracted' ? sql.ref('c.contracted_cost') : sql.ref('c.list_cost');
  const rows = await sql<{ month: string; gross: string; unused: string; lines: number }>`
    SELECT to_char(c.charge_period_start, 'YYYY-MM') AS month,
           coalesce(sum(coalesce(${reference}, c.effective_cost) - c.effective_cost) FILTER (WHERE ${covered}), 0)::text AS gross,
           coalesce(sum(c.effective_cost) FILTER (WHERE ${unused}), 0)::text AS unused,
           count(*)::int AS lines
      FROM cost_line c
     WHERE c.charge_category = 'Usage'
       AND c.charge_period_start >= ${from}::timestamptz AND c.charge_period_start < ${to}::timestamptz
       AND ((${covered}) OR (${unused}))
     GROUP BY 1 ORDER BY 1`.execute(db);
  return rows.rows.map((r) => ({ month: r.month, gross: normalizeDecimal(r.gross), unused: normalizeDecimal(r.unused), lines: Number(r.lines) }));
}

function basisColumn(s: Saving) {
  return s.basis === 'billed' ? sql.ref('c.billed_cost') : sql.ref('c.effective_cost');
}

const skuKey = sql`coalesce(c.sku_id, c.sku_price_id, c.charge_description, '')`;

/** Usage saving cost and PricingQuantity per month of ChargePeriodStart and SKU over [from, to) (dates), on its basis. */
export async function sumUsageCostByMonth(db: Kysely<Database>, s: Saving, from: string, to: string): Promise<UsageMonthSums[]> {
  if (from >= to) return [];
  const rows = await sql<{ month: string; sku: string; cost: string; quantity: string; lines: number }>`
    SELECT to_char(c.charge_period_start, 'YYYY-MM') AS month, ${skuKey} AS sku, coalesce(sum(${basisColumn(s)}), 0)::text AS cost,
           coalesce(sum(c.pricing_quantity), 0)::text AS quantity, count(*)::int AS lines
      FROM cost_line c
     WHERE c.charge_category = 'Usage' AND ${scopeCondition(s)}
       AND c.charge_period_start >= ${from}::timestamptz AND c.charge_period_start < ${to}::timestamptz
     GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  const out = new Map<string, { month: string; cost: Money; lines: number; skus: UsageSkuSums[] }>();
  for (const r of rows.rows) {
    const m = out.get(r.month) ?? { month: r.month, cost: new Money(0), lines: 0, skus: [] };
    m.cost = m.cost.plus(r.cost);
    m.lines += Number(r.lines);
    m.skus.push({ sku: r.sku, cost: normalizeDecimal(r.cost), quantity: normalizeDecimal(r.quantity), lines: Number(r.lines) });
    out.set(r.month, m);
  }
  return [...out.values()].map((m) => ({ month: m.month, cost: m.cost.toFixed(), lines: m.lines, skus: m.skus }));
}

/** Usage saving cost over [from, to) (dates), on its basis, in total and per SKU with its PricingQuantity. */
export async function sumUsageCost(db: Kysely<Database>, s: Saving, from: string, to: string): Promise<{ cost: string; lines: number; skus: UsageSkuSums[] }> {
  const rows = await sql<{ sku: string; cost: string; quantity: string; lines: number }>`
    SELECT ${skuKey} AS sku, coalesce(sum(${basisColumn(s)}), 0)::text AS cost, coalesce(sum(c.pricing_quantity), 0)::text AS quantity, count(*)::int AS lines
      FROM cost_line c
     WHERE c.charge_category = 'Usage' AND ${scopeCondition(s)}
       AND c.charge_period_start >= ${from}::timestamptz AND c.charge_period_start < ${to}::timestamptz
     GROUP BY 1 ORDER BY 1`.execute(db);
  const skus = rows.rows.map((r) => ({ sku: r.sku, cost: normalizeDecimal(r.cost), quantity: normalizeDecimal(r.quantity), lines: Number(r.lines) }));
  return {
    cost: skus.reduce((t, k) => t.plus(k.cost), new Money(0)).toFixed(),
    lines: skus.reduce((n, k) => n + k.lines, 0),
    skus,
  };
}

/**
 * How far the data reaches for a saving: first ChargePeriodStart and last ChargePeriodEnd (ISO
 * timestamps) of the usage lines (a purchase's charge period spans its whole term) of the billing
 * accounts that hold lines in its scope (its covered lines, or for a
 * commitment its Unused lines). Null when none are stored. A scope's own lines may stop (a cleanup),
 * so the extent is taken from their billing accounts, not from them.
 */
export async function dataExtent(db: Kysely<Database>, s: Saving): Promise<{ first: string; last: string } | null> {
  const inScope = s.leverKind === 'rate' ? (() => {
    const { covered, unused } = rateConditions(s);
    return sql`(${covered}) OR (${unused})`;
  })() : scopeCondition(s);
  const rows = await sql<{ first: Date | string | null; last: Date | string | null }>`
    SELECT min(c.charge_period_start) AS first, max(c.charge_period_end) AS last
      FROM cost_line c
     WHERE c.charge_category = 'Usage'
       AND c.billing_account_id IN (SELECT DISTINCT c.billing_account_id FROM cost_line c WHERE c.charge_category = 'Usage' AND (${inScope}))`.execute(db);
  const r = rows.rows[0];
  if (!r || r.first === null || r.last === null) return null;
  return { first: new Date(r.first).toISOString(), last: new Date(r.last).toISOString() };
}
