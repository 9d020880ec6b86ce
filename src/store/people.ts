import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './tables.js';
import type { Store } from './database.js';
import { recordAudit, type Surface } from './audit-log.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import type { Person, PersonRole, RoleGrant } from '../domain/people.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The database or an open transaction: what the people functions read and write through. */
export type PeopleDb = Db;

/** The identities a chat front end or the CLI knows a person by; any one is enough. */
export interface PersonKey {
  readonly id?: string;
  readonly email?: string;
  readonly slackUserId?: string;
  readonly teamsAadId?: string;
}

async function peopleWhere(db: Db, where: (qb: ReturnType<typeof base>) => ReturnType<typeof base>): Promise<Person[]> {
  // One round trip: each chat request resolves its person (and `authorize` again), so a second
  // query for the roles was a sizeable share of a click's database work.
  const rows = await where(base(db))
    .leftJoin('person_role as r', 'r.person_id', 'p.id')
    .select(['r.role', 'r.cost_center_code'])
    .orderBy('p.id')
    .orderBy('r.role')
    .orderBy('r.cost_center_code')
    .execute();
  const people: Person[] = [];
  let roles: RoleGrant[] = [];
  for (const r of rows) {
    if (people.at(-1)?.id !== r.id) {
      roles = [];
      people.push({ id: r.id, name: r.name, email: r.email, slackUserId: r.slack_user_id, teamsAadId: r.teams_aad_id, roles });
    }
    if (r.role !== null) roles.push({ role: r.role as PersonRole, costCenter: r.cost_center_code ? r.cost_center_code : null });
  }
  return people;
}

function base(db: Db) {
  return db.selectFrom('person as p').select(['p.id', 'p.name', 'p.email', 'p.slack_user_id', 'p.teams_aad_id']);
}

/**
 * The person with any of the given identities (id first, then email case-insensitively, then the
 * Slack user id, then the Teams AAD object id), with their roles; undefined when nobody matches.
 */
export async function resolvePerson(store: Store | Db, key: PersonKey): Promise<Person | undefined> {
  const db = 'session' in store ? store.db : store;
  const tries: Array<[keyof PersonKey, (qb: ReturnType<typeof base>) => ReturnType<typeof base>]> = [
    ['id', (qb) => qb.where('p.id', '=', key.id!)],
    ['email', (qb) => qb.where(sql`lower(p.email)`, '=', key.email!.trim().toLowerCase())],
    ['slackUserId', (qb) => qb.where('p.slack_user_id', '=', key.slackUserId!)],
    ['teamsAadId', (qb) => qb.where('p.teams_aad_id', '=', key.teamsAadId!)],
  ];
  for (const [field, where] of tries) {
    if (key[field] === undefined || key[field]!.trim() === '') continue;
    const [found] = await peopleWhere(db, where);
    if (found) return found;
  }
  return undefined;
}

/** The person an actor string names: their id, email, Slack user id or Teams AAD id. */
export function resolveActor(db: Store | Db, actor: string): Promise<Person | undefined> {
  const a = actor.trim();
  return resolvePerson(db, { id: a, email: a, slackUserId: a, teamsAadId: a });
}

/** Everyone, with their roles, by id. */
export function listPeople(db: Db): Promise<Person[]> {
  return peopleWhere(db, (qb) => qb);
}

