import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './tables.js';
import { sharedFields, type SharedField, type TagAlias } from '../domain/shared-fields.js';
import { recordAudit, type Surface } from './audit-log.js';

/** Every tag-key alias, lowest priority first. */
export async function listTagAliases(db: Kysely<Database>): Promise<TagAlias[]> {
  const rows = await db.selectFrom('tag_alias').select(['tag_key', 'field', 'priority']).orderBy('priority').orderBy('tag_key').execute();
  return rows
    .filter((r) => (sharedFields as readonly string[]).includes(r.field))
    .map((r) => ({ tagKey: r.tag_key, field: r.field as SharedField, priority: r.priority }));
}

/** Adds or changes an alias and re-resolves the shared fields of every stored line whose tags use that key, in one transaction. */
export async function saveTagAlias(
  db: Kysely<Database>,
  alias: TagAlias,
  audit: { actor: string; surface: Surface },
): Promise<{ before: TagAlias | undefined; linesUpdated: number }> {
  return db.transaction().execute(async (trx) => {
    const previous = await trx.selectFrom('tag_alias').selectAll().where('tag_key', '=', alias.tagKey).forUpdate().executeTakeFirst();
    await trx
      .insertInto('tag_alias')
      .values({ tag_key: alias.tagKey, field: alias.field, priority: alias.priority, created_by: audit.actor })
      .onConflict((oc) => oc.column('tag_key').doUpdateSet({ field: alias.field, priority: alias.priority, created_by: audit.actor }))
      .execute();
    const linesUpdated = await reresolveLinesWithTagKey(trx, alias.tagKey);
    const before = previous ? { tagKey: previous.tag_key, field: previous.field as SharedField, priority: previous.priority } : undefined;
    await recordAudit(trx, {
      actor: audit.actor,
      surface: audit.surface,
      action: previous ? 'alias.change' : 'alias.add',
      subjectType: 'tag_alias',
      subjectId: alias.tagKey,
      before,
      after: { ...alias, linesUpdated },
    });
    return { before, linesUpdated };
  });
}

/**
 * Recomputes the six tag-derived shared fields of the lines carrying `tagKey` (compared trimmed and
 * case-folded), set-based. Same rule as TagResolver: lowest alias priority wins, ties go to the
 * smaller key.
 */
async function reresolveLinesWithTagKey(db: Kysely<Database> | Transaction<Database>, tagKey: string): Promise<number> {
  const pick = (field: SharedField) =>
    sql`(array_agg(btrim(t.v #>> '{}') ORDER BY a.priority, t.key COLLATE "C") FILTER (WHERE a.field = ${field}))[1]`;
  const result = await sql`
    WITH affected AS (
      SELECT c.billing_period_start, c.id, c.tags FROM cost_line c
       WHERE c.tags IS NOT NULL
         AND EXISTS (SELECT 1 FROM jsonb_object_keys(c.tags) k WHERE lower(btrim(k)) = ${tagKey})
    ), resolved AS (
      SELECT f.billing_period_start, f.id,
             ${sql.join(sharedFields.map((field) => sql`${pick(field)} AS ${sql.ref(field)}`))}
        FROM affected f
        LEFT JOIN LATERAL jsonb_each(f.tags) t(key, v)
               ON jsonb_typeof(t.v) IN ('string', 'number', 'boolean') AND btrim(t.v #>> '{}') <> ''
        LEFT JOIN tag_alias a ON a.tag_key = lower(btrim(t.key))
       GROUP BY f.billing_period_start, f.id
    )
    UPDATE cost_line c SET ${sql.join(sharedFields.map((field) => sql`${sql.ref(field)} = r.${sql.ref(field)}`))}
      FROM resolved r
     WHERE c.billing_period_start = r.billing_period_start AND c.id = r.id`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
