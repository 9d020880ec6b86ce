import type { BillingMonth } from '../domain/billing-month.js';
import { addDays, dayOf } from '../domain/forecast-calendar.js';
import { plannedSavingEffect, plannedSavingStatuses, potentialSavingStatuses, type PlannedSavingEffect } from '../domain/forecast-planned-savings.js';
import { oneOffCategories, projectRunRate, projectionDecimalPlaces, type DailyCost, type RunRateProjection } from '../domain/forecast-run-rate.js';
import { Money, sumAmounts } from '../domain/money.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import type { Store } from '../store/database.js';
import { loadDailyCosts } from '../store/forecast-daily-costs.js';
import { loadPlannedSavings } from '../store/forecast-planned-savings.js';
import { closedMonths, frozenMonths } from '../store/period-closes.js';

/** A run-rate forecast request for one (usually open) billing month. */
export interface ForecastRequest {
  readonly period: BillingMonth;
  /** `YYYY-MM-DD`: data before this day is known (the CLI defaults to today). */
  readonly asOf: string;
  readonly basis: CostBasis;
  /** Trailing window of the daily run rate (config.variance.forecastWindowDays). */
  readonly windowDays: number;
  /** Only this cost center (`(unattributed)` for lines without one). */
  readonly scope?: string | undefined;
  /** Deduct proposed savings too (default: only validated and recognized ones; proposed are shown as potential). */
  readonly includeProposed?: boolean;
}

/** One cost center's projection: the baseline trajectory and the one with planned actions. */
export interface ForecastRow extends RunRateProjection {
  readonly scope: string;
  readonly currency: string;
  /** The savings deducted, each with how much and why not more (days already in the run-rate window). */
  readonly plannedSavings: readonly PlannedSavingEffect[];
  /** Sum of the planned savings' reductions. */
  readonly plannedReduction: string;
  /** Proposed savings, not deducted: what they would take off if ITFM validates them. */
  readonly potentialSavings: readonly PlannedSavingEffect[];
  readonly potentialReduction: string;
  /** baseline - plannedReduction. */
  readonly withPlannedActions: string;
}

/** The assumptions every number of a forecast rests on, stated with it. */
export interface ForecastAssumptions {
  readonly asOf: string;
  readonly daysInPeriod: number;
  readonly elapsedDays: number;
  readonly remainingDays: number;
  readonly windowDays: number;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly oneOffCategories: readonly string[];
  readonly plannedSavingStatuses: readonly string[];
  readonly potentialSavingStatuses: readonly string[];
  readonly statements: readonly string[];
}

/** A run-rate forecast per cost center. */
export interface ForecastReport {
  readonly period: string;
  readonly basis: CostBasis;
  readonly assumptions: ForecastAssumptions;
  /** One row per cost center and currency, the unattributed (bridge) row included. */
  readonly rows: readonly ForecastRow[];
  /** Per currency, the sum of the rows: month to date is `report spend` of the lines charged before as-of. */
  readonly totals: ReadonlyArray<{ readonly currency: string; readonly monthToDate: string; readonly baseline: string; readonly plannedReduction: string; readonly withPlannedActions: string }>;
}

const unattributed = '(unattributed)';

/** The method in words, for the output. */
export function forecastStatements(windowDays: number, includeProposed = false): string[] {
  return [
    'month to date: cost of the period\'s lines whose ChargePeriodStart (UTC day) is before as-of, one-offs included',
    `daily run rate: cost of all other lines (Usage, Tax, Adjustment) charged in the ${windowDays} days before as-of, from any billing period, divided by ${windowDays}`,
    `${oneOffCategories.join(' and ')} lines are one-off known items: counted when charged, never extrapolated`,
    `baseline = month to date + daily run rate x remaining days (the extrapolated part rounded to ${projectionDecimalPlaces} decimals)`,
    'with planned actions = baseline - planned savings: reductions (not avoidances) in status validated or recognized lower the days from max(effective date, as-of) to period end pro rata of their monthly amount (recognized amount, else estimate)',
    `a saving already in effect during the run-rate window is in the run rate: it deducts only the share of the ${windowDays} window days before it took effect (nothing once it was in effect for the whole window)`,
    includeProposed
      ? 'proposed savings are deducted too (--include-proposed)'
      : 'proposed savings are shown as potential and not deducted (--include-proposed deducts them)',
  ];
}

