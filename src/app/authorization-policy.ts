import { permits, qualifyingGrants, refusalText, type PolicyRule } from '../domain/authorization.js';
import type { Person } from '../domain/people.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import { anyAdmin, costCenterChain, listPeople, resolveActor, type PeopleDb } from '../store/people.js';

/**
 * Who may do what: one row per action, the same for the CLI, Slack and Teams (each use case asks
 * `authorize` before it changes anything). To govern a new action, add a row here and a line to the
 * README's authorization table; the use case then calls `authorize(db, { action: 'your-action', ... })`.
 */
export const authorizationPolicy = {
  /** Claim an unattributed item for a cost center (`--rule-scope item`). */
  claim: {
    doing: 'claim spend for {cc}',
    qualifiers: [
      { role: 'owner', scope: 'anywhere' },
      { role: 'finops', scope: 'anywhere' },
      { role: 'admin', scope: 'anywhere' },
    ],
  },
  /** Claim with `scope future`: a permanent rule sending all matching spend to the cost center. */
  'claim-future': {
    doing: 'claim all future matching spend for {cc}',
    qualifiers: [
      { role: 'finops', scope: 'anywhere' },
      { role: 'admin', scope: 'anywhere' },
      { role: 'owner', scope: 'exact' },
    ],
  },
  /** Dismiss an unattributed item (and chat's **Not mine**, which routes it back to FinOps as a dismissal). */
  dismiss: {
    doing: 'dismiss unattributed spend',
    qualifiers: [
      { role: 'finops', scope: 'anywhere' },
      { role: 'admin', scope: 'anywhere' },
    ],
  },
  /**
   * Say an item is not yours (chat's **Not mine** for people who may not dismiss): a note on the
   * alert for FinOps, the item stays open for its real owner.
   */
  'not-mine': {
    doing: 'say spend is not theirs',
    qualifiers: [
      { role: 'owner', scope: 'anywhere' },
      { role: 'finops', scope: 'anywhere' },
      { role: 'itfm', scope: 'anywhere' },
      { role: 'admin', scope: 'anywhere' },
    ],
  },
  /** Classify a vendor's unclassified new spend (a contract from chat's **Classify**). */
  classify: {
    doing: 'classify new spend',
    qualifiers: [
      { role: 'finops', scope: 'anywhere' },
      { role: 'itfm', scope: 'anywhere' },
      { role: 'admin', scope: 'anywhere' },
    ],
  },
  /** Explain a component of a cost center's variance. */
  'explain-variance': {
    doing: "explain {cc}'s variance",
    qualifiers: [
      { role: 'owner', scope: 'exact' },
      { role: 'finops', scope: 'anywhere' },
      { role: 'itfm', scope: 'anywhere' },
    ],
  },
  /** Propose a saving for a cost center. */
  'propose-saving': {
    doing: 'propose a saving for {cc}',
    qualifiers: [
      { role: 'finops', scope: 'anywhere' },
      { role: 'owner', scope: 'anywhere' },
    ],
  },
  /** Validate, recognize, approve or reject a saving (never one's own proposal: segregation of duties, checked by the use case). */
  'sign-off-saving': {
    doing: 'sign off a saving of {cc}',
    qualifiers: [{ role: 'itfm', scope: 'anywhere' }],
  },
  /** Reverse a saving's recognition (its budget revisions are reversed). */
  'reverse-saving': {
    doing: 'reverse the recognition of a saving of {cc}',
    qualifiers: [{ role: 'itfm', scope: 'anywhere' }],
  },
  /** Close a billing month: its figures freeze, later changes become post-close adjustments. */
  'close-period': {
    doing: 'close a billing month',
    qualifiers: [
      { role: 'itfm', scope: 'everywhere' },
      { role: 'admin', scope: 'everywhere' },
    ],
  },
  /** Reopen a closed month (with a reason). */
  'reopen-period': {
    doing: 'reopen a closed billing month',
    qualifiers: [{ role: 'admin', scope: 'everywhere' }],
  },
  /** Pause, resume or mute a review cadence from chat (what everyone receives); listing is for everyone. */
  'change-cadence': {
    doing: 'pause, resume or mute a review cadence from chat',
    qualifiers: [{ role: 'admin', scope: 'anywhere' }],
  },
  /** Add people, grant and remove roles (anyone may make the first admin of a database that has none). */
  'manage-people': {
    doing: 'change people and roles',
    qualifiers: [{ role: 'admin', scope: 'anywhere' }],
  },
} as const satisfies Record<string, PolicyRule>;

