import { CostbridgeError } from '../domain/costbridge-error.js';
import type { Person } from '../domain/people.js';
import type { Store } from '../store/database.js';
import type { Surface } from '../store/audit-log.js';
import { authorize, unknownActorText } from './authorization-policy.js';

/** What a person may do with the review cadences from chat. */
export type CadenceChange = 'pause' | 'resume' | 'mute';

/**
 * Who may change the review schedule from chat, by the authorization policy (`change-cadence`):
 * anyone may list it; pausing, resuming and muting change what everyone receives. A refusal is
 * audited and thrown as FORBIDDEN with what it needs and who holds it. The CLI keeps its own rules
 * (whoever runs it on the server).
 */
export async function checkCadenceChange(store: Store, person: Person | undefined, change: CadenceChange, cadence: string | undefined, surface: Surface): Promise<Person> {
  if (!person) throw new CostbridgeError('FORBIDDEN', await unknownActorText(store.db, '(you)'));
  const allowed = await authorize(store.db, { action: 'change-cadence', actor: person.id, surface, auditAction: `cadence.${change}`, subjectType: 'review_cadence', subjectId: cadence ?? '(none)' });
  if (!allowed.ok) throw new CostbridgeError('FORBIDDEN', allowed.message);
  return allowed.person;
}
