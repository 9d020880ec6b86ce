import type { Store } from '../store/database.js';
import type { Surface } from '../store/audit-log.js';
import { listSavings, withSavingDecision, type BudgetRevision, type SavingDecisionTx } from '../store/savings.js';
import type { Person } from '../domain/people.js';
import { Money } from '../domain/money.js';
import { isPositiveDecimal, type Saving } from '../domain/saving.js';
import { illegalTransition, type SavingAction } from '../domain/saving-lifecycle.js';
import { savingOverlaps, type SavingScope } from '../domain/saving-overlap.js';
import { plannedRevisions } from '../domain/saving-recognition.js';
import { authorize, recordRefusal, unknownActorText } from './authorization-policy.js';

/** Why a savings use case refused; stable codes the chat front end turns into friendly text. */
export type SavingFailureCode =
  | 'FORBIDDEN'
  | 'SEGREGATION_OF_DUTIES'
  | 'ILLEGAL_TRANSITION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INPUT_INVALID'
  | 'CURRENCY_MISMATCH';

/** A refusal: nothing was written. `saving` is its current state when there is one. */
export interface SavingFailure {
  readonly ok: false;
  readonly code: SavingFailureCode;
  readonly message: string;
  readonly saving?: Saving;
}

/**
 * A decision that took effect, or had already been taken by the same person with the same
 * parameters (`alreadyDone`: nothing was written the second time, no audit row, no revision).
 */
export interface SavingDecision {
  readonly ok: true;
  readonly saving: Saving;
  readonly alreadyDone: boolean;
  /** Budget revision rows written now (recognition rows, or reversal rows). */
  readonly revisions: readonly BudgetRevision[];
  /** Validated or recognized savings whose scope and period overlap this one: the approver's warning. */
  readonly overlaps: readonly string[];
  readonly warnings: readonly string[];
}

/** What every decision request carries. */
export interface DecisionRequest {
  readonly id: string;
  /** The person deciding: id, email, Slack user id or Teams AAD id. */
  readonly actor: string;
  readonly surface: Surface;
  /**
   * The version the person saw (a chat button carries it). When the saving has changed since,
   * the decision is refused with CONFLICT rather than applied to a state they did not see.
   */
  readonly expectedVersion?: number;
}

/** A refusal value. */
export function refuse(code: SavingFailureCode, message: string, saving?: Saving): SavingFailure {
  return saving ? { ok: false, code, message, saving } : { ok: false, code, message };
}

/** Equal as decimals (`800` = `800.00`). */
export function sameAmount(a: string | null, b: string | null): boolean {
  if (a === null || b === null || !isPositiveDecimal(a) || !isPositiveDecimal(b)) return false;
  return new Money(a).eq(b);
}

/** The part of a decision that runs under the saving's row lock. */
export type DecisionStep = (ctx: { tx: SavingDecisionTx; saving: Saving; person: Person }) => Promise<SavingFailure | Omit<SavingDecision, 'overlaps'>>;

/** Which policy row governs a decision (none for withdraw: only the proposer may) and its audit verb. */
export interface DecisionPolicy {
  readonly action: 'sign-off-saving' | 'reverse-saving' | undefined;
  /** `approve`, `reject` ...: the refusal's audit action is `saving.<verb>`. */
  readonly verb: SavingAction | 'approve';
  /** What was asked (kept in a refusal's audit row). */
  readonly attempt?: unknown;
}

/** `2026-10-02 10:02 UTC`. */
function minute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A saving's state in words, for a CONFLICT: `approved by ana at 2026-10-02 10:02 UTC (recognized, version 3)`. */
export function describeSavingState(s: Saving): string {
  const at = minute(s.updatedAt);
  const what =
    s.status === 'recognized'
      ? `approved by ${s.recognizedBy ?? s.approver ?? '?'} at ${at}`
      : s.status === 'validated'
        ? `validated by ${s.approver ?? '?'} (last change ${at})`
        : s.status === 'rejected'
          ? `rejected by ${s.closedBy ?? '?'} at ${at}${s.rejectReason ? `: ${s.rejectReason}` : ''}`
          : s.status === 'withdrawn'
            ? `withdrawn by ${s.closedBy ?? '?'} at ${at}`
            : `proposed by ${s.proposer} (last change ${at})`;
  return `${what} (${s.status}, version ${s.version})`;
}

/**
 * Runs a decision in one transaction with the saving locked: finds it, checks the policy (an
 * unknown actor or a missing role is refused, with a `refused` audit row), returns `alreadyDone`
 * when the same decision is already recorded, enforces the expected version (CONFLICT with the
 * current state), then runs `step`. Overlaps are added for the approver to see.
 */
