import type { Store } from '../store/database.js';
import type { Surface } from '../store/audit-log.js';
import { resolveActor, revokeRole } from '../store/people.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { describeGrant, type Person, type PersonRole } from '../domain/people.js';
import { checkPeopleAdmin, type PeopleFailure } from './add-person-role.js';

/** Removes a role from a person: every scope of it, or only the one for `costCenter`. */
export async function removePersonRole(
  store: Store,
  r: { user: string; role: PersonRole; costCenter?: string; actor: string; surface: Surface },
): Promise<{ ok: true; person: Person; removed: number } | PeopleFailure> {
  const denied = await checkPeopleAdmin(store, r.actor, { surface: r.surface, subjectId: r.user.trim(), firstAdmin: false, attempt: { remove: r.role, costCenter: r.costCenter ?? null } });
  if (denied) return denied;
  const person = await resolveActor(store, r.user);
  if (!person) return { ok: false, code: 'NOT_FOUND', message: `no person ${JSON.stringify(r.user)}; see costbridge people list` };
  const by = await resolveActor(store, r.actor);
  try {
    const done = await revokeRole(
      store.db,
      { id: person.id, role: r.role, ...(r.costCenter !== undefined ? { costCenter: r.costCenter.trim() } : {}) },
      { actor: by?.id ?? r.actor, surface: r.surface },
      (remaining) => (remaining === 0 ? 'cannot remove the last admin: grant admin to someone else first' : undefined),
    );
    if (done.removed === 0) {
      const held = person.roles.length > 0 ? person.roles.map(describeGrant).join(', ') : 'no role';
      return { ok: false, code: 'NOT_FOUND', message: `${person.id} does not hold ${r.role}${r.costCenter ? ` for ${r.costCenter}` : ''}; they hold ${held}` };
    }
    return { ok: true, person: done.person, removed: done.removed };
  } catch (e) {
    if (e instanceof CostbridgeError && (e.code === 'CONFLICT' || e.code === 'NOT_FOUND')) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}
