import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';

/** The optional cost center columns an import may set; the others it leaves as stored. */
export const costCenterDetailColumns = ['parent_code', 'owner', 'legal_entity', 'chat_channel'] as const;
export type CostCenterDetailColumn = (typeof costCenterDetailColumns)[number];

/** A cost center to insert or update. */
export interface CostCenterValues {
  readonly code: string;
  readonly name: string;
  readonly parent_code: string | null;
  readonly owner: string | null;
  readonly legal_entity: string | null;
  readonly chat_channel: string | null;
}

/** How an upsert went: rows new, rows changed, rows already exactly so. */
export interface UpsertCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

const chunkRows = 1000;

/** Every stored cost center code with its parent code (the whole hierarchy; master data is small). */
export async function costCenterParents(db: Kysely<Database>): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('cost_center').select(['code', 'parent_code']).execute();
  return new Map(rows.map((r) => [r.code, r.parent_code]));
}

/** The codes among `codes` that are stored. */
export async function storedCostCenterCodes(db: Kysely<Database>, codes: Iterable<string>): Promise<Set<string>> {
  const wanted = [...new Set(codes)];
  const found = new Set<string>();
  for (let i = 0; i < wanted.length; i += chunkRows) {
    const rows = await db
      .selectFrom('cost_center')
      .select('code')
      .where('code', 'in', wanted.slice(i, i + chunkRows))
      .execute();
    for (const r of rows) found.add(r.code);
  }
  return found;
}

/**
 * Inserts or updates cost centers by code. An existing one gets `name` and the `detailColumns`
 * given (the columns its file had); the others keep their stored values. `updated_at` moves only
 * when something changed.
 */
export async function upsertCostCenters(
  db: Kysely<Database>,
  rows: readonly CostCenterValues[],
  detailColumns: readonly CostCenterDetailColumn[],
): Promise<UpsertCounts> {
  const set = ['name', ...detailColumns] as const;
  let inserted = 0;
  let updated = 0;
  for (let i = 0; i < rows.length; i += chunkRows) {
    const written = await db
      .insertInto('cost_center')
      .values(rows.slice(i, i + chunkRows).map((r) => ({ ...r })))
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet((eb) => ({
            ...Object.fromEntries(set.map((c) => [c, eb.ref(`excluded.${c}`)])),
            updated_at: sql<Date>`now()`,
          }))
          .where(
            sql<boolean>`(${sql.join(set.map((c) => sql.ref(`cost_center.${c}`)))}) IS DISTINCT FROM (${sql.join(
              set.map((c) => sql.ref(`excluded.${c}`)),
            )})`,
          ),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .execute();
    for (const w of written) w.inserted ? inserted++ : updated++;
  }
  return { inserted, updated, unchanged: rows.length - inserted - updated };
}
