import type { BillingMonth } from '../domain/billing-month.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { addDays, dayOf } from '../domain/forecast-calendar.js';
import { backtestRunRate, type Backtest, type DailyCost } from '../domain/forecast-run-rate.js';
import { Money } from '../domain/money.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import type { Store } from '../store/database.js';
import { loadDailyCosts } from '../store/forecast-daily-costs.js';
import { forecastStatements } from './forecast-period.js';

/** Replays the run-rate forecast over a closed period. */
export interface BacktestRequest {
  readonly period: BillingMonth;
  readonly basis: CostBasis;
  readonly windowDays: number;
  /** `YYYY-MM-DD`, today: the period must have ended before it. */
  readonly today: string;
}

/** One cost center's (or all cost centers') backtest. */
export interface BacktestRow extends Backtest {
  readonly scope: string;
  readonly currency: string;
}

/** Forecast accuracy over a closed period: per cost center and for the total of each currency. */
export interface BacktestReport {
  readonly period: string;
  readonly basis: CostBasis;
  readonly windowDays: number;
  readonly method: readonly string[];
  readonly rows: readonly BacktestRow[];
  /** All cost centers together, per currency (scope `(all)`). */
  readonly total: readonly BacktestRow[];
}

/**
 * What the run-rate method would have projected as of each day of a closed period (from its first to
 * its last day) against what the period came to, with the mean absolute percentage error.
 */
export async function backtestForecast(store: Store, request: BacktestRequest): Promise<BacktestReport> {
  const periodStart = dayOf(request.period.start);
  const periodEnd = dayOf(request.period.end);
  if (periodEnd > request.today) {
    throw new CostbridgeError('INPUT_INVALID', `${request.period.key} is not closed yet (it ends ${periodEnd}); backtest a past period, or use costbridge forecast`);
  }
  const daily = await loadDailyCosts(store.db, {
    period: request.period,
    windowFrom: addDays(periodStart, -request.windowDays),
    windowTo: periodEnd,
    basis: request.basis,
  });
  const settings = { periodStart, periodEnd, windowDays: request.windowDays };
  const groups = new Map<string, { scope: string; currency: string; daily: DailyCost[] }>();
  const totals = new Map<string, { scope: string; currency: string; daily: DailyCost[] }>();
  for (const d of daily) {
    const scope = d.scope ?? '(unattributed)';
    const k = JSON.stringify([scope, d.currency]);
    const g = groups.get(k) ?? { scope, currency: d.currency, daily: [] };
    g.daily.push(d);
    groups.set(k, g);
    const t = totals.get(d.currency) ?? { scope: '(all)', currency: d.currency, daily: [] };
    t.daily.push(d);
    totals.set(d.currency, t);
  }
  const score = (g: { scope: string; currency: string; daily: DailyCost[] }): BacktestRow => ({ scope: g.scope, currency: g.currency, ...backtestRunRate(g.daily, settings) });
  const rows = [...groups.values()].map(score).filter((r) => !new Money(r.actual).isZero() || r.days.some((d) => !new Money(d.projected).isZero()));
  rows.sort((a, b) => new Money(b.actual).abs().cmp(new Money(a.actual).abs()) || a.scope.localeCompare(b.scope));
  const total = [...totals.values()].map(score).sort((a, b) => a.currency.localeCompare(b.currency));
  return { period: request.period.key, basis: request.basis, windowDays: request.windowDays, method: forecastStatements(request.windowDays), rows, total };
}
