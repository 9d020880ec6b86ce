import type { Store } from '../store/database.js';
import type { Surface } from '../store/audit-log.js';
import { anyAdmin, costCenterChain, grantRole, resolveActor } from '../store/people.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import type { Person, PersonRole } from '../domain/people.js';
import { authorize, recordRefusal } from './authorization-policy.js';

/** Who to add (or update) and which role to grant. */
export interface AddPersonRoleRequest {
  /** The person's id, or any identity of a known person (email, Slack or Teams id). */
  readonly user: string;
  readonly role: PersonRole;
  /** Limit the role to one cost center (and its descendants). */
  readonly costCenter?: string;
  readonly name?: string;
  readonly email?: string;
  readonly slackUserId?: string;
  readonly teamsAadId?: string;
  readonly actor: string;
  readonly surface: Surface;
}

/** A refusal of a people change; nothing was written. */
export interface PeopleFailure {
  readonly ok: false;
  readonly code: 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'INPUT_INVALID';
  readonly message: string;
}

/** The command that makes the first admin of a database that has none. */
export const firstAdminCommand = 'npx costbridge people add YOUR-EMAIL --role admin --as YOUR-EMAIL';

/**
 * Only an admin changes people (the `manage-people` policy row), with one exception: on a database
 * with no admin yet, anyone may make the first admin (`firstAdmin`: the change grants admin). Any
 * other change waits for that first admin. A refusal leaves a `refused` audit row.
 */
export async function checkPeopleAdmin(
  store: Store,
  actor: string,
  change: { surface: Surface; subjectId: string; firstAdmin: boolean; attempt?: unknown },
): Promise<PeopleFailure | undefined> {
  if (!(await anyAdmin(store.db))) {
    if (change.firstAdmin) return undefined;
    const reason = `nobody is admin yet, so people cannot be changed: make the first admin with ${firstAdminCommand}`;
    await recordRefusal(store.db, { actor, surface: change.surface, action: 'person.change', subjectType: 'person', subjectId: change.subjectId, reason, attempt: change.attempt });
    return { ok: false, code: 'FORBIDDEN', message: reason };
  }
  const allowed = await authorize(store.db, {
    action: 'manage-people',
    actor,
    surface: change.surface,
    auditAction: 'person.change',
    subjectType: 'person',
    subjectId: change.subjectId,
    ...(change.attempt !== undefined ? { attempt: change.attempt } : {}),
  });
  return allowed.ok ? undefined : { ok: false, code: 'FORBIDDEN', message: allowed.message };
}

/** Adds a person or updates their identities, and grants a role; an audit row records the change. */
export async function addPersonRole(
  store: Store,
  r: AddPersonRoleRequest,
): Promise<{ ok: true; person: Person; created: boolean; granted: boolean } | PeopleFailure> {
  const user = r.user.trim();
  if (user === '') return { ok: false, code: 'INPUT_INVALID', message: 'the user is empty' };
  const denied = await checkPeopleAdmin(store, r.actor, {
    surface: r.surface,
    subjectId: user,
    firstAdmin: r.role === 'admin' && r.costCenter === undefined,
    attempt: { role: r.role, costCenter: r.costCenter ?? null },
  });
  if (denied) return denied;
  let costCenter: string | null = null;
  if (r.costCenter !== undefined) {
    const chain = await costCenterChain(store.db, r.costCenter.trim());
    if (chain.length === 0) return { ok: false, code: 'NOT_FOUND', message: `unknown cost center ${JSON.stringify(r.costCenter)} (import it with costbridge import cost-centers)` };
    costCenter = chain[0]!;
  }
  const existing = await resolveActor(store, user);
  const id = existing?.id ?? user;
  const email = r.email ?? (!existing && user.includes('@') ? user : undefined);
  const by = await resolveActor(store, r.actor);
  try {
    const done = await grantRole(
      store.db,
      { id, details: { name: r.name, email, slackUserId: r.slackUserId, teamsAadId: r.teamsAadId }, role: r.role, costCenter },
      { actor: by?.id ?? r.actor, surface: r.surface },
    );
    return { ok: true, person: done.person, created: done.created, granted: done.granted };
  } catch (e) {
    if (e instanceof CostbridgeError && e.code === 'CONFLICT') return { ok: false, code: 'CONFLICT', message: e.message };
    throw e;
  }
}
