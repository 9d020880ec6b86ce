import { CostbridgeError } from './costbridge-error.js';

/**
 * What a person may do: `finops` proposes savings, `itfm` validates, recognizes and rejects them,
 * `owner` is accountable for a cost center's spend (and may propose savings for it), `admin`
 * manages people once anyone holds it.
 */
export const personRoles = ['finops', 'itfm', 'owner', 'admin'] as const;
/** One role. */
export type PersonRole = (typeof personRoles)[number];

/** A role held everywhere (`costCenter` null) or for one cost center and its descendants. */
export interface RoleGrant {
  readonly role: PersonRole;
  readonly costCenter: string | null;
}

/** A person with every identity they can be recognized by and the roles they hold. */
export interface Person {
  readonly id: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly slackUserId: string | null;
  readonly teamsAadId: string | null;
  readonly roles: readonly RoleGrant[];
}

/** Parses `--role`. */
export function parsePersonRole(text: string, what = '--role'): PersonRole {
  const t = text.trim().toLowerCase();
  if ((personRoles as readonly string[]).includes(t)) return t as PersonRole;
  throw new CostbridgeError('INPUT_INVALID', `${what} must be one of ${personRoles.join(', ')}, got ${JSON.stringify(text)}`);
}

/**
 * Whether a person holds `role` for a cost center, given that cost center followed by its
 * ancestors (`[CC-1210, CC-1200, CORP]`); a grant on an ancestor covers its descendants.
 */
export function holdsRole(person: Person, role: PersonRole, costCenterChain: readonly string[]): boolean {
  return person.roles.some((g) => g.role === role && (g.costCenter === null || costCenterChain.includes(g.costCenter)));
}

/** Whether a person holds `role` anywhere at all. */
export function holdsRoleAnywhere(person: Person, role: PersonRole): boolean {
  return person.roles.some((g) => g.role === role);
}

/** `itfm`, `itfm for CC-1200`. */
export function describeGrant(g: RoleGrant): string {
  return g.costCenter === null ? g.role : `${g.role} for ${g.costCenter}`;
}
