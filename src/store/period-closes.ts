import { sql, type Kysely, type Transaction } from 'kysely';
import type { SharedPool } from '../domain/allocation-pools.js';
import type { BillingMonth } from '../domain/billing-month.js';
import { normalizeDecimal } from '../domain/money.js';
import type { ClosedMonths, PeriodClosure } from '../domain/period-close.js';
import { factAmountColumns, factGrainColumns, frozenFacts, liveFacts, liveGrainExpressions, negatedFacts, unionFacts, type FactRange, type FrozenMonth } from './cost-facts.js';
import { restatementFacts } from './restated-comparatives.js';
import { showbackPoolSql } from './showback-lines.js';
import type { CloseTables } from './tables-close.js';
import type { Database } from './tables.js';
import type { PlanAmount } from './variance-plans.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A transaction of the store, for use cases that read and write in one (opaque outside store/). */
export type BooksTransaction = Transaction<Database>;

/** A month's total at close in one currency. */
export interface ClosedTotal {
  readonly currency: string;
  readonly lines: number;
  readonly billed: string;
  readonly effective: string;
}

/** A budget or forecast amount as it stood at close. */
export interface ClosedPlan extends PlanAmount {
  readonly version: 'budget' | 'forecast';
}

/** A stored close, current or reopened. */
export interface StoredClosure extends PeriodClosure {
  readonly surface: string;
  readonly pools: readonly SharedPool[];
  readonly poolsFile: string | null;
  readonly plans: readonly ClosedPlan[];
  readonly totals: readonly ClosedTotal[];
  readonly reopenedAt: string | null;
  readonly reopenedBy: string | null;
  readonly reopenReason: string | null;
}

/** The same key as the chargeback issue, so a close and a chargeback never interleave. */
export const booksLockKey = 7_265_303;

