import type { BillingMonth } from '../domain/billing-month.js';
import { addMonths, describeClosure, monthOf } from '../domain/period-close.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import {
  closedMonths,
  freezeActual,
  freezeComparative,
  frozenTotals,
  insertClosure,
  lockBooks,
  monthsWithLinesBefore,
  setClosureTotals,
  type ClosedPlan,
  type StoredClosure,
} from '../store/period-closes.js';
import { lockAttribution } from '../store/reattribution.js';
import { loadPlanAmounts } from '../store/variance-plans.js';
import { loadSharedPools } from './showback.js';
import { authorize } from './authorization-policy.js';

/** Closing a billing month: who, from where, with which shared-cost pools file in force. */
export interface ClosePeriodRequest {
  readonly period: BillingMonth;
  readonly actor: string;
  readonly surface: Surface;
  /** config.attribution.sharedPoolsFile: the pools the closed showback and chargeback keep. */
  readonly sharedPoolsFile: string | undefined;
}

/** Why a close, reopen or list was refused; nothing was written. */
export interface PeriodFailure {
  readonly ok: false;
  readonly code: 'FORBIDDEN' | 'ALREADY_CLOSED' | 'NOT_CLOSED' | 'INPUT_INVALID';
  readonly message: string;
}

/** A close that took effect. */
export interface ClosePeriodResult {
  readonly ok: true;
  readonly closure: StoredClosure;
  /** Frozen grain rows of the month. */
  readonly frozenRows: number;
  /** What the person should know (earlier months still open, an empty month). */
  readonly warnings: readonly string[];
}

/**
 * Closes a billing month: in one transaction (no import or re-attribution in between), freezes its
 * figures as they stand (the lines summed at the fact grain, with each line's cost center and
 * shared-cost pool for showback, the pools' definitions, the month's budget and ITFM forecast) and
 * what its month-on-month variance compares with (the month before restated under this month's
 * attribution), and writes the audit row. From then on its reports answer with these figures and
 * later changes are post-close adjustments, booked in the first open month's chargeback.
 */
export async function closePeriod(store: Store, request: ClosePeriodRequest): Promise<ClosePeriodResult | PeriodFailure> {
  const allowed = await authorize(store.db, { action: 'close-period', actor: request.actor, surface: request.surface, auditAction: 'period.close', subjectType: 'period', subjectId: request.period.key });
  if (!allowed.ok) return allowed;
  const pools = await loadSharedPools(store, request.sharedPoolsFile);
  const key = request.period.key;
  const month = request.period.start.slice(0, 10);
  return store.db.transaction().execute(async (trx): Promise<ClosePeriodResult | PeriodFailure> => {
    await lockAttribution(trx);
    await lockBooks(trx);
    const closed = await closedMonths(trx);
    const existing = closed.get(key);
    if (existing) return { ok: false, code: 'ALREADY_CLOSED', message: `${key} is already closed (${describeClosure(existing)})` };
    const budget = await loadPlanAmounts(trx, 'budget', month);
    const forecast = await loadPlanAmounts(trx, 'forecast', month);
    const plans: ClosedPlan[] = [...budget.map((p) => ({ ...p, version: 'budget' as const })), ...forecast.map((p) => ({ ...p, version: 'forecast' as const }))];
    const { id } = await insertClosure(trx, {
      period: request.period,
      closedBy: request.actor,
      surface: request.surface,
      pools,
      poolsFile: request.sharedPoolsFile ?? null,
      plans,
    });
    const frozenRows = await freezeActual(trx, id, request.period, pools);
    const before = monthOf(addMonths(key, -1));
    await freezeComparative(trx, id, before, request.period, closed.get(before.key)?.id);
    const totals = await frozenTotals(trx, id);
    await setClosureTotals(trx, id, totals);
    const closure = (await closedMonths(trx)).get(key)!;
    await recordAudit(trx, {
      actor: request.actor,
      surface: request.surface,
      action: 'period.close',
      subjectType: 'period',
      subjectId: key,
      after: { closureId: id, closedAt: closure.closedAt, totals, poolsFile: closure.poolsFile, pools: pools.map((p) => p.name), frozenRows },
    });
    const open = (await monthsWithLinesBefore(trx, key)).filter((k) => !closed.has(k));
    const warnings = [
      ...(totals.length === 0 ? [`${key} has no cost lines: it is closed with nothing in it`] : []),
      ...(open.length > 0 ? [`earlier months with cost lines are still open: ${open.join(', ')}`] : []),
    ];
    return { ok: true, closure, frozenRows, warnings };
  });
}
