import { sql, type Kysely } from 'kysely';
import type { BillingMonth } from '../domain/billing-month.js';
import type { DigestUnattributedItem } from '../domain/digest.js';
import type { SharedField } from '../domain/shared-fields.js';
import { unattributedCreditSql } from '../domain/unattributed-spend.js';
import type { Database } from './tables.js';

// The weekly digest's own reads: freshness per provider, period totals on both bases, the
// unattributed spend grouped the way people claim it, unknown cost-center tag values
// and the decisions recorded since a time. Sums are exact (numeric::text).

/** When a provider's data last arrived and how far its charges reach. */
export interface ProviderFreshness {
  readonly provider: string;
  /** Latest import of a file holding this provider's lines. */
  readonly lastImportAt: Date;
  /** Latest day a usage charge starts on (any charge when it has no usage), `YYYY-MM-DD`. */
  readonly lastChargeDate: string;
  /** Whether it bills usage as it happens (ChargeFrequency Usage-Based) rather than by the month. */
  readonly usageBased: boolean;
}

/** Per-provider freshness over every stored line (from each import file's summary, import-provider-freshness.ts). */
export async function providerFreshness(db: Kysely<Database>): Promise<ProviderFreshness[]> {
  const r = await sql<{ provider: string | null; last_import: Date; last_charge: Date; usage_based: boolean | null }>`
    SELECT p.provider_name AS provider, max(b.imported_at) AS last_import, bool_or(p.usage_based) AS usage_based,
           coalesce(max(p.last_usage), max(p.last_charge)) AS last_charge
      FROM import_provider_freshness p
      JOIN import_batch b ON b.id = p.batch_id
     GROUP BY p.provider_name
     ORDER BY p.provider_name`.execute(db);
  return r.rows.map((x) => ({ provider: x.provider ?? '(no provider)', lastImportAt: new Date(x.last_import), lastChargeDate: new Date(x.last_charge).toISOString().slice(0, 10), usageBased: x.usage_based !== false }));
}

/** A billing month's total on both bases, per currency. */
export interface PeriodTotal {
  readonly currency: string;
  readonly effective: string;
  readonly billed: string;
  /** The part no required shared field is missing from (attributed). */
  readonly attributedEffective: string;
  readonly attributedBilled: string;
  readonly lines: number;
  readonly demo: boolean;
}

