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

/**
 * Like `searchCostCenters`, among the cost centers below `subtrees` (each and its descendants) or in
 * `exact` only: what a person may choose when the policy limits them to part of the hierarchy.
 */
export async function searchCostCentersWithin(
  db: Kysely<Database>,
  query: string,
  within: { readonly subtrees: readonly string[]; readonly exact: readonly string[] },
  limit: number,
): Promise<{ code: string; name: string }[]> {
  if (within.subtrees.length === 0 && within.exact.length === 0) return [];
  const q = query.trim().toLowerCase();
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const roots = within.subtrees.length > 0 ? sql.join(within.subtrees.map((c) => sql`${c}`)) : sql`NULL`;
  const exact = within.exact.length > 0 ? sql.join(within.exact.map((c) => sql`${c}`)) : sql`NULL`;
  const rows = await sql<{ code: string; name: string }>`
    WITH RECURSIVE below(code, depth) AS (
      SELECT code, 0 FROM cost_center WHERE code IN (${roots})
      UNION ALL
      SELECT c.code, below.depth + 1 FROM cost_center c JOIN below ON c.parent_code = below.code WHERE below.depth < 100
    )
    SELECT c.code, c.name FROM cost_center c
     WHERE (c.code IN (SELECT code FROM below) OR c.code IN (${exact}))
       AND (lower(c.code) LIKE ${pattern} OR lower(c.name) LIKE ${pattern})
     ORDER BY lower(c.code) LIKE ${prefix} DESC, c.code
     LIMIT ${limit}`.execute(db);
  return rows.rows;
}
