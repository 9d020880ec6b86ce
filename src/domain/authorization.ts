import { describeGrant, type Person, type PersonRole } from './people.js';

/**
 * One way to qualify for an action: holding `role`, where
 * - `anywhere`: a grant of the role for the subject's cost center, any cost center above it, or
 *   everywhere (without a cost-center subject: any grant of the role);
 * - `exact`: a grant for the subject's cost center itself, or everywhere (never one above it);
 * - `everywhere`: only a grant for every cost center (the books as a whole: closing a month).
 */
export interface Qualifier {
  readonly role: PersonRole;
  readonly scope: 'anywhere' | 'exact' | 'everywhere';
}

/** One row of the authorization policy: what the action is called in a refusal, and who may do it. */
export interface PolicyRule {
  /** A verb phrase for refusals, `{cc}` standing for the subject's cost center: `claim spend for {cc}`. */
  readonly doing: string;
  readonly qualifiers: readonly Qualifier[];
}

/** Whether a person qualifies under one qualifier, given the subject's cost center and its ancestors (nearest first; empty for none). */
export function meetsQualifier(person: Person, q: Qualifier, chain: readonly string[]): boolean {
  return person.roles.some((g) => {
    if (g.role !== q.role) return false;
    if (g.costCenter === null) return true;
    if (q.scope === 'everywhere') return false;
    if (chain.length === 0) return q.scope === 'anywhere';
    return q.scope === 'exact' ? g.costCenter === chain[0] : chain.includes(g.costCenter);
  });
}

/** Whether a person may do what a rule governs on a subject with this cost-center chain. */
export function permits(rule: PolicyRule, person: Person, chain: readonly string[]): boolean {
  return rule.qualifiers.some((q) => meetsQualifier(person, q, chain));
}

/** `owner of CC-100 or of a cost center above it`, `finops`, `owner of CC-100`. */
export function describeQualifier(q: Qualifier, costCenter: string | undefined): string {
  if (q.scope === 'everywhere') return `${q.role} for every cost center`;
  if (costCenter === undefined) return q.role;
  return q.scope === 'exact' ? `${q.role} of ${costCenter}` : q.role === 'owner' ? `${q.role} of ${costCenter} or of a cost center above it` : q.role;
}

/** `owner of CC-100, finops or admin`. */
export function describeRequirement(rule: PolicyRule, costCenter: string | undefined): string {
  const parts = rule.qualifiers.map((q) => describeQualifier(q, costCenter));
  return parts.length <= 1 ? (parts[0] ?? 'nobody') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
}

/** The action's phrase with its cost center filled in. */
export function describeDoing(rule: PolicyRule, costCenter: string | undefined): string {
  return rule.doing.replace('{cc}', costCenter ?? 'a cost center');
}

/** The grants that make a person qualify (`bo (owner for CC-100)`), for naming who holds a role. */
export function qualifyingGrants(rule: PolicyRule, person: Person, chain: readonly string[]): string[] {
  return person.roles
    .filter((g) => rule.qualifiers.some((q) => meetsQualifier({ ...person, roles: [g] }, q, chain)))
    .map(describeGrant);
}

/**
 * The refusal text: what was refused, what it needs, what the person holds, and who holds it
 * (at most `maxNames` people named, then a count).
 */
export function refusalText(
  rule: PolicyRule,
  costCenter: string | undefined,
  person: Person,
  holders: readonly { readonly id: string; readonly grants: readonly string[] }[],
  maxNames = 6,
): string {
  const held = person.roles.length > 0 ? person.roles.map(describeGrant).join(', ') : 'no role';
  const named = holders.slice(0, maxNames).map((h) => `${h.id} (${h.grants.join(', ')})`);
  const more = holders.length > maxNames ? ` and ${holders.length - maxNames} more` : '';
  const who = holders.length === 0 ? 'nobody holds it yet (an admin grants roles with costbridge people add)' : `held by ${named.join(', ')}${more}`;
  return `${person.id} may not ${describeDoing(rule, costCenter)}: it needs ${describeRequirement(rule, costCenter)}; ${person.id} holds ${held}; ${who}`;
}

/**
 * Which cost centers a person qualifies for under a rule, as the grants say it: every one (a
 * qualifying grant held everywhere), or those below `subtrees` (a cost center and its descendants,
 * for `anywhere` qualifiers) and the `exact` ones. The same answer as `permits` for each cost center,
 * computed once, for choosing what to offer (a search of cost centers).
 */
export function permittedCostCenters(rule: PolicyRule, person: Person): { readonly everywhere: true } | { readonly everywhere: false; readonly subtrees: readonly string[]; readonly exact: readonly string[] } {
  const subtrees = new Set<string>();
  const exact = new Set<string>();
  for (const q of rule.qualifiers) {
    for (const g of person.roles) {
      if (g.role !== q.role) continue;
      if (g.costCenter === null) return { everywhere: true };
      if (q.scope === 'anywhere') subtrees.add(g.costCenter);
      else if (q.scope === 'exact') exact.add(g.costCenter);
    }
  }
  return { everywhere: false, subtrees: [...subtrees].sort(), exact: [...exact].sort() };
}
