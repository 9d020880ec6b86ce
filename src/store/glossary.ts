import type { Kysely } from 'kysely';
import type { Database } from './tables.js';
import type { ShowbackTables } from './tables-showback.js';
import { recordAudit, type Surface } from './audit-log.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { glossaryKey, type GlossaryTerm } from '../domain/glossary.js';

type GlossaryDb = Kysely<Database & ShowbackTables>;

function glossaryDb(db: Kysely<Database>): GlossaryDb {
  return db.withTables<ShowbackTables>();
}

/** Every glossary term with its aliases, alphabetically. */
export async function listGlossaryTerms(db: Kysely<Database>): Promise<GlossaryTerm[]> {
  const g = glossaryDb(db);
  const terms = await g.selectFrom('glossary_term').select(['term_key', 'term', 'definition']).orderBy('term_key').execute();
  const names = await g.selectFrom('glossary_name').select(['term_key', 'name']).where('is_alias', '=', true).orderBy('name_key').execute();
  return terms.map((t) => ({
    term: t.term,
    definition: t.definition,
    aliases: names.filter((n) => n.term_key === t.term_key).map((n) => n.name),
  }));
}

/** The term a name (term or alias, any case) stands for, or undefined. */
export async function findGlossaryTerm(db: Kysely<Database>, name: string): Promise<GlossaryTerm | undefined> {
  const g = glossaryDb(db);
  const hit = await g.selectFrom('glossary_name').select('term_key').where('name_key', '=', glossaryKey(name)).executeTakeFirst();
  if (!hit) return undefined;
  const term = await g.selectFrom('glossary_term').select(['term', 'definition']).where('term_key', '=', hit.term_key).executeTakeFirstOrThrow();
  const aliases = await g
    .selectFrom('glossary_name')
    .select('name')
    .where('term_key', '=', hit.term_key)
    .where('is_alias', '=', true)
    .orderBy('name_key')
    .execute();
  return { term: term.term, definition: term.definition, aliases: aliases.map((a) => a.name) };
}

/** What saving a term did. */
export interface GlossarySave {
  readonly outcome: 'added' | 'changed' | 'unchanged';
  readonly before: GlossaryTerm | undefined;
  readonly after: GlossaryTerm;
}

/**
 * Adds a term, or changes an existing term's definition and adds aliases (existing aliases are
 * kept), in one transaction with its audit row. A name already meaning another term is refused.
 */
export async function saveGlossaryTerm(
  db: Kysely<Database>,
  entry: GlossaryTerm,
  audit: { actor: string; surface: Surface },
): Promise<GlossarySave> {
  return db.transaction().execute(async (trx) => {
    const g = trx.withTables<ShowbackTables>();
    const key = glossaryKey(entry.term);
    const owner = await g.selectFrom('glossary_name').select(['term_key', 'name']).where('name_key', '=', key).executeTakeFirst();
    if (owner && owner.term_key !== key) {
      const other = await g.selectFrom('glossary_term').select('term').where('term_key', '=', owner.term_key).executeTakeFirstOrThrow();
      throw new CostbridgeError('CONFLICT', `"${entry.term}" is already an alias of the term "${other.term}"; look it up with: costbridge glossary "${other.term}"`);
    }
    const inserted = await g
      .insertInto('glossary_term')
      .values({ term_key: key, term: entry.term, definition: entry.definition, created_by: audit.actor, updated_by: audit.actor })
      .onConflict((oc) => oc.column('term_key').doNothing())
      .returning('term_key')
      .executeTakeFirst();
    let before: GlossaryTerm | undefined;
    if (!inserted) {
      const row = await g.selectFrom('glossary_term').select(['term', 'definition']).where('term_key', '=', key).forUpdate().executeTakeFirstOrThrow();
      const aliases = await g.selectFrom('glossary_name').select('name').where('term_key', '=', key).where('is_alias', '=', true).orderBy('name_key').execute();
      before = { term: row.term, definition: row.definition, aliases: aliases.map((a) => a.name) };
    } else {
      await g.insertInto('glossary_name').values({ name_key: key, name: entry.term, term_key: key, is_alias: false }).execute();
    }
    const added: string[] = [];
    for (const alias of entry.aliases) {
      const aliasKey = glossaryKey(alias);
      if (aliasKey === key) continue;
      const row = await g
        .insertInto('glossary_name')
        .values({ name_key: aliasKey, name: alias, term_key: key, is_alias: true })
        .onConflict((oc) => oc.column('name_key').doNothing())
        .returning('name_key')
        .executeTakeFirst();
      if (row) {
        added.push(alias);
        continue;
      }
      const existing = await g.selectFrom('glossary_name').select(['term_key', 'is_alias']).where('name_key', '=', aliasKey).executeTakeFirstOrThrow();
      if (existing.term_key !== key) {
        const other = await g.selectFrom('glossary_term').select('term').where('term_key', '=', existing.term_key).executeTakeFirstOrThrow();
        throw new CostbridgeError(
          'CONFLICT',
          `alias "${alias}" already means ${existing.is_alias ? `the term "${other.term}" (as its alias)` : `the term "${other.term}"`}; nothing was saved`,
        );
      }
    }
    const definitionChanged = before !== undefined && before.definition !== entry.definition;
    if (before && !definitionChanged && added.length === 0) return { outcome: 'unchanged', before, after: before };
    if (definitionChanged) {
      await g.updateTable('glossary_term').set({ definition: entry.definition, updated_by: audit.actor, updated_at: new Date() }).where('term_key', '=', key).execute();
    }
    const after: GlossaryTerm = {
      term: before?.term ?? entry.term,
      definition: entry.definition,
      aliases: [...(before?.aliases ?? []), ...added].sort((a, b) => (glossaryKey(a) < glossaryKey(b) ? -1 : 1)),
    };
    await recordAudit(trx, {
      actor: audit.actor,
      surface: audit.surface,
      action: before ? 'glossary.change' : 'glossary.add',
      subjectType: 'glossary_term',
      subjectId: key,
      before,
      after,
    });
    return { outcome: before ? 'changed' : 'added', before, after };
  });
}