/** Projects each cost center's period-end actual from the month to date and the trailing run rate. */
export async function forecastPeriod(store: Store, request: ForecastRequest): Promise<ForecastReport> {
  const periodStart = dayOf(request.period.start);
  const periodEnd = dayOf(request.period.end);
  const at = request.asOf < periodStart ? periodStart : request.asOf > periodEnd ? periodEnd : request.asOf;
  const scopeValue = request.scope === undefined ? undefined : request.scope === unattributed ? null : request.scope;
  // Closed months are read as closed, so a closed month's projection is its closed actual.
  const daily = await loadDailyCosts(store.db, {
    period: request.period,
    windowFrom: addDays(at, -request.windowDays),
    windowTo: at,
    basis: request.basis,
    scopeValue,
    frozen: frozenMonths(await closedMonths(store.db)),
  });
  const windowStart = addDays(at, -request.windowDays);
  // Savings that took effect inside the run-rate window matter too (the window can reach into the previous month).
  const savings = await loadPlannedSavings(store.db, windowStart < periodStart ? windowStart : periodStart, periodEnd);
  const byScope = new Map<string, { scope: string | null; currency: string; daily: DailyCost[] }>();
  for (const d of daily) {
    const k = JSON.stringify([d.scope, d.currency]);
    const b = byScope.get(k) ?? { scope: d.scope, currency: d.currency, daily: [] };
    b.daily.push(d);
    byScope.set(k, b);
  }
  const settings = { periodStart, periodEnd, windowDays: request.windowDays };
  const rows: ForecastRow[] = [...byScope.values()].map((b) => {
    const projection = projectRunRate(b.daily, settings, request.asOf);
    const frame = { periodStart, periodEnd, asOf: projection.asOf, windowStart: projection.windowStart, windowDays: request.windowDays };
    const effects = savings
      .filter((s) => b.scope !== null && s.costCenter === b.scope && s.currency === b.currency)
      .map((s) => plannedSavingEffect(s, frame, request.includeProposed ?? false))
      .filter((e): e is PlannedSavingEffect => e !== undefined);
    const plannedSavings = effects.filter((e) => e.treatment === 'applied');
    const potentialSavings = effects.filter((e) => e.treatment === 'potential');
    const reduction = plannedSavings.reduce((s, e) => s.plus(e.reduction), new Money(0));
    return {
      scope: b.scope ?? unattributed,
      currency: b.currency,
      ...projection,
      plannedSavings,
      plannedReduction: reduction.toFixed(),
      potentialSavings,
      potentialReduction: potentialSavings.reduce((s, e) => s.plus(e.reduction), new Money(0)).toFixed(),
      withPlannedActions: new Money(projection.baseline).minus(reduction).toFixed(),
    };
  });
  rows.sort((a, b) => new Money(b.baseline).cmp(a.baseline) || a.scope.localeCompare(b.scope) || a.currency.localeCompare(b.currency));
  const sample = projectRunRate([], settings, request.asOf);
  return {
    period: request.period.key,
    basis: request.basis,
    assumptions: {
      asOf: sample.asOf,
      daysInPeriod: sample.daysInPeriod,
      elapsedDays: sample.elapsedDays,
      remainingDays: sample.remainingDays,
      windowDays: request.windowDays,
      windowStart: sample.windowStart,
      windowEnd: sample.windowEnd,
      oneOffCategories,
      plannedSavingStatuses: request.includeProposed ? [...potentialSavingStatuses, ...plannedSavingStatuses] : plannedSavingStatuses,
      potentialSavingStatuses: request.includeProposed ? [] : potentialSavingStatuses,
      statements: forecastStatements(request.windowDays, request.includeProposed ?? false),
    },
    rows,
    totals: [...new Set(rows.map((r) => r.currency))].sort().map((currency) => {
      const mine = rows.filter((r) => r.currency === currency);
      const sum = (f: (r: ForecastRow) => string) => sumAmounts(mine, f);
      return { currency, monthToDate: sum((r) => r.monthToDate), baseline: sum((r) => r.baseline), plannedReduction: sum((r) => r.plannedReduction), withPlannedActions: sum((r) => r.withPlannedActions) };
    }),
  };
}
