import type { Kysely } from 'kysely';
import type { Database } from './tables.js';

/** A GL actual to store; `period` is the first day (`2025-03-01`), `amount` exact text. */
export interface GlActualValues {
  readonly period: string;
  readonly cost_center_code: string;
  readonly gl_account: string;
  readonly vendor: string | null;
  readonly invoice_id: string | null;
  readonly amount: string;
  readonly currency: string;
  readonly description: string | null;
}

const chunkRows = 1000;

/**
 * Replaces every stored actual of the given periods with `rows` (a GL extract is restated per
 * period); other periods are untouched. Returns how many stored rows were removed.
 */
export async function replaceGlPeriods(
  db: Kysely<Database>,
  periods: readonly string[],
  rows: readonly GlActualValues[],
  batchId: number,
): Promise<{ removed: number }> {
  let removed = 0;
  if (periods.length > 0) {
    const result = await db.deleteFrom('gl_actual').where('period', 'in', [...periods]).executeTakeFirst();
    removed = Number(result.numDeletedRows);
  }
  for (let i = 0; i < rows.length; i += chunkRows) {
    await db
      .insertInto('gl_actual')
      .values(rows.slice(i, i + chunkRows).map((r) => ({ ...r, batch_id: batchId })))
      .execute();
  }
  return { removed };
}

/** A GL actual as stored. */
export interface StoredGlActual extends GlActualValues {
  readonly batch_id: number | null;
}

/** The stored actuals of a period, in insertion order (for reports and tests). */
export async function listGlActuals(db: Kysely<Database>, period: string): Promise<StoredGlActual[]> {
  return db
    .selectFrom('gl_actual')
    .select(['period', 'cost_center_code', 'gl_account', 'vendor', 'invoice_id', 'amount', 'currency', 'description', 'batch_id'])
    .where('period', '=', period)
    .orderBy('id')
    .execute();
}

/** Exact totals of a batch's actuals per currency, summed by Postgres `numeric`. */
export async function glTotalsByCurrency(db: Kysely<Database>, batchId: number): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom('gl_actual')
    .select(['currency', (eb) => eb.fn.sum<string>('amount').as('total')])
    .where('batch_id', '=', batchId)
    .groupBy('currency')
    .orderBy('currency')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.currency, String(r.total)]));
}