export async function decide(
  store: Store,
  request: DecisionRequest,
  policy: DecisionPolicy,
  alreadyDone: (saving: Saving, person: Person) => boolean,
  step: DecisionStep,
): Promise<SavingFailure | SavingDecision> {
  const result = await withSavingDecision(store, async (tx) => {
    const saving = await tx.lock(request.id);
    if (!saving) return refuse('NOT_FOUND', `no saving ${JSON.stringify(request.id)}; see costbridge savings list`);
    const audit = { auditAction: `saving.${policy.verb}`, subjectType: 'saving', subjectId: saving.id, ...(policy.attempt !== undefined ? { attempt: policy.attempt } : {}) };
    let person: Person | undefined;
    if (policy.action) {
      const allowed = await authorize(tx.db, { action: policy.action, actor: request.actor, surface: request.surface, costCenter: saving.costCenter, ...audit });
      if (!allowed.ok) return refuse('FORBIDDEN', allowed.message, saving);
      person = allowed.person;
    } else {
      person = await tx.person(request.actor);
      if (!person) {
        const reason = await unknownActorText(tx.db, request.actor);
        await recordRefusal(tx.db, { actor: request.actor, surface: request.surface, action: audit.auditAction, subjectType: 'saving', subjectId: saving.id, reason, attempt: policy.attempt });
        return refuse('FORBIDDEN', reason, saving);
      }
    }
    if (alreadyDone(saving, person)) return { ok: true as const, saving, alreadyDone: true, revisions: [], warnings: [] };
    if (request.expectedVersion !== undefined && request.expectedVersion !== saving.version) {
      return refuse(
        'CONFLICT',
        `${saving.id} changed since you looked at it (version ${request.expectedVersion}): it was ${describeSavingState(saving)}; nothing was changed`,
        saving,
      );
    }
    return step({ tx, saving, person });
  });
  if (!result.ok) return result;
  return { ...result, overlaps: await overlapsOf(store, result.saving) };
}

/** The validated or recognized savings overlapping a saving. */
export async function overlapsOf(store: Store, saving: SavingScope): Promise<string[]> {
  const decided = [...(await listSavings(store.db, { status: 'validated' })), ...(await listSavings(store.db, { status: 'recognized' }))];
  return savingOverlaps(saving, decided);
}

/**
 * Refuses anyone approving their own proposal (segregation of duties: even holding itfm), with a
 * `refused` audit row. Roles are checked by `decide` through the policy.
 */
export async function checkApprover(
  tx: SavingDecisionTx,
  saving: Saving,
  person: Person,
  action: SavingAction | 'approve',
  approving: boolean,
  surface: Surface,
): Promise<SavingFailure | undefined> {
  if (approving && person.id === saving.proposer) {
    const reason = `${person.id} proposed ${saving.id} and may not ${action} it (segregation of duties): another itfm person must`;
    await recordRefusal(tx.db, { actor: person.id, surface, action: `saving.${action}`, subjectType: 'saving', subjectId: saving.id, reason });
    return refuse('SEGREGATION_OF_DUTIES', reason, saving);
  }
  return undefined;
}

/** Refuses a transition the lifecycle does not allow from the saving's state. */
export function checkTransition(saving: Saving, action: SavingAction): SavingFailure | undefined {
  const why = illegalTransition(saving.id, saving.status, action);
  return why ? refuse('ILLEGAL_TRANSITION', why, saving) : undefined;
}

/** proposed → validated with the recognized amount, and its audit row. */
export async function validateStep(tx: SavingDecisionTx, saving: Saving, person: Person, amount: string, surface: Surface): Promise<Saving> {
  const after = await tx.change(saving, { status: 'validated', recognizedMonthly: amount, approver: person.id });
  await tx.audit({ actor: person.id, surface, action: 'saving.validate', subjectType: 'saving', subjectId: saving.id, before: saving, after });
  return after;
}

/**
 * validated → recognized from `from` (`YYYY-MM`): writes the budget revisions (none for cost
 * avoidance) and the audit row, or refuses when the month precedes the effective date or the
 * budget is kept in another currency.
 */