/** Waits for any running close, reopen or chargeback issue; call first inside the transaction. */
export async function lockBooks(trx: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(booksLockKey)})`.execute(trx);
}

const tables = (db: Db) => db.withTables<CloseTables>();

function stored(r: {
  id: number; period: string; closed_at: Date; closed_by: string; surface: string; pools: unknown; pools_file: string | null;
  plans: unknown; totals: unknown; reopened_at: Date | null; reopened_by: string | null; reopen_reason: string | null;
}): StoredClosure {
  return {
    id: Number(r.id),
    period: String(r.period).slice(0, 7),
    closedAt: new Date(r.closed_at).toISOString(),
    closedBy: r.closed_by,
    surface: r.surface,
    pools: r.pools as SharedPool[],
    poolsFile: r.pools_file,
    plans: r.plans as ClosedPlan[],
    totals: r.totals as ClosedTotal[],
    reopenedAt: r.reopened_at ? new Date(r.reopened_at).toISOString() : null,
    reopenedBy: r.reopened_by,
    reopenReason: r.reopen_reason,
  };
}

/** Every close, newest first (reopened ones included). */
export async function listClosures(db: Db): Promise<StoredClosure[]> {
  const rows = await tables(db).selectFrom('period_close').selectAll().orderBy('period', 'desc').orderBy('id', 'desc').execute();
  return rows.map(stored);
}

/** The current close of every closed month, by `YYYY-MM`. */
export async function closedMonths(db: Db): Promise<Map<string, StoredClosure>> {
  const rows = await tables(db).selectFrom('period_close').selectAll().where('reopened_at', 'is', null).orderBy('period').execute();
  return new Map(rows.map((r) => [String(r.period).slice(0, 7), stored(r)]));
}

/** The closed months as the frozen sources of reports (closure and range). */
export function frozenMonths(closed: ClosedMonths): FrozenMonth[] {
  return [...closed.values()].map((c) => {
    const [y, m] = c.period.split('-').map(Number) as [number, number];
    return { closureId: c.id, start: new Date(Date.UTC(y, m - 1, 1)).toISOString(), end: new Date(Date.UTC(y, m, 1)).toISOString() };
  });
}

/** Records a close (no frozen figures yet) and returns its id. */
export async function insertClosure(
  trx: Transaction<Database>,
  c: { period: BillingMonth; closedBy: string; surface: string; pools: readonly SharedPool[]; poolsFile: string | null; plans: readonly ClosedPlan[] },
): Promise<{ id: number; closedAt: Date }> {
  const row = await tables(trx)
    .insertInto('period_close')
    .values({
      period: c.period.start.slice(0, 10),
      closed_by: c.closedBy,
      surface: c.surface,
      pools: JSON.stringify(c.pools),
      pools_file: c.poolsFile,
      plans: JSON.stringify(c.plans),
    })
    .returning(['id', 'closed_at'])
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), closedAt: row.closed_at };
}

const grainList = factGrainColumns.join(', ');
const amountSums = factAmountColumns.map((a) => `sum(${a}) AS ${a}`).join(', ');

/**
 * Freezes the month's live lines as they stand (kind `actual`), at the fact grain plus the known
 * cost center and shared-cost pool each line has for showback with `pools`. Returns rows written.
 */
export async function freezeActual(trx: Transaction<Database>, closureId: number, period: BillingMonth, pools: readonly SharedPool[]): Promise<number> {
  const pool = showbackPoolSql(period, pools);
  const grain = liveGrainExpressions('l');
  const groupBy = Array.from({ length: grain.length + 2 }, (_, i) => i + 1).join(', ');
  const r = await sql`
    INSERT INTO closed_cost (closure_id, kind, ${sql.raw(grainList)}, showback_cost_center, pool, ${sql.raw(factAmountColumns.join(', '))})
    SELECT ${closureId}, 'actual', g.*
      FROM (SELECT ${sql.raw(grain.join(', '))}, cc.code AS showback_cost_center, ${pool.expr} AS pool,
                   sum(l.billed_cost), sum(l.effective_cost), sum(l.list_cost), sum(l.contracted_cost), sum(l.pricing_quantity), count(*)
              FROM cost_line l
              LEFT JOIN cost_center cc ON cc.code = l.cost_center
              ${pool.join}
             WHERE l.billing_period_start >= ${period.start}::timestamptz AND l.billing_period_start < ${period.end}::timestamptz
             GROUP BY ${sql.raw(groupBy)}) g`.execute(trx);
  return Number(r.numAffectedRows ?? 0n);
}

/**
 * Freezes what month-on-month variance of the closed month compares with: the month before restated
 * under the attribution in force for the closed month (kind `comparative`), and that minus the month
 * before as reported at close, its frozen figures when it is closed, else its live lines (kind
 * `restatement`, only the grain rows that differ).
 */
export async function freezeComparative(
  trx: Transaction<Database>,
  closureId: number,
  comparison: FactRange,
  current: FactRange,
  comparisonClosure: number | undefined,
): Promise<void> {
  const delta = await restatementFacts(trx, comparison, current);
  const restated = unionFacts(delta ? [liveFacts(comparison), delta] : [liveFacts(comparison)]);
  await sql`
    INSERT INTO closed_cost (closure_id, kind, ${sql.raw(grainList)}, ${sql.raw(factAmountColumns.join(', '))})
    SELECT ${closureId}, 'comparative', ${sql.raw(grainList)}, ${sql.raw(amountSums)}
      FROM (${restated}) f GROUP BY ${sql.raw(grainList)}`.execute(trx);
  // Restated minus reported: just the delta when the month before is open (its live lines are what
  // was reported); against its frozen figures when it is closed.
  const parts =
    comparisonClosure === undefined
      ? delta
      : unionFacts([liveFacts(comparison), ...(delta ? [delta] : []), negatedFacts(frozenFacts(comparisonClosure, 'actual', comparison))]);
  if (!parts) return;
  const nonZero = factAmountColumns.filter((a) => a !== 'line_count').map((a) => `coalesce(sum(${a}), 0) <> 0`).join(' OR ');
  await sql`
    INSERT INTO closed_cost (closure_id, kind, ${sql.raw(grainList)}, ${sql.raw(factAmountColumns.join(', '))})
    SELECT ${closureId}, 'restatement', ${sql.raw(grainList)}, ${sql.raw(amountSums)}
      FROM (${parts}) f GROUP BY ${sql.raw(grainList)}
    HAVING ${sql.raw(nonZero)}`.execute(trx);
}

/** Per currency, lines and totals of a close's frozen month. */
export async function frozenTotals(db: Db, closureId: number): Promise<ClosedTotal[]> {
  const r = await sql<{ currency: string; lines: number; billed: string; effective: string }>`
    SELECT billing_currency AS currency, sum(line_count)::int8 AS lines, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
      FROM closed_cost WHERE closure_id = ${closureId} AND kind = 'actual'
     GROUP BY 1 ORDER BY 1`.execute(db);
  return r.rows.map((x) => ({ currency: x.currency, lines: Number(x.lines), billed: normalizeDecimal(x.billed), effective: normalizeDecimal(x.effective) }));
}

/** Stores the totals of a close. */
export async function setClosureTotals(trx: Transaction<Database>, closureId: number, totals: readonly ClosedTotal[]): Promise<void> {
  await tables(trx).updateTable('period_close').set({ totals: JSON.stringify(totals) }).where('id', '=', closureId).execute();
}

/** Marks a close reopened (it and its frozen figures are kept for the record). */
export async function markReopened(trx: Transaction<Database>, closureId: number, by: string, reason: string): Promise<Date> {
  const row = await tables(trx)
    .updateTable('period_close')
    .set({ reopened_at: sql<Date>`now()`, reopened_by: by, reopen_reason: reason })
    .where('id', '=', closureId)
    .returning('reopened_at')
    .executeTakeFirstOrThrow();
  return row.reopened_at!;
}

/** Billing months (`YYYY-MM`) before `key` that hold cost lines, oldest first. */
export async function monthsWithLinesBefore(db: Db, key: string): Promise<string[]> {
  const r = await sql<{ month: string }>`
    SELECT DISTINCT to_char(billing_period_start AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM cost_line
     WHERE billing_period_start < ${`${key}-01T00:00:00.000Z`}::timestamptz ORDER BY 1`.execute(db);
  return r.rows.map((x) => x.month);
}
