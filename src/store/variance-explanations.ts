import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';
import { recordAudit, type Surface } from './audit-log.js';
import type { ExplanationDraft } from '../domain/variance-explanation.js';
import type { VarianceComponentName } from '../domain/variance-components.js';

/** A stored explanation, as people and chat read it. */
export interface StoredExplanation {
  readonly id: number;
  /** `YYYY-MM`. */
  readonly period: string;
  readonly scopeField: string;
  readonly scope: string;
  readonly component: VarianceComponentName;
  readonly planned: boolean;
  readonly text: string;
  readonly savingId: string | null;
  readonly change: string | null;
  readonly author: string;
  readonly surface: string;
  /** ISO timestamp. */
  readonly at: string;
}

type Row = {
  id: number;
  period: string;
  scope_field: string;
  scope: string;
  component: string;
  planned: boolean;
  text: string;
  saving_id: string | null;
  change_ref: string | null;
  author: string;
  surface: string;
  created_at: Date | string;
};

function toExplanation(r: Row): StoredExplanation {
  return {
    id: Number(r.id),
    period: String(r.period).slice(0, 7),
    scopeField: r.scope_field,
    scope: r.scope,
    component: r.component as VarianceComponentName,
    planned: r.planned,
    text: r.text,
    savingId: r.saving_id,
    change: r.change_ref,
    author: r.author,
    surface: r.surface,
    at: new Date(r.created_at).toISOString(),
  };
}

/** How long an identical submission by the same person counts as the same decision. */
export const duplicateWindowSeconds = 60;

/**
 * Stores an explanation with its audit row, in one transaction, unless the same person submitted
 * the same text for the same component within {@link duplicateWindowSeconds} (a double click, a
 * retried chat action): then the earlier one is returned. A transaction-scoped advisory lock on
 * the submission's identity makes concurrent double submits wait for each other.
 */
export async function insertExplanationOnce(
  db: Kysely<Database>,
  e: ExplanationDraft & { period: string; scopeField: string; scope: string; actor: string; surface: Surface; expectedVersion?: number },
): Promise<{ explanation: StoredExplanation; duplicate: boolean } | { conflict: StoredExplanation }> {
  return db.transaction().execute(async (trx) => {
    if (e.expectedVersion !== undefined) {
      // One component's explanations are decided one at a time: a submission made on an older view
      // of them (someone explained the component since) is a conflict, not a second story.
      const subject = JSON.stringify([e.period, e.scopeField, e.scope, e.component]);
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${subject}, 5))`.execute(trx);
      const newer = await sql<Row>`
        SELECT * FROM variance_explanation
         WHERE period = ${e.period}::date AND scope_field = ${e.scopeField} AND scope = ${e.scope} AND component = ${e.component}
           AND id > ${e.expectedVersion}
         ORDER BY id DESC LIMIT 1`.execute(trx);
      if (newer.rows[0]) return { conflict: toExplanation(newer.rows[0]) };
    }
    const identity = JSON.stringify([e.period, e.scopeField, e.scope, e.component, e.actor, e.text]);
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${identity}, 4))`.execute(trx);
    const earlier = await sql<Row>`
      SELECT * FROM variance_explanation
       WHERE period = ${e.period}::date AND scope_field = ${e.scopeField} AND scope = ${e.scope} AND component = ${e.component}
         AND author = ${e.actor} AND text = ${e.text} AND created_at > now() - make_interval(secs => ${sql.lit(duplicateWindowSeconds)})
       ORDER BY id LIMIT 1`.execute(trx);
    if (earlier.rows[0]) return { explanation: toExplanation(earlier.rows[0]), duplicate: true };
    const inserted = await trx
      .insertInto('variance_explanation')
      .values({
        period: e.period,
        scope_field: e.scopeField,
        scope: e.scope,
        component: e.component,
        planned: e.planned,
        text: e.text,
        saving_id: e.savingId,
        change_ref: e.change,
        author: e.actor,
        surface: e.surface,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const explanation = toExplanation(inserted as unknown as Row);
    await recordAudit(trx, {
      actor: e.actor,
      surface: e.surface,
      action: 'variance.explain',
      subjectType: 'variance_explanation',
      subjectId: String(explanation.id),
      after: explanation,
    });
    return { explanation, duplicate: false };
  });
}

/** Explanations of a month (`YYYY-MM-01`) for one scope field, oldest first. */
export async function listExplanations(db: Kysely<Database>, period: string, scopeField: string): Promise<StoredExplanation[]> {
  const rows = await db
    .selectFrom('variance_explanation')
    .selectAll()
    .where('period', '=', period)
    .where('scope_field', '=', scopeField)
    .orderBy('id')
    .execute();
  return rows.map((r) => toExplanation(r as unknown as Row));
}

/** The id of the latest explanation of one scope's variance in a month (`YYYY-MM-01`), 0 when none: the version a form records. */
export async function latestExplanationId(db: Kysely<Database>, period: string, scopeField: string, scope: string): Promise<number> {
  const row = await db
    .selectFrom('variance_explanation')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('period', '=', period)
    .where('scope_field', '=', scopeField)
    .where('scope', '=', scope)
    .executeTakeFirst();
  return row?.id === null || row?.id === undefined ? 0 : Number(row.id);
}

/** Whether a saving id is in the savings ledger. */
export async function savingExists(db: Kysely<Database>, id: string): Promise<boolean> {
  const row = await db.selectFrom('saving').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}
