import type { Kysely } from 'kysely';
import type { Database } from './tables.js';
import type { ItemRow } from './unattributed-items.js';

/** An unattributed item by id, as stored (its grouping, period and decision), or undefined. */
export async function findUnattributedItem(db: Kysely<Database>, id: number): Promise<ItemRow | undefined> {
  return db.selectFrom('unattributed_item').selectAll().where('id', '=', id).executeTakeFirst();
}
