import type { Person } from '../domain/people.js';
import type { Store } from '../store/database.js';
import { bindChatIdentity, costCentersOwnedBy, resolvePerson } from '../store/people.js';
import { recordRefusal } from './authorization-policy.js';

/** A chat user as a platform names them, from a workspace / tenant already checked against the allowlist. */
export interface ChatIdentity {
  readonly surface: 'slack' | 'teams';
  /** Slack user id (U…), or the Teams user's AAD object id when known, else their Teams id. */
  readonly userId: string;
  /** The Slack team id / Teams tenant id the request came from. */
  readonly workspace: string | undefined;
  /** Looked up only when the id alone does not identify the person (Slack users.info, Teams member info). */
  readonly email?: () => Promise<string | undefined>;
}

/** What became of a user the id alone did not identify (for the log). */
export type IdentityNote = 'bound' | 'onboarded' | 'email-bound-elsewhere' | 'unknown';

/**
 * The person a chat user is. Their platform id first: a bound id is the strong identity and is never
 * overridden. Without one, the email the platform vouches for (inside an allowed workspace / tenant)
 * binds the id to the person with that email — only when that person has no id bound on this
 * platform yet — and a person whose email owns cost centers in master data (cost_center.owner) is
 * created on first contact with the owner role for them (audited `person.bind` / `person.onboard`).
 * An email matching someone already bound to another id is refused (audited) and matches nobody.
 */
export async function identifyChatUser(store: Store, identity: ChatIdentity, note?: (n: IdentityNote, detail: Record<string, unknown>) => void): Promise<Person | undefined> {
  const byId = await resolvePerson(store, identity.surface === 'slack' ? { slackUserId: identity.userId } : { teamsAadId: identity.userId });
  if (byId) return byId;
  const email = (await identity.email?.())?.trim();
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) return undefined;
  const byEmail = await resolvePerson(store, { email });
  const bound = byEmail && (identity.surface === 'slack' ? byEmail.slackUserId : byEmail.teamsAadId);
  if (byEmail && bound) {
    const reason = `${identity.surface} user ${identity.userId} has the email of ${byEmail.id}, who is bound to ${identity.surface} user ${bound}: a bound id is never overridden`;
    await recordRefusal(store.db, { actor: `${identity.surface}:${identity.userId}`, surface: identity.surface, action: 'person.bind', subjectType: 'person', subjectId: byEmail.id, reason, attempt: { workspace: identity.workspace ?? null } });
    note?.('email-bound-elsewhere', { person: byEmail.id, boundTo: bound });
    return undefined;
  }
  const ownerOf = await costCentersOwnedBy(store.db, email);
  if (!byEmail && ownerOf.length === 0) {
    note?.('unknown', {});
    return undefined;
  }
  const person = await bindChatIdentity(store.db, { binding: identity, email, existing: byEmail?.id, ownerOf: byEmail ? ownerOf.filter((c) => !byEmail.roles.some((g) => g.role === 'owner' && g.costCenter === c)) : ownerOf });
  if (person) note?.(byEmail ? 'bound' : 'onboarded', { person: person.id, ownerOf });
  // Lost a race with a concurrent first contact: whoever won bound the id.
  return person ?? resolvePerson(store, identity.surface === 'slack' ? { slackUserId: identity.userId } : { teamsAadId: identity.userId });
}
