import type { Person } from '../domain/people.js';
import type { Store } from '../store/database.js';
import { resolvePerson } from '../store/people.js';

/** A chat user as a platform names them. */
export interface ChatIdentity {
  readonly surface: 'slack' | 'teams';
  /** Slack user id (U…), or the Teams user's AAD object id when known, else their Teams id. */
  readonly userId: string;
  /** Looked up only when the id alone does not identify the person (Slack users.info, Teams member info). */
  readonly email?: () => Promise<string | undefined>;
}

/**
 * The person a chat user is: by their platform id first (the strong identity), then by the email the
 * platform vouches for. Undefined when costbridge does not know them.
 */
export async function identifyChatUser(store: Store, identity: ChatIdentity): Promise<Person | undefined> {
  const byId = await resolvePerson(
    store,
    identity.surface === 'slack' ? { slackUserId: identity.userId } : { teamsAadId: identity.userId },
  );
  if (byId) return byId;
  const email = await identity.email?.();
  return email ? resolvePerson(store, { email }) : undefined;
}
