import type { BillingMonth } from '../domain/billing-month.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { closedMonths, lockBooks, markReopened, type StoredClosure } from '../store/period-closes.js';
import type { PeriodFailure } from './close-period.js';
import { authorize } from './authorization-policy.js';

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
 * Reopens a closed month with a reason: its reports read the live lines again and its chargeback
 * books every difference not booked yet (never one already carried into a later month). Audited.
 */
export async function reopenPeriod(store: Store, request: ReopenPeriodRequest): Promise<ReopenPeriodResult | PeriodFailure> {
  const reason = request.reason.trim();
  if (reason === '') return { ok: false, code: 'INPUT_INVALID', message: 'a reopen needs a reason (--reason "late AWS credit to book in October")' };
  const allowed = await authorize(store.db, { action: 'reopen-period', actor: request.actor, surface: request.surface, auditAction: 'period.reopen', subjectType: 'period', subjectId: request.period.key, attempt: { reason } });
  if (!allowed.ok) return allowed;
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
