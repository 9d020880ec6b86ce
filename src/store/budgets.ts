import { sql, type Kysely } from 'kysely';
import type { UpsertCounts } from './cost-centers.js';
import type { Database } from './tables.js';

/** A budget or forecast amount to store; `month` is the first day (`2025-03-01`), `amount` exact text. */
export interface BudgetLineValues {
  readonly version: 'budget' | 'forecast';
  readonly cost_center_code: string;
  readonly category: string;
  readonly month: string;
  readonly amount: string;
  readonly currency: string;
}

const chunkRows = 1000;

/**
 * Inserts or updates budget lines by (version, cost center, category, month). A changed line takes
 * the new amount, currency and batch; an identical one is left alone (it keeps the batch that set it).
 * Lines the file does not mention are kept.
 */
export async function upsertBudgetLines(
  db: Kysely<Database>,
  lines: readonly BudgetLineValues[],
  batchId: number,
): Promise<UpsertCounts> {
  let inserted = 0;
  let updated = 0;
  for (let i = 0; i < lines.length; i += chunkRows) {
    const written = await db
      .insertInto('budget_line')
      .values(lines.slice(i, i + chunkRows).map((l) => ({ ...l, batch_id: batchId })))
      .onConflict((oc) =>
        oc
          .columns(['version', 'cost_center_code', 'category', 'month'])
          .doUpdateSet((eb) => ({
            amount: eb.ref('excluded.amount'),
            currency: eb.ref('excluded.currency'),
            batch_id: eb.ref('excluded.batch_id'),
          }))
          // numeric equality ignores scale (1.50 = 1.5); the text comparison keeps a restated scale.
          .where(sql<boolean>`(budget_line.amount::text, budget_line.currency) IS DISTINCT FROM (excluded.amount::text, excluded.currency)`),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .execute();
    for (const w of written) w.inserted ? inserted++ : updated++;
  }
  return { inserted, updated, unchanged: lines.length - inserted - updated };
}

/** A budget line as stored. */
export interface StoredBudgetLine extends BudgetLineValues {
  readonly batch_id: number | null;
}

/** The stored lines of a version, in key order (for reports and tests). */
export async function listBudgetLines(db: Kysely<Database>, version: 'budget' | 'forecast'): Promise<StoredBudgetLine[]> {
  return db
    .selectFrom('budget_line')
    .select(['version', 'cost_center_code', 'category', 'month', 'amount', 'currency', 'batch_id'])
    .where('version', '=', version)
    .orderBy('cost_center_code')
    .orderBy('category')
    .orderBy('month')
    .execute();
}
