import type { WeeklyDigest } from '../domain/digest.js';
import { Money } from '../domain/money.js';

// What the digest chart draws, taken from the digest's exact amounts. A chart is a picture: its
// numbers are rounded to cents and converted to JavaScript numbers here, for display only.

/** One bar of the variance waterfall: a component's change, or the total. */
export interface WaterfallStep {
  readonly label: string;
  readonly value: number;
  /** True for the total bar (drawn from zero); components float from the running sum. */
  readonly total: boolean;
}

/** The numbers the digest chart draws. */
export interface DigestChartData {
  readonly currency: string;
  /** `YYYY-MM`, oldest first. */
  readonly months: readonly string[];
  /** Effective cost of each month (month to date for the last). */
  readonly actual: readonly number[];
  readonly budget: readonly number[];
  /** Projected period end: only the open month has one. */
  readonly projected: readonly (number | null)[];
  /** The largest mover's variance by component, then its total; null when nothing moved. */
  readonly waterfall: { readonly costCenter: string; readonly steps: readonly WaterfallStep[] } | null;
}

/** An exact amount as a display number (rounded half up to cents). */
export function chartNumber(amount: string): number {
  return Number(new Money(amount).toDecimalPlaces(2, Money.ROUND_HALF_UP).toFixed(2));
}

/** The chart's data from a digest, or null when the digest has no spend to chart. */
export function digestChartData(d: WeeklyDigest): DigestChartData | null {
  if (!d.trend || d.trend.points.length === 0) return null;
  const mover = d.movers.find((m) => m.currency === d.trend!.currency) ?? d.movers[0];
  return {
    currency: d.trend.currency,
    months: d.trend.points.map((p) => p.period),
    actual: d.trend.points.map((p) => chartNumber(p.actual)),
    budget: d.trend.points.map((p) => chartNumber(p.budget)),
    projected: d.trend.points.map((p) => (p.projected === null ? null : chartNumber(p.projected))),
    waterfall: mover
      ? {
          costCenter: mover.costCenter,
          steps: [...mover.components.map((c) => ({ label: c.component, value: chartNumber(c.amount), total: false })), { label: 'total', value: chartNumber(mover.variance), total: true }],
        }
      : null,
  };
}
