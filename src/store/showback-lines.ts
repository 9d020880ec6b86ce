import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './tables.js';
import type { BillingMonth } from '../domain/billing-month.js';
import type { SharedPool } from '../domain/allocation-pools.js';
import type { ShowbackGroup } from '../domain/allocation-showback.js';

/** A showback group, plus whether its lines' invoice was billed in this period but booked in the GL in another. */
export interface ChargebackGroup extends ShowbackGroup {
  readonly bookedElsewhere: boolean;
}

function anyOf(column: RawBuilder<unknown>, values: readonly string[] | undefined): RawBuilder<unknown>[] {
  return values ? [sql`${column} IN (${sql.join(values.map((v) => sql`${v}`))})`] : [];
}

/** The SQL condition of a configured pool over `l` (cost_line) and `cc` (its known cost center). */
function poolCondition(pool: SharedPool): RawBuilder<unknown> {
  const m = pool.match!;
  const parts = [
    ...anyOf(sql`cc.code`, m.costCenter),
    ...anyOf(sql`l.provider_name`, m.provider),
    ...anyOf(sql`l.service_name`, m.service),
    ...anyOf(sql`l.service_category`, m.serviceCategory),
    ...anyOf(sql`l.sub_account_id`, m.subAccount),
    ...anyOf(sql`l.billing_account_id`, m.billingAccount),
    ...(m.tags ?? []).map(
      (t) => sql`(jsonb_typeof(l.tags) = 'object' AND EXISTS (
        SELECT 1 FROM jsonb_each(l.tags) t(key, v)
         WHERE lower(btrim(t.key)) = ${t.key} AND jsonb_typeof(t.v) IN ('string', 'number', 'boolean') AND btrim(t.v #>> '{}') = ${t.value}))`,
    ),
    ...(m.unattributedOnly ? [sql`cc.code IS NULL`] : []),
  ];
  return sql`(${sql.join(parts, sql` AND `)})`;
}

/**
 * SQL of the shared-cost pool a cost_line `l` (with `cc`, its known cost center) belongs to in a
 * period: the first configured pool whose conditions it meets (file order); otherwise, when it has
 * no known cost center and an unattributed item of its grouping (period, provider, billing account,
 * sub-account, service) was dismissed into a pool, that pool. `join` must follow the cc join.
 */
export function showbackPoolSql(period: BillingMonth, pools: readonly SharedPool[]): { expr: RawBuilder<unknown>; join: RawBuilder<unknown> } {
  const periodDate = period.start.slice(0, 10);
  const configured = pools.filter((p) => p.match !== null);
  const dismissed = sql`d.shared_pool`;
  const expr =
    configured.length > 0
      ? sql`CASE ${sql.join(configured.map((p) => sql`WHEN ${poolCondition(p)} THEN ${p.name}::text`), sql` `)} ELSE ${dismissed} END`
      : dismissed;
  // Item grouping values are stored as '' when missing, where the line holds NULL.
  const join = sql`LEFT JOIN (
        SELECT DISTINCT ON (provider_name, billing_account_id, sub_account_id, service_name)
               provider_name, billing_account_id, sub_account_id, service_name, shared_pool
          FROM unattributed_item
         WHERE period = ${periodDate}::date AND status = 'dismissed' AND shared_pool IS NOT NULL AND btrim(shared_pool) <> ''
         ORDER BY provider_name, billing_account_id, sub_account_id, service_name, id
      ) d ON cc.code IS NULL
         AND d.provider_name = coalesce(l.provider_name, '')
         AND d.billing_account_id = coalesce(l.billing_account_id, '')
         AND d.sub_account_id = coalesce(l.sub_account_id, '')
         AND d.service_name = coalesce(l.service_name, '')`;
  return { expr, join };
}

/**
 * Sums the period's cost lines on both bases by currency, known cost center, shared pool (see
 * {@link showbackPoolSql}) and GL account. With `frozen`, the figures of that close instead: the
 * month's lines summed as they stood at close, with the cost center and pool they had then.
 * With `withTiming`, groups also say whether the line's invoice was billed in this period and
 * booked in the GL wholly in other periods for the same amount.
 */
