import type { Kysely } from 'kysely';
import type { Database } from './tables.js';
import { sharedFields, type SharedField, type TagAlias } from '../domain/shared-fields.js';
import { recordAudit, type Surface } from './audit-log.js';
import { lockAttribution, reresolveTagKey } from './reattribution.js';
import { booksReach, type BooksReach } from '../domain/period-close.js';
import { closedMonths } from './period-closes.js';
import { sql } from 'kysely';

/** Every tag-key alias, lowest priority first. */
export async function listTagAliases(db: Kysely<Database>): Promise<TagAlias[]> {
  const rows = await db.selectFrom('tag_alias').select(['tag_key', 'field', 'priority']).orderBy('priority').orderBy('tag_key').execute();
  return rows
    .filter((r) => (sharedFields as readonly string[]).includes(r.field))
    .map((r) => ({ tagKey: r.tag_key, field: r.field as SharedField, priority: r.priority }));
}

/**
 * Adds or changes an alias and re-resolves the tag layer of every stored line whose tags use that
 * key, then re-attributes those lines (tags, contracts, rules), in one transaction.
 */
export async function saveTagAlias(
  db: Kysely<Database>,
  alias: TagAlias,
  audit: { actor: string; surface: Surface },
): Promise<{ before: TagAlias | undefined; linesUpdated: number; books: BooksReach }> {
  return db.transaction().execute(async (trx) => {
    await lockAttribution(trx);
    const previous = await trx.selectFrom('tag_alias').selectAll().where('tag_key', '=', alias.tagKey).forUpdate().executeTakeFirst();
    await trx
      .insertInto('tag_alias')
      .values({ tag_key: alias.tagKey, field: alias.field, priority: alias.priority, created_by: audit.actor })
      .onConflict((oc) => oc.column('tag_key').doUpdateSet({ field: alias.field, priority: alias.priority, created_by: audit.actor }))
      .execute();
    const linesUpdated = await reresolveTagKey(trx, alias.tagKey);
    // An alias applies to every stored month: closed ones keep their figures (post-close adjustments).
    const earliest = await sql<{ month: string | null }>`SELECT to_char(min(billing_period_start) AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM cost_line`.execute(trx);
    const closed = await closedMonths(trx);
    const books = booksReach(earliest.rows[0]?.month ?? [...closed.keys()][0] ?? '9999-12', null, closed);
    const before = previous ? { tagKey: previous.tag_key, field: previous.field as SharedField, priority: previous.priority } : undefined;
    await recordAudit(trx, {
      actor: audit.actor,
      surface: audit.surface,
      action: previous ? 'alias.change' : 'alias.add',
      subjectType: 'tag_alias',
      subjectId: alias.tagKey,
      before,
      after: { ...alias, linesUpdated, effectiveFrom: books.from, closedMonths: books.closedMonths },
    });
    return { before, linesUpdated, books };
  });
}
