import { Money } from './money.js';
import { addDays, daysBetween } from './forecast-calendar.js';

/** ChargeCategories that are one-off items: counted when they happen, never extrapolated. */
export const oneOffCategories = ['Purchase', 'Credit'] as const;

/** Decimal places of the projected remaining spend (the only rounded number of a projection). */
export const projectionDecimalPlaces = 2;
/** Decimal places of the displayed daily run rate and of percentage errors. */
export const rateDecimalPlaces = 6;

/** Cost of one scope on one charge day (by ChargePeriodStart, UTC). */
export interface DailyCost {
  readonly day: string;
  /** Whether the lines belong to the forecast period's billing period. */
  readonly inPeriod: boolean;
  /** Purchase or Credit lines. */
  readonly oneOff: boolean;
  /** Exact decimal. */
  readonly cost: string;
}

/** The period being forecast and the trailing window, as `YYYY-MM-DD` days (end exclusive). */
export interface RunRatePeriod {
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly windowDays: number;
}

/** A run-rate projection of a period's end actual, with every input it used. */
export interface RunRateProjection {
  readonly asOf: string;
  readonly daysInPeriod: number;
  readonly elapsedDays: number;
  readonly remainingDays: number;
  /** Trailing window [windowStart, windowEnd). */
  readonly windowStart: string;
  readonly windowEnd: string;
  /** Period charges before as-of, one-offs included (exact). */
  readonly monthToDate: string;
  /** The Purchase and Credit part of monthToDate, not extrapolated (exact). */
  readonly knownItems: string;
  /** Recurring (non one-off) cost in the window (exact). */
  readonly windowTotal: string;
  /** windowTotal / windowDays, rounded to 6 places, for display. */
  readonly dailyRunRate: string;
  /** windowTotal x remainingDays / windowDays, rounded to cents. */
  readonly projectedRemaining: string;
  /** monthToDate + projectedRemaining (exact sum). */
  readonly baseline: string;
}

/**
 * Projects a period's end actual as of a day: month-to-date (the period's lines with ChargePeriodStart
 * before as-of) plus the daily run rate of the trailing window (the `windowDays` days before as-of,
 * any billing period, one-offs excluded) times the days left. As-of is clamped into the period;
 * on or after its end the projection is the actual.
 */
export function projectRunRate(daily: readonly DailyCost[], period: RunRatePeriod, asOf: string): RunRateProjection {
  const daysInPeriod = daysBetween(period.periodStart, period.periodEnd);
  const at = asOf < period.periodStart ? period.periodStart : asOf > period.periodEnd ? period.periodEnd : asOf;
  const closed = at >= period.periodEnd;
  const elapsedDays = daysBetween(period.periodStart, at);
  const remainingDays = daysInPeriod - elapsedDays;
  const windowDays = Math.max(0, period.windowDays);
  const windowStart = addDays(at, -windowDays);
  let monthToDate = new Money(0);
  let knownItems = new Money(0);
  let windowTotal = new Money(0);
  for (const d of daily) {
    if (d.inPeriod && (closed || d.day < at)) {
      monthToDate = monthToDate.plus(d.cost);
      if (d.oneOff) knownItems = knownItems.plus(d.cost);
    }
    if (!d.oneOff && d.day >= windowStart && d.day < at) windowTotal = windowTotal.plus(d.cost);
  }
  const remaining =
    windowDays === 0 || remainingDays === 0
      ? new Money(0)
      : windowTotal.times(remainingDays).div(windowDays).toDecimalPlaces(projectionDecimalPlaces, Money.ROUND_HALF_EVEN);
  const rate = windowDays === 0 ? new Money(0) : windowTotal.div(windowDays).toDecimalPlaces(rateDecimalPlaces, Money.ROUND_HALF_EVEN);
  return {
    asOf: at,
    daysInPeriod,
    elapsedDays,
    remainingDays,
    windowStart,
    windowEnd: at,
    monthToDate: monthToDate.toFixed(),
    knownItems: knownItems.toFixed(),
    windowTotal: windowTotal.toFixed(),
    dailyRunRate: rate.toFixed(),
    projectedRemaining: remaining.toFixed(),
    baseline: monthToDate.plus(remaining).toFixed(),
  };
}

/** One day of a backtest: what the method projected as of that morning, and how far off it was. */
export interface BacktestDay {
  readonly asOf: string;
  readonly projected: string;
  /** projected - actual (exact). */
  readonly error: string;
  /** |error| / |actual|, 6 places; null when the actual is zero. */
  readonly ape: string | null;
}

/** A backtest of the run-rate method over one closed period. */
export interface Backtest {
  readonly actual: string;
  readonly days: readonly BacktestDay[];
  /** Mean of the daily APEs (6 places); null when the actual is zero. */
  readonly mape: string | null;
}

/** Replays the method as of the first through the last day of a closed period and scores it against the actual. */
export function backtestRunRate(daily: readonly DailyCost[], period: RunRatePeriod): Backtest {
  const actual = new Money(projectRunRate(daily, period, period.periodEnd).monthToDate);
  const days: BacktestDay[] = [];
  let apeSum = new Money(0);
  const n = daysBetween(period.periodStart, period.periodEnd);
  for (let i = 0; i < n; i++) {
    const asOf = addDays(period.periodStart, i);
    const projected = new Money(projectRunRate(daily, period, asOf).baseline);
    const error = projected.minus(actual);
    const ape = actual.isZero() ? null : error.abs().div(actual.abs());
    if (ape) apeSum = apeSum.plus(ape);
    days.push({ asOf, projected: projected.toFixed(), error: error.toFixed(), ape: ape ? round(ape) : null });
  }
  return { actual: actual.toFixed(), days, mape: actual.isZero() || n === 0 ? null : round(apeSum.div(n)) };
}

function round(v: Money): string {
  return v.toDecimalPlaces(rateDecimalPlaces, Money.ROUND_HALF_EVEN).toFixed();
}