export async function sumShowbackGroups(
  db: Kysely<Database>,
  period: BillingMonth,
  pools: readonly SharedPool[],
  options: { withTiming: boolean; frozen?: number | undefined },
): Promise<ChargebackGroup[]> {
  const periodDate = period.start.slice(0, 10);
  const inPeriod = sql`l.billing_period_start >= ${period.start}::timestamptz AND l.billing_period_start < ${period.end}::timestamptz`;
  const frozen = options.frozen;
  const lines = frozen === undefined ? sql`cost_line l WHERE ${inPeriod}` : sql`closed_cost l WHERE l.closure_id = ${frozen} AND l.kind = 'actual'`;
  const timingWith = options.withTiming
    ? sql`WITH billed_here AS (
        SELECT invoice_id, billing_currency AS currency, sum(billed_cost) AS billed
          FROM ${lines} AND invoice_id IS NOT NULL GROUP BY 1, 2
      ), gl AS (
        SELECT invoice_id, currency, count(*) FILTER (WHERE period = ${periodDate}::date) AS rows_here,
               sum(amount) FILTER (WHERE period <> ${periodDate}::date) AS elsewhere
          FROM gl_actual WHERE invoice_id IN (SELECT invoice_id FROM billed_here) GROUP BY 1, 2
      ), moved AS (
        SELECT h.invoice_id, h.currency FROM billed_here h JOIN gl g ON g.invoice_id = h.invoice_id AND g.currency = h.currency
         WHERE g.rows_here = 0 AND g.elsewhere = h.billed
      )`
    : sql``;
  const timingJoin = options.withTiming ? sql`LEFT JOIN moved m ON m.invoice_id = l.invoice_id AND m.currency = l.billing_currency` : sql``;
  const timingExpr = options.withTiming ? sql`(m.invoice_id IS NOT NULL)` : sql`false`;
  let source: RawBuilder<unknown>;
  if (frozen === undefined) {
    const pool = showbackPoolSql(period, pools);
    source = sql`SELECT l.billing_currency AS currency, cc.code AS cost_center, ${pool.expr} AS pool, l.gl_account,
               ${timingExpr} AS booked_elsewhere, l.billed_cost, l.effective_cost, 1 AS line_count
          FROM cost_line l
          LEFT JOIN cost_center cc ON cc.code = l.cost_center
          ${pool.join}
          ${timingJoin}
         WHERE ${inPeriod}`;
  } else {
    source = sql`SELECT l.billing_currency AS currency, l.showback_cost_center AS cost_center, l.pool, l.gl_account,
               ${timingExpr} AS booked_elsewhere, l.billed_cost, l.effective_cost, l.line_count
          FROM closed_cost l
          ${timingJoin}
         WHERE l.closure_id = ${frozen} AND l.kind = 'actual'`;
  }
  const result = await sql<{
    currency: string;
    cost_center: string | null;
    pool: string | null;
    gl_account: string | null;
    booked_elsewhere: boolean;
    billed: string;
    effective: string;
    lines: number;
  }>`
    ${timingWith}
    SELECT currency, cost_center, pool, gl_account, booked_elsewhere,
           sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective, sum(line_count)::int AS lines
      FROM (${source}) x
     GROUP BY currency, cost_center, pool, gl_account, booked_elsewhere`.execute(db);
  return result.rows.map((r) => ({
    currency: r.currency,
    costCenter: r.cost_center,
    pool: r.pool,
    glAccount: r.gl_account,
    bookedElsewhere: r.booked_elsewhere,
    billed: r.billed,
    effective: r.effective,
    lines: Number(r.lines),
  }));
}

/** GL actuals of a period per currency and cost center, exact. */
export async function sumGlActuals(db: Kysely<Database>, period: BillingMonth): Promise<{ currency: string; costCenter: string; amount: string }[]> {
  const r = await sql<{ currency: string; cost_center: string; amount: string }>`
    SELECT currency, cost_center_code AS cost_center, sum(amount)::text AS amount
      FROM gl_actual WHERE period = ${period.start.slice(0, 10)}::date
     GROUP BY 1, 2`.execute(db);
  return r.rows.map((x) => ({ currency: x.currency, costCenter: x.cost_center, amount: x.amount }));
}

/**
 * GL actuals booked in this period for invoices billed wholly in other billing periods for the same
 * amount (no line of the invoice in this period), per currency and cost center.
 */
export async function sumGlBookedForOtherPeriods(
  db: Kysely<Database>,
  period: BillingMonth,
): Promise<{ currency: string; costCenter: string; amount: string }[]> {
  const periodDate = period.start.slice(0, 10);
  const r = await sql<{ currency: string; cost_center: string; amount: string }>`
    WITH gl_here AS (
      SELECT invoice_id, currency, sum(amount) AS amount
        FROM gl_actual WHERE period = ${periodDate}::date AND invoice_id IS NOT NULL GROUP BY 1, 2
    ), lines AS (
      SELECT invoice_id, billing_currency AS currency,
             count(*) FILTER (WHERE billing_period_start >= ${period.start}::timestamptz AND billing_period_start < ${period.end}::timestamptz) AS here,
             sum(billed_cost) FILTER (WHERE billing_period_start < ${period.start}::timestamptz OR billing_period_start >= ${period.end}::timestamptz) AS elsewhere
        FROM cost_line WHERE invoice_id IN (SELECT invoice_id FROM gl_here) GROUP BY 1, 2
    ), moved AS (
      SELECT h.invoice_id, h.currency FROM gl_here h JOIN lines x ON x.invoice_id = h.invoice_id AND x.currency = h.currency
       WHERE x.here = 0 AND x.elsewhere = h.amount
    )
    SELECT g.currency, g.cost_center_code AS cost_center, sum(g.amount)::text AS amount
      FROM gl_actual g JOIN moved m ON m.invoice_id = g.invoice_id AND m.currency = g.currency
     WHERE g.period = ${periodDate}::date
     GROUP BY 1, 2`.execute(db);
  return r.rows.map((x) => ({ currency: x.currency, costCenter: x.cost_center, amount: x.amount }));
}

/** The codes among `codes` that are in the cost-center master data. */
export async function knownCostCenters(db: Kysely<Database>, codes: readonly string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const r = await sql<{ code: string }>`SELECT code FROM cost_center WHERE code IN (${sql.join([...new Set(codes)].map((c) => sql`${c}`))})`.execute(db);
  return new Set(r.rows.map((x) => x.code));
}

/** Names of cost centers, for display. */
export async function costCenterNames(db: Kysely<Database>, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const r = await sql<{ code: string; name: string }>`SELECT code, name FROM cost_center WHERE code IN (${sql.join([...new Set(codes)].map((c) => sql`${c}`))})`.execute(db);
  return new Map(r.rows.map((x) => [x.code, x.name]));
}
