import { CostbridgeError } from '../domain/costbridge-error.js';
import { holdsRoleAnywhere, type Person } from '../domain/people.js';

/** What a person may do with the review cadences from chat. */
export type CadenceChange = 'pause' | 'resume' | 'mute';

/**
 * Who may change the review schedule from chat: anyone may list it; pausing, resuming and muting a
 * cadence changes what everyone receives, so it takes the `admin` role (held anywhere). The CLI
 * keeps its own rules (whoever runs it on the server).
 */
export function checkCadenceChange(person: Person | undefined, change: CadenceChange): void {
  if (person && holdsRoleAnywhere(person, 'admin')) return;
  const who = person ? `${person.id} is not an admin` : 'costbridge does not know you yet';
  throw new CostbridgeError('FORBIDDEN', `only a costbridge admin may ${change} a review cadence from chat; ${who}`, [
    'An admin can grant it with: npx costbridge people add <person> --role admin',
  ]);
}
