import type { BillingMonth } from '../domain/billing-month.js';
import { describeGrant, holdsRole } from '../domain/people.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { resolveActor } from '../store/people.js';
import { closedMonths, lockBooks, markReopened, type StoredClosure } from '../store/period-closes.js';
import type { PeriodFailure } from './close-period.js';

/** Reopening a closed month: who, why, from where. */
export interface ReopenPeriodRequest {
  readonly period: BillingMonth;
  readonly reason: string;
  readonly actor: string;
  readonly surface: Surface;
}

/** A reopen that took effect: the close it ended (kept, with its frozen figures, for the record). */
export interface ReopenPeriodResult {
  readonly ok: true;
  readonly closure: StoredClosure;
  readonly reopenedAt: string;
}

/**
 * The role check of reopening (admin, granted for every cost center): one call on the people
 * store, kept here so the authorization policy can take it over as one rule.
 */
export async function mayReopenPeriods(store: Store, actor: string): Promise<PeriodFailure | undefined> {
  const person = await resolveActor(store, actor);
  if (person && holdsRole(person, 'admin', [])) return undefined;
  const held = person ? (person.roles.length > 0 ? person.roles.map(describeGrant).join(', ') : 'no role') : 'not a known person';
  return { ok: false, code: 'FORBIDDEN', message: `only an admin (for every cost center) may reopen a period; ${JSON.stringify(actor)}: ${held}` };
}

/**
 * Reopens a closed month with a reason: its reports read the live lines again and its chargeback
 * books every difference not booked yet (never one already carried into a later month). Audited.
 */
export async function reopenPeriod(store: Store, request: ReopenPeriodRequest): Promise<ReopenPeriodResult | PeriodFailure> {
  const reason = request.reason.trim();
  if (reason === '') return { ok: false, code: 'INPUT_INVALID', message: 'a reopen needs a reason (--reason "late AWS credit to book in October")' };
  const denied = await mayReopenPeriods(store, request.actor);
  if (denied) return denied;
  const key = request.period.key;
  return store.db.transaction().execute(async (trx): Promise<ReopenPeriodResult | PeriodFailure> => {
    await lockBooks(trx);
    const closure = (await closedMonths(trx)).get(key);
    if (!closure) return { ok: false, code: 'NOT_CLOSED', message: `${key} is not closed` };
    const at = (await markReopened(trx, closure.id, request.actor, reason)).toISOString();
    await recordAudit(trx, {
      actor: request.actor,
      surface: request.surface,
      action: 'period.reopen',
      subjectType: 'period',
      subjectId: key,
      before: { closureId: closure.id, closedAt: closure.closedAt, closedBy: closure.closedBy },
      after: { reopenedAt: at, reason },
    });
    return { ok: true, closure: { ...closure, reopenedAt: at, reopenedBy: request.actor, reopenReason: reason }, reopenedAt: at };
  });
}
