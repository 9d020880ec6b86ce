// Restated comparatives: the comparison month's lines evaluated under the attribution in force for
// the current month (a what-if of the set-based re-attribution, nothing written), so a claim, rule
// or contract that starts between the two months is never read as a change in spend.

import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { sharedFields } from '../domain/shared-fields.js';
import { factAmountColumns, factGrainColumns, liveGrainExpression, type FactRange } from './cost-facts.js';
import { attributionDecisionCte, attributionLineColumns, contractMatches, masterDataCte, ruleMatches } from './reattribution.js';
import type { Database } from './tables.js';

/** The columns the attribution decides; everything else of a fact is the line's own. */
const decided = [...sharedFields, 'gl_account'] as const;
const isDecided = (col: string) => (decided as readonly string[]).includes(col);

/** Whole months from the comparison month's start to the current month's. */
function monthsBetween(comparison: FactRange, current: FactRange): number {
  const a = new Date(comparison.start);
  const b = new Date(current.start);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
}

/** Rules and contracts whose effect can differ between a line's own month and the current month. */
interface Candidates {
  readonly ruleIds: number[];
  readonly contractIds: string[];
}

/**
 * Rules whose effective period starts or ends between the comparison month and the current one
 * (a line of the comparison month is evaluated as of the current month's BillingPeriodStart), and
 * contracts with a start or end within that many months of either (a line's ChargePeriodStart is
 * moved on by the months between them, so a boundary between its charge day and that day moved on
 * changes it; a line charged further outside its billing period than that is taken as stored).
 */
async function candidates(db: Kysely<Database> | Transaction<Database>, comparison: FactRange, current: FactRange): Promise<Candidates> {
  const slack = sql`make_interval(months => ${sql.lit(monthsBetween(comparison, current))})`;
  const rules = await sql<{ id: number }>`
    SELECT id FROM attribution_rule
     WHERE removed_at IS NULL
       AND ((effective_from > ${comparison.start}::timestamptz AND effective_from <= ${current.start}::timestamptz)
         OR (effective_until > ${comparison.start}::timestamptz AND effective_until <= ${current.start}::timestamptz))`.execute(db);
  const contracts = await sql<{ id: string }>`
    SELECT id FROM contract
     WHERE ((start_date::timestamp AT TIME ZONE 'UTC') > ${comparison.start}::timestamptz - ${slack}
            AND (start_date::timestamp AT TIME ZONE 'UTC') <= ${current.end}::timestamptz + ${slack})
        OR (end_date IS NOT NULL
            AND ((end_date + 1)::timestamp AT TIME ZONE 'UTC') > ${comparison.start}::timestamptz - ${slack}
            AND ((end_date + 1)::timestamp AT TIME ZONE 'UTC') <= ${current.end}::timestamptz + ${slack})`.execute(db);
  return { ruleIds: rules.rows.map((r) => Number(r.id)), contractIds: contracts.rows.map((r) => r.id) };
}

/**
 * The restatement of `comparison` under the attribution in force for `current`, as facts: every
 * line whose attribution would differ appears twice, as restated (+) and as stored (−), so adding
 * these facts to the comparison month's own turns it into the restated comparative. Null when no
 * rule or contract changes between the two months (nothing to restate).
 */
export async function restatementFacts(
  db: Kysely<Database> | Transaction<Database>,
  comparison: FactRange,
  current: FactRange,
): Promise<RawBuilder<unknown> | null> {
  const c = await candidates(db, comparison, current);
  if (c.ruleIds.length === 0 && c.contractIds.length === 0) return null;
  const sources = c.ruleIds.map((id) => `rule:${id}`);
  const affected = sql`(
        ARRAY[${sql.raw(sharedFields.map((f) => `c.${f}_source`).join(', '))}]::text[] && ${sources}::text[]
     OR EXISTS (SELECT 1 FROM attribution_rule r WHERE r.id = ANY(${c.ruleIds}::bigint[]) AND ${sql.raw(ruleMatches('r', 'c', false))})
     OR c.contract_id = ANY(${c.contractIds}::text[])
     OR EXISTS (SELECT 1 FROM contract k WHERE k.id = ANY(${c.contractIds}::text[]) AND ${sql.raw(contractMatches('k', 'c', false))}))`;
  const own = factGrainColumns.filter((col) => !isDecided(col));
  const lineColumns = attributionLineColumns.filter((col) => col !== 'billing_period_start' && col !== 'charge_period_start');
  const passthrough = [...own.map((col) => `f_${col}`), ...decided.map((col) => `s_${col}`), ...factAmountColumns.filter((a) => a !== 'line_count').map((a) => `f_${a}`)];
  const t = sql`SELECT ${sql.raw(lineColumns.map((col) => `c.${col}`).join(', '))},
           ${current.start}::timestamptz AS billing_period_start,
           c.charge_period_start + make_interval(months => ${sql.lit(monthsBetween(comparison, current))}) AS charge_period_start,
           ${sql.raw(own.map((col) => `${liveGrainExpression('c', col)} AS f_${col}`).join(', '))},
           ${sql.raw(decided.map((col) => `c.${col} AS s_${col}`).join(', '))},
           ${sql.raw(factAmountColumns.filter((a) => a !== 'line_count').map((a) => `c.${a} AS f_${a}`).join(', '))}
      FROM cost_line c
     WHERE c.billing_period_start >= ${comparison.start}::timestamptz AND c.billing_period_start < ${comparison.end}::timestamptz
       AND ${affected}`;
  const changed = `(${decided.map((col) => `d.${col}`).join(', ')}) IS DISTINCT FROM (${decided.map((col) => `d.s_${col}`).join(', ')})`;
  const select = (sign: '' | '-', prefix: '' | 's_') =>
    [
      ...factGrainColumns.map((col) => (isDecided(col) ? `d.${prefix}${col} AS ${col}` : `d.f_${col} AS ${col}`)),
      ...factAmountColumns.map((a) => (a === 'line_count' ? `0::bigint AS line_count` : `${sign}d.f_${a} AS ${a}`)),
    ].join(', ');
  return sql`WITH ${sql.raw(masterDataCte)}, t AS (${t}), ${sql.raw(attributionDecisionCte(passthrough))}
    SELECT ${sql.raw(select('', ''))} FROM d WHERE ${sql.raw(changed)}
    UNION ALL
    SELECT ${sql.raw(select('-', 's_'))} FROM d WHERE ${sql.raw(changed)}`;
}
