import { formatMoney, Money } from './money.js';
import { addDays, daysBetween } from './forecast-calendar.js';
import { projectionDecimalPlaces } from './forecast-run-rate.js';

/** Saving statuses a forecast deducts by default: decided ones (ITFM validated or recognized them). */
export const plannedSavingStatuses = ['validated', 'recognized'] as const;
/** Saving statuses shown as potential: not deducted unless asked for (`--include-proposed`). */
export const potentialSavingStatuses = ['proposed'] as const;

/** A saving record as the forecast reads it (from the savings ledger). */
export interface PlannedSaving {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  /** 'reduction' | 'avoidance', when the ledger records it. */
  readonly type: string | null;
  readonly costCenter: string;
  /** `YYYY-MM-DD`. */
  readonly effectiveDate: string;
  /** The saving's last day in effect (`YYYY-MM-DD`), or null when it runs on. */
  readonly endDate: string | null;
  /** The recognized monthly amount when there is one, else the estimate (exact decimal). */
  readonly monthly: string;
  readonly currency: string;
}

/** How much a planned saving lowers a period's projection, and why not more. */
export interface PlannedSavingEffect {
  readonly saving: PlannedSaving;
  /** Days the saving is in effect from the as-of day to the period end (from max(effective date, as-of) to the period end or its end date). */
  readonly days: number;
  /** Days of the trailing run-rate window on or after the effective date: the run rate already holds the saving for them. */
  readonly inWindowDays: number;
  /**
   * monthly / days in period × (days − remaining days × inWindowDays / window days), rounded to
   * cents: what the run rate does not already contain. Negative for a saving that ends before the
   * period does: the run rate holds it for days it will no longer be in effect, so they are added back.
   */
  readonly reduction: string;
  /** `applied`: deducted; `potential`: a proposed saving, shown but not deducted. */
  readonly treatment: 'applied' | 'potential';
}

/** The period, as-of day and run-rate window a saving's effect is judged against (`YYYY-MM-DD`, ends exclusive). */
export interface ForecastFrame {
  readonly periodStart: string;
  readonly periodEnd: string;
  /** The clamped as-of day: the projection covers [asOf, periodEnd). */
  readonly asOf: string;
  readonly windowStart: string;
  readonly windowDays: number;
}

/**
 * The effect of a saving on a period's projection. A reduction (not an avoidance, which prevents
 * an increase the run rate never contained) lowers each remaining day it is in effect (from
 * max(effective date, as-of) to the period end or its end date) by its daily amount (monthly ÷ days
 * in period), less what the trailing run-rate window already contains: the run rate projects the
 * window's share of saving days (inWindowDays / window days) onto every remaining day. A saving in
 * effect for the whole window and the rest of the period therefore deducts nothing more; one in
 * effect for 3 of 7 window days deducts 4/7 of its daily amount; one that ends before the period
 * does adds back the days after its end that the run rate wrongly holds it for. Validated and
 * recognized savings are applied; proposed ones are potential (applied only when
 * `includeProposed`). Undefined when the saving does not touch the projection (effective after the
 * period, ended before the window and the period, in effect on none of the window's or remaining
 * days, effective before both and never ending, another status).
 */
export function plannedSavingEffect(saving: PlannedSaving, frame: ForecastFrame, includeProposed = false): PlannedSavingEffect | undefined {
  const decided = (plannedSavingStatuses as readonly string[]).includes(saving.status);
  const proposed = (potentialSavingStatuses as readonly string[]).includes(saving.status);
  if (!decided && !proposed) return undefined;
  if (saving.type === 'avoidance') return undefined;
  if (saving.effectiveDate >= frame.periodEnd) return undefined;
  const reachStart = frame.windowDays > 0 && frame.windowStart < frame.periodStart ? frame.windowStart : frame.periodStart;
  // The first day no longer in effect (exclusive end), when the saving ends.
  const stop = saving.endDate === null ? null : addDays(saving.endDate, 1);
  if (stop !== null && stop <= reachStart) return undefined;
  if (saving.effectiveDate < reachStart && stop === null) return undefined;
  const inEffect = (from: string, to: string) => {
    const a = saving.effectiveDate > from ? saving.effectiveDate : from;
    const b = stop !== null && stop < to ? stop : to;
    return a >= b ? 0 : daysBetween(a, b);
  };
  const days = inEffect(frame.asOf, frame.periodEnd);
  const inWindowDays = frame.windowDays <= 0 ? 0 : Math.min(frame.windowDays, inEffect(frame.windowStart, frame.asOf));
  if (days === 0 && inWindowDays === 0) return undefined;
  const remaining = frame.asOf >= frame.periodEnd ? 0 : daysBetween(frame.asOf, frame.periodEnd);
  const heldByRunRate = frame.windowDays <= 0 ? new Money(0) : new Money(remaining).times(inWindowDays).div(frame.windowDays);
  const reduction = new Money(saving.monthly)
    .times(new Money(days).minus(heldByRunRate))
    .div(daysBetween(frame.periodStart, frame.periodEnd))
    .toDecimalPlaces(projectionDecimalPlaces, Money.ROUND_HALF_EVEN);
  return { saving, days, inWindowDays, reduction: reduction.toFixed(), treatment: decided || includeProposed ? 'applied' : 'potential' };
}

/**
 * A planned saving's effect on a projection in words: "-12.00 USD" deducted, or, for a saving that
 * ends before the period does, "+12.00 USD added back" for the days after its end the run rate
 * still holds it for.
 */
export function plannedSavingEffectText(effect: PlannedSavingEffect, currency: string): string {
  const amount = new Money(effect.reduction);
  const until = effect.saving.endDate === null ? '' : `, ends ${effect.saving.endDate}`;
  return amount.isNegative()
    ? `+${formatMoney(amount.negated().toFixed(), currency)} added back (the run rate holds it for days after it ends${until})`
    : `-${formatMoney(effect.reduction, currency)}${until ? ` (${until.slice(2)})` : ''}`;
}
