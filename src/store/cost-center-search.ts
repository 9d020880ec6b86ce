import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';

/** Cost centers whose code or name contains `query` (case-insensitive), codes starting with it first; at most `limit`. */
export async function searchCostCenters(db: Kysely<Database>, query: string, limit: number): Promise<{ code: string; name: string }[]> {
  const q = query.trim().toLowerCase();
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom('cost_center')
    .select(['code', 'name'])
    .where((eb) => eb.or([eb(sql`lower(code)`, 'like', pattern), eb(sql`lower(name)`, 'like', pattern)]))
    .orderBy(sql`lower(code) like ${prefix}`, 'desc')
    .orderBy('code')
    .limit(limit)
    .execute();
}