/** An action the policy governs. */
export type PolicyAction = keyof typeof authorizationPolicy;

/** What is being attempted, by whom, on what (for the check and the refusal's audit row). */
export interface AuthorizationRequest {
  readonly action: PolicyAction;
  /** The person acting: id, email, Slack or Teams id (the CLI's `--as`, a chat user's person id). */
  readonly actor: string;
  readonly surface: Surface;
  /** The subject's cost center, for rules scoped to one. */
  readonly costCenter?: string;
  /** The audit action a refusal is recorded under (`unattributed.claim`), and its subject. */
  readonly auditAction: string;
  readonly subjectType: string;
  readonly subjectId: string;
  /** What was attempted (kept in the refusal's audit row). */
  readonly attempt?: unknown;
}

/** A refusal: nothing was changed except the `refused` audit row. */
export interface AuthorizationRefusal {
  readonly ok: false;
  readonly code: 'FORBIDDEN';
  readonly message: string;
}

/** Whether a person may do an action on a subject with this cost-center chain (no audit row: for choosing what to offer). */
export function mayDo(person: Person, action: PolicyAction, chain: readonly string[] = []): boolean {
  return permits(authorizationPolicy[action], person, chain);
}

/** The people who qualify for an action on a subject, with the grants that qualify them. */
export async function holdersOf(db: PeopleDb, action: PolicyAction, chain: readonly string[]): Promise<{ id: string; grants: string[] }[]> {
  const rule: PolicyRule = authorizationPolicy[action];
  return (await listPeople(db))
    .filter((p) => permits(rule, p, chain))
    .map((p) => ({ id: p.id, grants: qualifyingGrants(rule, p, chain) }));
}

/** The admins, by id (who an unknown person asks for access). */
export async function adminIds(db: PeopleDb): Promise<string[]> {
  return (await listPeople(db)).filter((p) => p.roles.some((g) => g.role === 'admin')).map((p) => p.id);
}

/** Why an actor that names nobody is refused, with who can add them (or how to make the first admin). */
export async function unknownActorText(db: PeopleDb, actor: string): Promise<string> {
  const admins = await adminIds(db);
  const way = admins.length > 0
    ? `ask an admin (${admins.slice(0, 6).join(', ')}) to add you with costbridge people add`
    : 'nobody is admin yet: make the first one with costbridge people add YOU --role admin --as YOU';
  return `${JSON.stringify(actor)} is not a known person: every decision is recorded with the person who made it; ${way}`;
}

/**
 * Checks the policy for one attempt, inside the caller's transaction when it has one. Allowed: the
 * acting person. Refused: the message (what it needs, what they hold, who holds it), and a `refused`
 * audit row is written in the same database session (a caller's transaction must commit it: return
 * the refusal, do not throw).
 */
export async function authorize(db: PeopleDb, request: AuthorizationRequest): Promise<{ ok: true; person: Person } | AuthorizationRefusal> {
  const rule: PolicyRule = authorizationPolicy[request.action];
  const person = await resolveActor(db, request.actor);
  const chain = request.costCenter !== undefined ? await costCenterChain(db, request.costCenter) : [];
  let message: string | undefined;
  if (!person) message = await unknownActorText(db, request.actor);
  else if (!permits(rule, person, chain)) message = refusalText(rule, request.costCenter, person, await holdersOf(db, request.action, chain));
  if (message === undefined) return { ok: true, person: person! };
  await recordRefusal(db, { actor: person?.id ?? request.actor, surface: request.surface, action: request.auditAction, subjectType: request.subjectType, subjectId: request.subjectId, reason: message, attempt: request.attempt });
  return { ok: false, code: 'FORBIDDEN', message };
}

/** Writes the `refused` audit row of an attempt turned down (by the policy, a form session, or segregation of duties). */
export async function recordRefusal(
  db: PeopleDb,
  r: { actor: string; surface: Surface; action: string; subjectType: string; subjectId: string; reason: string; attempt?: unknown },
): Promise<void> {
  await recordAudit(db, {
    actor: r.actor,
    surface: r.surface,
    action: r.action,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    after: { refused: r.reason, ...(r.attempt !== undefined ? { attempt: r.attempt } : {}) },
    outcome: 'refused',
  });
}

/** Whether a database has no admin yet (a fresh install may name its first admin without one). */
export function needsFirstAdmin(db: PeopleDb): Promise<boolean> {
  return anyAdmin(db).then((any) => !any);
}