export async function recognizeStep(
  tx: SavingDecisionTx,
  saving: Saving,
  person: Person,
  from: string,
  surface: Surface,
): Promise<SavingFailure | Omit<SavingDecision, 'overlaps'>> {
  if (from < saving.effectiveDate.slice(0, 7)) {
    return refuse('INPUT_INVALID', `cannot recognize ${saving.id} from ${from}: it takes effect on ${saving.effectiveDate}`, saving);
  }
  if (saving.endDate !== null && from > saving.endDate.slice(0, 7)) {
    return refuse('INPUT_INVALID', `cannot recognize ${saving.id} from ${from}: it ends on ${saving.endDate}`, saving);
  }
  const planned = plannedRevisions(saving, saving.recognizedMonthly!, from).filter(
    (p) => saving.endDate === null || p.month.slice(0, 7) <= saving.endDate.slice(0, 7),
  );
  const warnings: string[] = [];
  if (planned.length > 0) {
    const budget = await tx.originalBudget(saving.costCenter, saving.category, planned.map((p) => p.month));
    const foreign = budget.filter((b) => b.currency !== saving.currency);
    if (foreign.length > 0) {
      return refuse(
        'CURRENCY_MISMATCH',
        `the budget of ${saving.costCenter}${saving.category ? ` / ${saving.category}` : ''} for ${foreign.map((b) => b.month).join(', ')} is in ${foreign[0]!.currency}, the saving in ${saving.currency}; currencies are never mixed`,
        saving,
      );
    }
    const missing = planned.map((p) => p.month.slice(0, 7)).filter((m) => !budget.some((b) => b.month === m));
    if (missing.length > 0) {
      warnings.push(
        `no budget line for ${saving.costCenter}${saving.category ? ` / ${saving.category}` : ' (uncategorised)'} in ${missing.join(', ')}: the revision is recorded but has no budget to lower there`,
      );
    }
  } else if (saving.type === 'avoidance') {
    warnings.push('cost avoidance: recognized in the ledger, no budget line lowered');
  }
  const after = await tx.change(saving, { status: 'recognized', recognizedFrom: from, recognizedBy: person.id });
  const revisions = await tx.addRevisions(after, planned, person.id);
  await tx.audit({
    actor: person.id,
    surface,
    action: 'saving.recognize',
    subjectType: 'saving',
    subjectId: saving.id,
    before: saving,
    after: { ...after, budgetRevisions: revisions.map((r) => ({ id: r.id, month: r.month, amount: r.amount })) },
  });
  return { ok: true, saving: after, alreadyDone: false, revisions, warnings };
}

/** → rejected or withdrawn (never from recognized: see `reverseStep`). */
export async function closeStep(
  tx: SavingDecisionTx,
  saving: Saving,
  person: Person,
  action: 'reject' | 'withdraw',
  reason: string | undefined,
  surface: Surface,
): Promise<Omit<SavingDecision, 'overlaps'>> {
  const after = await tx.change(saving, {
    status: action === 'reject' ? 'rejected' : 'withdrawn',
    closedBy: person.id,
    ...(reason !== undefined ? { rejectReason: reason } : {}),
  });
  const revisions = saving.status === 'recognized' ? await tx.reverseRevisions(saving, person.id) : [];
  await tx.audit({
    actor: person.id,
    surface,
    action: `saving.${action}`,
    subjectType: 'saving',
    subjectId: saving.id,
    before: saving,
    after: { ...after, reversedRevisions: revisions.map((r) => ({ id: r.id, reverses: r.reverses, month: r.month, amount: r.amount })) },
  });
  const warnings = revisions.length > 0 ? [`reversed ${revisions.length} budget revision(s): the budget is back to its original amounts`] : [];
  return { ok: true, saving: after, alreadyDone: false, revisions, warnings };
}

/** recognized → validated: the recognition is undone, its budget revisions reversed, with the reason in the audit row. */
export async function reverseStep(tx: SavingDecisionTx, saving: Saving, person: Person, reason: string, surface: Surface): Promise<Omit<SavingDecision, 'overlaps'>> {
  const after = await tx.change(saving, { status: 'validated', clearRecognition: true });
  const revisions = await tx.reverseRevisions(saving, person.id);
  await tx.audit({
    actor: person.id,
    surface,
    action: 'saving.reverse',
    subjectType: 'saving',
    subjectId: saving.id,
    before: saving,
    after: { ...after, reason, reversedRevisions: revisions.map((r) => ({ id: r.id, reverses: r.reverses, month: r.month, amount: r.amount })) },
  });
  const warnings = revisions.length > 0 ? [`reversed ${revisions.length} budget revision(s): the budget is back to its original amounts`] : [];
  return { ok: true, saving: after, alreadyDone: false, revisions, warnings };
}
