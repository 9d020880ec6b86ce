import { Money } from './money.js';
import { daysBetween } from './forecast-calendar.js';
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
  /** The recognized monthly amount when there is one, else the estimate (exact decimal). */
  readonly monthly: string;
  readonly currency: string;
}

/** How much a planned saving lowers a period's projection, and why not more. */
export interface PlannedSavingEffect {
  readonly saving: PlannedSaving;
  /** Days from max(effective date, as-of) to the period end. */
  readonly days: number;
  /** Days of the trailing run-rate window on or after the effective date: the run rate already holds the saving for them. */
  readonly inWindowDays: number;
  /**
   * monthly × days / days in period × (1 − inWindowDays / window days), rounded to cents: only the
   * part the run rate does not already contain.
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
 * an increase the run rate never contained) lowers the days still to come from max(effective
 * date, as-of), pro rata of its monthly amount, but only by the share the trailing run-rate window
 * does not already contain: a saving in effect for the whole window is in the run rate and deducts
 * nothing more; one in effect for 3 of 7 window days deducts 4/7 of its daily amount. Validated
 * and recognized savings are applied; proposed ones are potential (applied only when
 * `includeProposed`). Undefined when the saving does not touch the projection (effective before
 * the window or after the period, another status).
 */
export function plannedSavingEffect(saving: PlannedSaving, frame: ForecastFrame, includeProposed = false): PlannedSavingEffect | undefined {
  const decided = (plannedSavingStatuses as readonly string[]).includes(saving.status);
  const proposed = (potentialSavingStatuses as readonly string[]).includes(saving.status);
  if (!decided && !proposed) return undefined;
  if (saving.type === 'avoidance') return undefined;
  if (saving.effectiveDate >= frame.periodEnd) return undefined;
  const reachStart = frame.windowDays > 0 && frame.windowStart < frame.periodStart ? frame.windowStart : frame.periodStart;
  if (saving.effectiveDate < reachStart) return undefined;
  const from = saving.effectiveDate > frame.asOf ? saving.effectiveDate : frame.asOf;
  const days = from >= frame.periodEnd ? 0 : daysBetween(from, frame.periodEnd);
  const windowFrom = saving.effectiveDate > frame.windowStart ? saving.effectiveDate : frame.windowStart;
  const inWindowDays = frame.windowDays <= 0 || windowFrom >= frame.asOf ? 0 : Math.min(frame.windowDays, daysBetween(windowFrom, frame.asOf));
  const notInRunRate = frame.windowDays <= 0 ? new Money(1) : new Money(frame.windowDays - inWindowDays).div(frame.windowDays);
  const reduction = new Money(saving.monthly)
    .times(days)
    .div(daysBetween(frame.periodStart, frame.periodEnd))
    .times(notInRunRate)
    .toDecimalPlaces(projectionDecimalPlaces, Money.ROUND_HALF_EVEN);
  return { saving, days, inWindowDays, reduction: reduction.toFixed(), treatment: decided || includeProposed ? 'applied' : 'potential' };
}
