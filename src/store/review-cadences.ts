import { sql, type Kysely, type Transaction } from 'kysely';
import type { Cadence, CadenceKind } from '../domain/cadence.js';
import { recordAudit, type Surface } from './audit-log.js';
import type { Database } from './tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A stored cadence with its bookkeeping. */
export interface StoredCadence extends Cadence {
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Who changes a cadence, for the audit row. */
export interface CadenceActor {
  readonly actor: string;
  readonly surface: Surface;
}

type Row = Awaited<ReturnType<typeof selectCadences>>[number];

function selectCadences(db: Db) {
  return db.selectFrom('review_cadence').selectAll().orderBy('name').execute();
}

function toCadence(r: Row): StoredCadence {
  return {
    name: r.name,
    kind: r.kind as CadenceKind,
    cron: r.cron,
    timezone: r.timezone,
    channels: r.channels,
    costCenters: r.cost_centers,
    paused: r.paused,
    activeSince: new Date(r.active_since),
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

function auditView(c: Cadence) {
  return { name: c.name, kind: c.kind, cron: c.cron, timezone: c.timezone, channels: c.channels, costCenters: c.costCenters, paused: c.paused };
}

/** Every cadence, by name. */
export async function listCadences(db: Db): Promise<StoredCadence[]> {
  return (await selectCadences(db)).map(toCadence);
}

/** One cadence by name. */
export async function findCadence(db: Db, name: string): Promise<StoredCadence | undefined> {
  const r = await db.selectFrom('review_cadence').selectAll().where('name', '=', name).executeTakeFirst();
  return r ? toCadence(r) : undefined;
}

/** Inserts a cadence and its audit row (`action`) in the caller's transaction; false when the name is taken. */
async function addCadenceRow(trx: Transaction<Database>, c: Omit<Cadence, 'activeSince' | 'paused'>, who: CadenceActor, now: Date, action: string): Promise<boolean> {
  const inserted = await trx
    .insertInto('review_cadence')
    .values({
      name: c.name,
      kind: c.kind,
      cron: c.cron,
      timezone: c.timezone,
      channels: [...c.channels],
      cost_centers: [...c.costCenters],
      active_since: now,
      created_by: who.actor,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return false;
  await recordAudit(trx, { ...who, action, subjectType: 'cadence', subjectId: c.name, after: auditView({ ...c, paused: false, activeSince: now }) });
  return true;
}

/** Inserts a cadence and its audit row; false when the name is taken. */
export async function insertCadence(db: Kysely<Database>, c: Omit<Cadence, 'activeSince' | 'paused'>, who: CadenceActor, now: Date): Promise<boolean> {
  return db.transaction().execute((trx) => addCadenceRow(trx, c, who, now, 'cadence.add'));
}

/** Deletes a cadence (its runs stay in the history); false when there is none. */
export async function deleteCadence(db: Kysely<Database>, name: string, who: CadenceActor): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('review_cadence').selectAll().where('name', '=', name).forUpdate().executeTakeFirst();
    if (!before) return false;
    await trx.deleteFrom('review_cadence').where('name', '=', name).execute();
    await recordAudit(trx, { ...who, action: 'cadence.remove', subjectType: 'cadence', subjectId: name, before: auditView(toCadence(before)) });
    return true;
  });
}

/**
 * Pauses or resumes a cadence. Resuming moves `active_since` to now, so occurrences missed while
 * paused are not caught up. Returns the cadence before the change, or undefined when there is none.
 */
export async function setCadencePaused(db: Kysely<Database>, name: string, paused: boolean, who: CadenceActor, now: Date): Promise<StoredCadence | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('review_cadence').selectAll().where('name', '=', name).forUpdate().executeTakeFirst();
    if (!row) return undefined;
    const before = toCadence(row);
    if (before.paused === paused) return before;
    await trx
      .updateTable('review_cadence')
      .set({ paused, updated_at: now, ...(paused ? {} : { active_since: now }) })
      .where('name', '=', name)
      .execute();
    await recordAudit(trx, {
      ...who,
      action: paused ? 'cadence.pause' : 'cadence.resume',
      subjectType: 'cadence',
      subjectId: name,
      before: { paused: before.paused },
      after: { paused },
    });
    return before;
  });
}

const defaultCadenceKey = 'default-cadence';

/**
 * Creates the default `weekly-digest` cadence the first time a database is set up, and never
 * again: the setting row remembers it, so a removed default stays removed. Returns true when it
 * was created now.
 */
export async function ensureDefaultCadence(db: Kysely<Database>, c: Omit<Cadence, 'activeSince' | 'paused'>, who: CadenceActor, now: Date): Promise<boolean> {
  const seen = await db.selectFrom('review_setting').select('key').where('key', '=', defaultCadenceKey).executeTakeFirst();
  if (seen) return false;
  return db.transaction().execute(async (trx) => {
    const marked = await trx
      .insertInto('review_setting')
      .values({ key: defaultCadenceKey, value: JSON.stringify({ name: c.name, createdAt: now.toISOString() }), updated_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!marked) return false;
    return addCadenceRow(trx, c, who, now, 'cadence.add-default');
  });
}

/** The latest change to the cadence table (for a scheduler that reloads on change). */
export async function cadencesVersion(db: Db): Promise<string> {
  const r = await sql<{ v: string }>`SELECT count(*)::text || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(sum(id)::text, '') AS v FROM review_cadence`.execute(db);
  return r.rows[0]?.v ?? '';
}
