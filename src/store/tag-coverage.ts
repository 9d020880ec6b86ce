import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';
import type { BillingMonth } from '../domain/billing-month.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import { sharedFields, type SharedField } from '../domain/shared-fields.js';

/** Cost of one provider and sub-account, in total and where each shared field is resolved. */
export interface CoverageGroup {
  readonly currency: string;
  readonly provider: string | null;
  readonly subAccountId: string | null;
  readonly subAccountName: string | null;
  readonly lines: number;
  readonly total: string;
  /** Cost of the lines with every required field resolved. */
  readonly covered: string;
  readonly byField: Readonly<Record<SharedField, string>>;
}

/** A tag key (trimmed, case-folded) seen on the period's lines. */
export interface SeenTagKey {
  readonly currency: string;
  readonly key: string;
  /** The spellings seen, as written in the Tags JSON (` org`, `org` ...). */
  readonly spellings: readonly string[];
  /** The shared field its alias maps to, or null. */
  readonly field: SharedField | null;
  readonly lines: number;
  /** Cost of the lines carrying it (a line with two spellings counts once). */
  readonly cost: string;
}

/** The SQL test of a shared field being resolved; a cost center must also be in master data. */
function resolved(field: SharedField) {
  return field === 'cost_center' ? sql`cc.code IS NOT NULL` : sql`btrim(coalesce(${sql.ref(`l.${field}`)}, '')) <> ''`;
}

/** Exact cost per currency, provider and sub-account of a period, in total, fully covered, and per shared field. */
export async function sumTagCoverage(
  db: Kysely<Database>,
  period: BillingMonth,
  basis: CostBasis,
  required: readonly SharedField[],
): Promise<CoverageGroup[]> {
  const cost = sql.ref(basis === 'billed' ? 'l.billed_cost' : 'l.effective_cost');
  const all = sql.join(required.map(resolved), sql` AND `);
  const r = await sql<Record<string, string | number | null>>`
    SELECT l.billing_currency AS currency, l.provider_name AS provider, l.sub_account_id AS sub_account_id,
           max(l.sub_account_name) AS sub_account_name, count(*)::int AS lines,
           sum(${cost})::text AS total,
           coalesce(sum(${cost}) FILTER (WHERE ${all}), 0)::text AS covered,
           ${sql.join(sharedFields.map((f) => sql`coalesce(sum(${cost}) FILTER (WHERE ${resolved(f)}), 0)::text AS ${sql.ref(`f_${f}`)}`))}
      FROM cost_line l
      LEFT JOIN cost_center cc ON cc.code = l.cost_center
     WHERE l.billing_period_start >= ${period.start}::timestamptz AND l.billing_period_start < ${period.end}::timestamptz
     GROUP BY 1, 2, 3`.execute(db);
  return r.rows.map((x) => ({
    currency: String(x.currency),
    provider: x.provider === null ? null : String(x.provider),
    subAccountId: x.sub_account_id === null ? null : String(x.sub_account_id),
    subAccountName: x.sub_account_name === null ? null : String(x.sub_account_name),
    lines: Number(x.lines),
    total: String(x.total),
    covered: String(x.covered),
    byField: Object.fromEntries(sharedFields.map((f) => [f, String(x[`f_${f}`])])) as Record<SharedField, string>,
  }));
}

/** Every tag key on the period's lines, with the shared field its alias maps to (if any), line count and cost. */
export async function sumSeenTagKeys(db: Kysely<Database>, period: BillingMonth, basis: CostBasis): Promise<SeenTagKey[]> {
  const cost = sql.ref(basis === 'billed' ? 'l.billed_cost' : 'l.effective_cost');
  const r = await sql<{ currency: string; nk: string; field: string | null; lines: number; cost: string; spellings: string }>`
    WITH k AS (
      SELECT l.billing_currency AS currency, l.billing_period_start AS bps, l.id, t.key, lower(btrim(t.key)) AS nk, ${cost} AS cost
        FROM cost_line l
        CROSS JOIN LATERAL jsonb_object_keys(CASE WHEN jsonb_typeof(l.tags) = 'object' THEN l.tags ELSE '{}'::jsonb END) t(key)
       WHERE l.billing_period_start >= ${period.start}::timestamptz AND l.billing_period_start < ${period.end}::timestamptz
    ), per_line AS (
      SELECT currency, nk, bps, id, min(cost) AS cost FROM k GROUP BY 1, 2, 3, 4
    ), spelled AS (
      SELECT currency, nk, json_agg(DISTINCT key) AS spellings FROM k GROUP BY 1, 2
    )
    SELECT p.currency, p.nk, a.field, count(*)::int AS lines, sum(p.cost)::text AS cost, s.spellings::text AS spellings
      FROM per_line p
      JOIN spelled s ON s.currency = p.currency AND s.nk = p.nk
      LEFT JOIN tag_alias a ON a.tag_key = p.nk
     GROUP BY p.currency, p.nk, a.field, s.spellings::text`.execute(db);
  return r.rows.map((x) => ({
    currency: x.currency,
    key: x.nk,
    spellings: (JSON.parse(x.spellings) as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    field: (sharedFields as readonly string[]).includes(x.field ?? '') ? (x.field as SharedField) : null,
    lines: Number(x.lines),
    cost: x.cost,
  }));
}
