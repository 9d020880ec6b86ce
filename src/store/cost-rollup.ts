// The daily rollup (cost_rollup, migration 20261204T0401): cost lines summed per billing period,
// charge day and the columns reports group by. Every write to cost_line adds its change here in the
// same statement or transaction (focus-load.ts, reattribution.ts), so a report that needs no line
// detail reads a few rows per day instead of every line, and reads the same totals.

import { sql, type Kysely, type RawBuilder } from 'kysely';
import { frozenFacts, liveFacts, liveGrainExpression, type FactRange, type FrozenMonth } from './cost-facts.js';
import { withLocalSettings, type SqlRunner } from './sql-runner.js';
import type { Database } from './tables.js';

/** The rollup's grain columns, in table order. */
export const rollupGrainColumns = [
  'billing_period_start', 'charge_day', 'billing_currency', 'provider_name', 'billing_account_id', 'sub_account_id',
  'region_id', 'service_category', 'service_name', 'sku_id', 'price_key', 'pricing_unit', 'quantified', 'charge_category',
  'cost_center', 'application', 'legal_entity', 'environment', 'project', 'owner', 'synthetic',
  'publisher_name', 'invoice_issuer_name', 'contracted',
] as const;

type GrainColumn = (typeof rollupGrainColumns)[number];

/** The rollup's summed columns, in table order. */
export const rollupAmountColumns = ['billed_cost', 'effective_cost', 'list_cost', 'contracted_cost', 'pricing_quantity', 'consumed_quantity', 'line_count'] as const;

