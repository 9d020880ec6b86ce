import { CostbridgeError } from '../domain/costbridge-error.js';
import type { Store } from '../store/database.js';
import { anyPerson, resolveActor } from '../store/people.js';
import { recordRefusal, unknownActorText } from './authorization-policy.js';

/**
 * Checks that a name given on purpose (`--as`, `COSTBRIDGE_USER`) is a known person: an audit row
 * recorded under a name nobody holds cannot be traced to anyone. A refusal leaves a `refused` audit
 * row naming the command. Before anybody is known (a fresh install) any name is recorded as given:
 * nobody could be checked against, and the policy's actions still need a known person.
 */
export async function requireKnownActor(store: Store, actor: string, command: string): Promise<string> {
  if ((await resolveActor(store, actor)) || !(await anyPerson(store.db))) return actor;
  const reason = await unknownActorText(store.db, actor);
  await recordRefusal(store.db, { actor, surface: 'cli', action: 'cli.command', subjectType: 'command', subjectId: command, reason });
  throw new CostbridgeError('FORBIDDEN', reason);
}