/** Whether anyone at all is known (a fresh install records any name until its first person exists). */
export async function anyPerson(db: Db): Promise<boolean> {
  return (await db.selectFrom('person').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Whether anyone holds the admin role. */
export async function anyAdmin(db: Db): Promise<boolean> {
  const row = await db.selectFrom('person_role').select('person_id').where('role', '=', 'admin').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** A cost center code followed by its ancestors, nearest first; empty when the code is unknown. */
export async function costCenterChain(db: Db, code: string): Promise<string[]> {
  const rows = await sql<{ code: string; depth: number }>`
    WITH RECURSIVE chain(code, parent_code, depth) AS (
      SELECT code, parent_code, 0 FROM cost_center WHERE code = ${code}
      UNION ALL
      SELECT c.code, c.parent_code, chain.depth + 1 FROM cost_center c JOIN chain ON c.code = chain.parent_code WHERE chain.depth < 100
    )
    SELECT code, depth FROM chain ORDER BY depth`.execute(db);
  return rows.rows.map((r) => r.code);
}

/** A person's identities to set (undefined = leave as stored). */
export interface PersonDetails {
  readonly name?: string;
  readonly email?: string;
  readonly slackUserId?: string;
  readonly teamsAadId?: string;
}

/** Who made a change, for the audit log. */
export interface ChangeBy {
  readonly actor: string;
  readonly surface: Surface;
}

async function identityTaken(trx: Transaction<Database>, id: string, details: PersonDetails): Promise<string | undefined> {
  const checks: Array<[string, string | undefined, (qb: ReturnType<typeof base>) => ReturnType<typeof base>]> = [
    ['email', details.email, (qb) => qb.where(sql`lower(p.email)`, '=', details.email!.toLowerCase())],
    ['Slack user id', details.slackUserId, (qb) => qb.where('p.slack_user_id', '=', details.slackUserId!)],
    ['Teams AAD id', details.teamsAadId, (qb) => qb.where('p.teams_aad_id', '=', details.teamsAadId!)],
  ];
  for (const [what, value, where] of checks) {
    if (value === undefined) continue;
    const other = await where(base(trx)).where('p.id', '<>', id).executeTakeFirst();
    if (other) return `${what} ${JSON.stringify(value)} already belongs to ${other.id}`;
  }
  return undefined;
}

/**
 * Creates or updates a person and grants a role, in one transaction with an audit row. Granting a
 * role already held changes nothing (and writes no audit row) unless identities changed.
 */
export async function grantRole(
  db: Kysely<Database>,
  request: { id: string; details: PersonDetails; role: PersonRole; costCenter: string | null },
  by: ChangeBy,
): Promise<{ person: Person; created: boolean; granted: boolean; changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const before = await resolvePerson(trx, { id: request.id });
    const conflict = await identityTaken(trx, request.id, request.details);
    if (conflict) throw new CostbridgeError('CONFLICT', `cannot save ${request.id}: ${conflict}`);
    const set = {
      ...(request.details.name !== undefined ? { name: request.details.name } : {}),
      ...(request.details.email !== undefined ? { email: request.details.email } : {}),
      ...(request.details.slackUserId !== undefined ? { slack_user_id: request.details.slackUserId } : {}),
      ...(request.details.teamsAadId !== undefined ? { teams_aad_id: request.details.teamsAadId } : {}),
    };
    const changed =
      before !== undefined &&
      ((set.name !== undefined && set.name !== before.name) ||
        (set.email !== undefined && set.email !== before.email) ||
        (set.slack_user_id !== undefined && set.slack_user_id !== before.slackUserId) ||
        (set.teams_aad_id !== undefined && set.teams_aad_id !== before.teamsAadId));
    if (!before) {
      await trx.insertInto('person').values({ id: request.id, ...set }).execute();
    } else if (changed) {
      await trx.updateTable('person').set({ ...set, updated_at: sql`now()` as never }).where('id', '=', request.id).execute();
    }
    const inserted = await trx
      .insertInto('person_role')
      .values({ person_id: request.id, role: request.role, cost_center_code: request.costCenter ?? '', created_by: by.actor })
      .onConflict((oc) => oc.columns(['person_id', 'role', 'cost_center_code']).doNothing())
      .returning('person_id')
      .executeTakeFirst();
    const person = (await resolvePerson(trx, { id: request.id }))!;
    if (!before || changed || inserted) {
      await recordAudit(trx, {
        actor: by.actor,
        surface: by.surface,
        action: inserted ? 'person.grant-role' : 'person.update',
        subjectType: 'person',
        subjectId: request.id,
        before: before ?? null,
        after: person,
      });
    }
    return { person, created: !before, granted: inserted !== undefined, changed: !before || changed || inserted !== undefined };
  });
}

/**
 * Removes a role from a person (every scope of it unless `costCenter` is given), with an audit
 * row. `guard` runs inside the transaction on the roles that would remain (the last admin check).
 */
export async function revokeRole(
  db: Kysely<Database>,
  request: { id: string; role: PersonRole; costCenter?: string | null },
  by: ChangeBy,
  guard: (remainingAdmins: number) => string | undefined,
): Promise<{ person: Person; removed: number }> {
  return db.transaction().execute(async (trx) => {
    const before = await resolvePerson(trx, { id: request.id });
    if (!before) throw new CostbridgeError('NOT_FOUND', `no person ${JSON.stringify(request.id)}; see costbridge people list`);
    // Lock every admin grant so two concurrent removals cannot leave nobody in charge.
    const admins = await trx.selectFrom('person_role').select(['person_id', 'cost_center_code']).where('role', '=', 'admin').forUpdate().execute();
    let q = trx.deleteFrom('person_role').where('person_id', '=', request.id).where('role', '=', request.role);
    if (request.costCenter !== undefined) q = q.where('cost_center_code', '=', request.costCenter ?? '');
    if (request.role === 'admin') {
      const removing = admins.filter((a) => a.person_id === request.id && (request.costCenter === undefined || a.cost_center_code === (request.costCenter ?? '')));
      const remainingHolders = new Set(admins.filter((a) => !removing.includes(a)).map((a) => a.person_id));
      const refusal = guard(remainingHolders.size);
      if (removing.length > 0 && refusal) throw new CostbridgeError('CONFLICT', refusal);
    }
    const result = await q.executeTakeFirst();
    const removed = Number(result.numDeletedRows ?? 0n);
    const person = (await resolvePerson(trx, { id: request.id }))!;
    if (removed > 0) {
      await recordAudit(trx, { actor: by.actor, surface: by.surface, action: 'person.revoke-role', subjectType: 'person', subjectId: request.id, before, after: person });
    }
    return { person, removed };
  });
}

/** The cost centers whose master-data owner is this email (case-insensitive), by code. */
export async function costCentersOwnedBy(db: Db, email: string): Promise<string[]> {
  const rows = await db
    .selectFrom('cost_center')
    .select('code')
    .where(sql`lower(btrim(owner))`, '=', email.trim().toLowerCase())
    .orderBy('code')
    .execute();
  return rows.map((r) => r.code);
}

/** A chat user to bind: platform, their id there, and the workspace (Slack team / Teams tenant) it came from. */
export interface ChatBinding {
  readonly surface: 'slack' | 'teams';
  readonly userId: string;
  readonly workspace: string | undefined;
}

/**
 * Binds a chat id to a person who has none on that platform yet, and grants them the owner role for
 * `ownerOf` (the cost centers their email owns in master data), in one transaction with an audit
 * row. A person created here gets `id` = their email. Returns undefined when the person meanwhile got
 * another id bound (a bound id is never overridden) or the chat id belongs to someone else.
 */
export async function bindChatIdentity(
  db: Kysely<Database>,
  r: { binding: ChatBinding; email: string; existing: string | undefined; ownerOf: readonly string[] },
): Promise<Person | undefined> {
  const idColumn = r.binding.surface === 'slack' ? 'slack_user_id' : 'teams_aad_id';
  const wsColumn = r.binding.surface === 'slack' ? 'slack_team_id' : 'teams_tenant_id';
  try {
    return await db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('person').select('id').where(idColumn, '=', r.binding.userId).executeTakeFirst();
      if (taken) return undefined;
      let id = r.existing;
      const before = id ? await resolvePerson(trx, { id }) : undefined;
      if (id) {
        const updated = await trx
          .updateTable('person')
          .set({ [idColumn]: r.binding.userId, [wsColumn]: r.binding.workspace ?? null, updated_at: sql`now()` as never })
          .where('id', '=', id)
          .where(idColumn, 'is', null)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows ?? 0n) === 0) return undefined;
      } else {
        id = r.email.trim();
        await trx.insertInto('person').values({ id, email: id, [idColumn]: r.binding.userId, [wsColumn]: r.binding.workspace ?? null }).execute();
      }
      for (const code of r.ownerOf) {
        await trx
          .insertInto('person_role')
          .values({ person_id: id, role: 'owner', cost_center_code: code, created_by: `${r.binding.surface}:onboarding` })
          .onConflict((oc) => oc.columns(['person_id', 'role', 'cost_center_code']).doNothing())
          .execute();
      }
      const after = (await resolvePerson(trx, { id }))!;
      await recordAudit(trx, {
        actor: id,
        surface: r.binding.surface,
        action: before ? 'person.bind' : 'person.onboard',
        subjectType: 'person',
        subjectId: id,
        before: before ?? null,
        after: { ...after, boundBy: 'email', workspace: r.binding.workspace ?? null, ownerFromMasterData: r.ownerOf },
      });
      return after;
    });
  } catch (e) {
    // A concurrent first contact of the same user bound them first (unique email / chat id).
    if ((e as { code?: string }).code === '23505') return undefined;
    throw e;
  }
}