/** SQL over a cost_line alias `c`: one grain column as the line has it. */
function lineGrain(c: string, col: GrainColumn): string {
  switch (col) {
    case 'charge_day':
      return `(date_trunc('day', ${c}.charge_period_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;
    case 'synthetic':
      return `coalesce(${c}.extra->>'x_Demo' = 'synthetic', false)`;
    case 'contracted':
      return `(${c}.contract_id IS NOT NULL)`;
    case 'price_key':
    case 'quantified':
      // The same expressions as a live fact's (cost-facts.ts), so variance keys prices alike.
      return liveGrainExpression(c, col);
    default:
      return `${c}.${col}`;
  }
}

/** SQL over a cost_line alias `c`: one amount of the line, times `sign` (a nullable amount counts as 0). */
function lineAmount(c: string, col: (typeof rollupAmountColumns)[number], sign: 1 | -1): string {
  const value = col === 'line_count' ? '1::bigint' : col === 'billed_cost' || col === 'effective_cost' ? `${c}.${col}` : `coalesce(${c}.${col}, 0)`;
  return sign === 1 ? value : `-${value}`;
}

/**
 * SQL select list over a cost_line alias `c`: the line as a rollup change (grain and amounts, named
 * as the table's columns), added (sign 1) or taken away (sign -1).
 */
export function rollupChangeColumns(c: string, sign: 1 | -1): string {
  return [
    ...rollupGrainColumns.map((col) => `${lineGrain(c, col)} AS ${col}`),
    ...rollupAmountColumns.map((col) => `${lineAmount(c, col, sign)} AS ${col}`),
  ].join(', ');
}

/** The grain columns the grain key digests (the billing period and account stand beside it in the unique key). */
const keyedGrainColumns = rollupGrainColumns.filter((c) => c !== 'billing_period_start' && c !== 'billing_account_id');

/**
 * SQL: the grain key of a row whose grain columns are in scope unqualified — an md5 digest, as a
 * uuid, of the row's text form. The charge day goes in as epoch seconds so that no session setting
 * (TimeZone, DateStyle) changes the text; a NULL and an empty text differ in a row's text form.
 * Migration 20261205T0401 computes the same expression.
 */
export function grainKeySql(): string {
  const parts = keyedGrainColumns.map((c) => (c === 'charge_day' ? 'extract(epoch FROM charge_day)::bigint' : c));
  return `md5(row(${parts.join(', ')})::text)::uuid`;
}

/**
 * SQL: adds the changes a query yields (rows shaped by `rollupChangeColumns`) to the rollup, one
 * upsert per grain. Rows left with no line are removed by `removeEmptyRollupRows`.
 */
export function addToRollupSql(changes: string): string {
  const grain = rollupGrainColumns.join(', ');
  return `INSERT INTO cost_rollup AS r (${grain}, ${rollupAmountColumns.join(', ')}, grain_key)
SELECT *, ${grainKeySql()}
  FROM (SELECT ${grain}, ${rollupAmountColumns.map((a) => `sum(${a}) AS ${a}`).join(', ')}
          FROM (${changes}) x
         GROUP BY ${grain}) g
ON CONFLICT ON CONSTRAINT cost_rollup_grain DO UPDATE
   SET ${rollupAmountColumns.map((a) => `${a} = r.${a} + excluded.${a}`).join(', ')}`;
}

/**
 * Runs `work` (statements that add to the rollup) with a hashed aggregate: grouping a million
 * changes on the 21 grain columns by sorting spills to disk and took 19-31 s in the benchmark's
 * import against 7-11 s hashed (same run). JIT goes off with it: a disabled sort's cost penalty
 * would otherwise make every such statement look huge and be compiled with full optimization
 * (8.6 s for a three-line re-attribution). Settings are transaction-local and put back after
 * `work`; on a failure the caller's transaction rolls back and takes them with it.
 */
export async function withHashedRollupGrouping<T>(runner: SqlRunner, work: () => Promise<T>): Promise<T> {
  return withLocalSettings(runner, { work_mem: '64MB', enable_sort: 'off', jit: 'off' }, work);
}

/** Removes rollup rows no line contributes to any more (after a re-attribution moved their lines). */
export async function removeEmptyRollupRows(runner: SqlRunner): Promise<void> {
  await runner.run('DELETE FROM cost_rollup WHERE line_count = 0');
}

/** Drops a (billing period, billing account) slice from the rollup: a restatement replaces all its lines. */
export async function dropRollupSlice(runner: SqlRunner, periodStart: string, billingAccountId: string): Promise<void> {
  await runner.run('DELETE FROM cost_rollup WHERE billing_period_start = $1 AND billing_account_id = $2', [periodStart, billingAccountId]);
}

/**
 * Rebuilds the whole rollup from the lines. For loaders that write cost_line directly (the
 * benchmarks' SQL generators); the application's own writes keep it current as they go.
 */
export async function rebuildRollup(runner: SqlRunner): Promise<void> {
  await runner.run('DELETE FROM cost_rollup');
  await withHashedRollupGrouping(runner, () => runner.run(addToRollupSql(`SELECT ${rollupChangeColumns('c', 1)} FROM cost_line c`)));
}

/** The fact columns (cost-facts.ts names) the rollup can answer; `charge_period_start` is the charge day. */
export const rolledUpFactColumns: ReadonlySet<string> = new Set([
  'billing_period_start', 'charge_period_start', 'billing_currency', 'provider_name', 'billing_account_id', 'sub_account_id',
  'region_id', 'service_category', 'service_name', 'price_key', 'pricing_unit', 'quantified', 'charge_category', 'cost_center',
  'application', 'legal_entity', 'environment', 'project', 'owner',
]);

const factColumns = [...rolledUpFactColumns].join(', ');
const rollupFactColumns = [...rolledUpFactColumns].map((c) => (c === 'charge_period_start' ? 'charge_day AS charge_period_start' : c)).join(', ');
const factAmounts = 'billed_cost, effective_cost, list_cost, contracted_cost, pricing_quantity, line_count';

const inRange = (r: FactRange) => sql`billing_period_start >= ${r.start}::timestamptz AND billing_period_start < ${r.end}::timestamptz`;

/**
 * Daily facts of a range from the rollup: the `rolledUpFactColumns` and the amounts, a closed month
 * in `frozen` from its close's frozen figures. ChargePeriodStart is the charge day (UTC), so a cut
 * on it must fall on a day boundary. Use it as a FROM item, like cost-facts.ts's sources.
 */
export function rolledUpFacts(range: FactRange, frozen: readonly FrozenMonth[] = []): RawBuilder<unknown> {
  const overlapping = frozen.filter((m) => m.start < range.end && m.end > range.start);
  const outside = overlapping.map((m) => sql` AND NOT (billing_period_start >= ${m.start}::timestamptz AND billing_period_start < ${m.end}::timestamptz)`);
  const live = sql`SELECT ${sql.raw(rollupFactColumns)}, ${sql.raw(factAmounts)}
                     FROM cost_rollup WHERE ${inRange(range)}${sql.join(outside, sql``)}`;
  if (overlapping.length === 0) return live;
  const closed = overlapping.map((m) => sql`SELECT ${sql.raw(factColumns)}, ${sql.raw(factAmounts)} FROM (${frozenFacts(m.closureId, 'actual', range)}) z`);
  return sql.join([live, ...closed].map((p) => sql`(${p})`), sql` UNION ALL `);
}

/**
 * The live facts of a range for a reader grouping or filtering on `columns`: the rollup when it holds
 * them all, else the lines (cost-facts.ts `liveFacts`).
 */
export function liveFactsFor(range: FactRange, columns: readonly string[]): RawBuilder<unknown> {
  return columns.every((c) => rolledUpFactColumns.has(c)) ? rolledUpFacts(range) : liveFacts(range);
}

/** Rollup rows and the lines they stand for (for `database-health`-style checks and tests). */
export async function rollupSize(db: Kysely<Database>): Promise<{ rows: number; lines: number }> {
  const r = await sql<{ rows: string; lines: string | null }>`SELECT count(*) AS rows, sum(line_count) AS lines FROM cost_rollup`.execute(db);
  return { rows: Number(r.rows[0]!.rows), lines: Number(r.rows[0]!.lines ?? 0) };
}