function missingAny(fields: readonly SharedField[]) {
  if (fields.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(fields.map((f) => sql`${sql.ref(`c.${f}`)} IS NULL`), sql` OR `)})`;
}

// The digest's data cut: lines charged (ChargePeriodStart, UTC day) before `asOf`, the same cut the
// run-rate forecast's month to date uses, so the digest's headline equals its budget table.
// On the rollup the charge day is the line's UTC charge day, so `charge_day < asOf` is the same cut.
function chargedBefore(asOf: string | undefined, column: 'charge_day' | 'charge_period_start' = 'charge_day') {
  return asOf === undefined ? sql`` : sql`AND ${sql.ref(`c.${column}`)} < ${`${asOf}T00:00:00.000Z`}::timestamptz`;
}

/** Totals of a billing month on both bases, per currency, with the attributed part (from the daily rollup); with `asOf`, only lines charged before that day. */
export async function periodTotals(db: Kysely<Database>, period: BillingMonth, required: readonly SharedField[], costCenters: readonly string[] = [], asOf?: string): Promise<PeriodTotal[]> {
  const scoped = costCenters.length > 0 ? sql`AND c.cost_center IN (${sql.join(costCenters.map((c) => sql`${c}`))})` : sql``;
  const r = await sql<{ currency: string; effective: string; billed: string; a_eff: string; a_bill: string; lines: number; demo: boolean }>`
    SELECT c.billing_currency AS currency,
           sum(c.effective_cost)::text AS effective, sum(c.billed_cost)::text AS billed,
           coalesce(sum(c.effective_cost) FILTER (WHERE NOT ${missingAny(required)}), 0)::text AS a_eff,
           coalesce(sum(c.billed_cost) FILTER (WHERE NOT ${missingAny(required)}), 0)::text AS a_bill,
           sum(c.line_count)::int8 AS lines,
           bool_or(c.synthetic) AS demo
      FROM cost_rollup c
     WHERE c.billing_period_start = ${period.start.slice(0, 10)} ${scoped} ${chargedBefore(asOf)}
     GROUP BY c.billing_currency
     ORDER BY c.billing_currency`.execute(db);
  return r.rows.map((x) => ({
    currency: x.currency,
    effective: x.effective,
    billed: x.billed,
    attributedEffective: x.a_eff,
    attributedBilled: x.a_bill,
    lines: Number(x.lines),
    demo: x.demo === true,
  }));
}

/** Unattributed spend of one claimable group (provider, account, sub-account, service), with the attribution area's status of its item. */
export interface UnattributedGroup extends DigestUnattributedItem {
  readonly status: 'open' | 'claimed' | 'dismissed';
}

/** A month's unattributed spend by group, largest effective cost first (from the daily rollup; every group: there are few); groups netting to a credit are left out; with `asOf`, only lines charged before that day. */
export async function unattributedGroups(db: Kysely<Database>, period: BillingMonth, required: readonly SharedField[], asOf?: string): Promise<UnattributedGroup[]> {
  const month = period.start.slice(0, 10);
  const r = await sql<{ item_id: string | null; status: string | null; provider: string; account: string; sub: string; service: string; currency: string; effective: string; billed: string; lines: number }>`
    SELECT g.*, u.id::text AS item_id, u.status
      FROM (SELECT coalesce(c.provider_name, '') AS provider, coalesce(c.billing_account_id, '') AS account,
                   coalesce(c.sub_account_id, '') AS sub, coalesce(c.service_name, '') AS service,
                   c.billing_currency AS currency,
                   sum(c.effective_cost)::text AS effective, sum(c.billed_cost)::text AS billed, sum(c.line_count)::int8 AS lines,
                   sum(c.effective_cost) AS sort_key
              FROM cost_rollup c
             WHERE c.billing_period_start = ${month} AND ${missingAny(required)} ${chargedBefore(asOf)}
             GROUP BY 1, 2, 3, 4, 5
            -- A group netting to a credit is not spend to claim (the attribution area lists it apart).
            HAVING NOT ${sql.raw(unattributedCreditSql('sum(c.billed_cost)', 'sum(c.effective_cost)'))}) g
      LEFT JOIN unattributed_item u
        ON u.period = ${month}::date AND u.provider_name = g.provider AND u.billing_account_id = g.account
       AND u.sub_account_id = g.sub AND u.service_name = g.service
     ORDER BY g.sort_key DESC, g.provider, g.account, g.sub, g.service`.execute(db);
  return r.rows.map((x) => ({
    itemId: x.item_id,
    status: (x.status ?? 'open') as UnattributedGroup['status'],
    provider: x.provider,
    billingAccountId: x.account,
    subAccountId: x.sub,
    service: x.service,
    currency: x.currency,
    effective: x.effective,
    billed: x.billed,
    lines: Number(x.lines),
  }));
}

/** A cost-center tag value master data does not know, with its spend. */
export interface UnknownCostCenterValue {
  readonly value: string;
  readonly currency: string;
  readonly effective: string;
  readonly lines: number;
}

/** Cost-center tag values of a month that are not in master data (only when master data exists). */
export async function unknownCostCenterValues(db: Kysely<Database>, period: BillingMonth, limit: number, asOf?: string): Promise<UnknownCostCenterValue[]> {
  const r = await sql<{ value: string; currency: string; effective: string; lines: number }>`
    SELECT c.tag_cost_center AS value, c.billing_currency AS currency, sum(c.effective_cost)::text AS effective, count(*)::int8 AS lines
      FROM cost_line c
     WHERE c.billing_period_start = ${period.start.slice(0, 10)}
       AND c.tag_cost_center IS NOT NULL ${chargedBefore(asOf, 'charge_period_start')}
       -- Implied by the value being unknown (a known tag value always sets the cost center), and the
       -- predicate of the partial index cost_line_unknown_cost_center_tag: only such lines are read.
       AND c.cost_center_source IS DISTINCT FROM 'tag'
       AND EXISTS (SELECT 1 FROM cost_center)
       AND NOT EXISTS (SELECT 1 FROM cost_center x WHERE x.code = c.tag_cost_center)
     GROUP BY 1, 2
     ORDER BY sum(c.effective_cost) DESC, 1
     LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => ({ value: x.value, currency: x.currency, effective: x.effective, lines: Number(x.lines) }));
}

/** A recorded decision. */
export interface RecordedDecision {
  readonly at: Date;
  readonly actor: string;
  readonly surface: string;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
}

/** Decisions people made after `since` and up to `until` (imports and schedule bookkeeping excluded), oldest first. */
export async function decisionsBetween(db: Kysely<Database>, since: Date | null, until: Date, limit: number): Promise<{ total: number; decisions: RecordedDecision[] }> {
  const where = (q: ReturnType<typeof base>) => {
    let x = q.where('at', '<=', until).where('outcome', '=', 'recorded').where('surface', '<>', 'schedule').where('action', 'not like', 'import%').where('action', 'not like', 'cadence.%');
    if (since) x = x.where('at', '>', since);
    return x;
  };
  const base = () => db.selectFrom('audit_log');
  const total = await where(base()).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await where(base()).select(['at', 'actor', 'surface', 'action', 'subject_type', 'subject_id']).orderBy('at').orderBy('id').limit(limit).execute();
  return {
    total: Number(total.n),
    decisions: rows.map((r) => ({ at: new Date(r.at), actor: r.actor, surface: r.surface, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id })),
  };
}
