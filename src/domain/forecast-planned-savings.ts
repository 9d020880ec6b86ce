import { Money } from './money.js';
import { daysBetween } from './forecast-calendar.js';
import { projectionDecimalPlaces } from './forecast-run-rate.js';

/** Saving statuses that count as planned actions in a forecast. */
export const plannedSavingStatuses = ['proposed', 'validated', 'recognized'] as const;

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

/** How much a planned saving lowers a period's projection. */
export interface PlannedSavingEffect {
  readonly saving: PlannedSaving;
  /** Days from max(effective date, as-of) to the period end. */
  readonly days: number;
  /** monthly x days / days in period, rounded to cents. */
  readonly reduction: string;
}

/**
 * The effect of a planned saving on a period's projection: a reduction (not an avoidance, which
 * prevents an increase the run rate never contained) in a planned status, effective inside the
 * period, lowers the days still to come from its effective date on, pro rata of its monthly amount.
 * Days already past are in the actuals and the run rate. Undefined when it does not apply.
 */
export function plannedSavingEffect(saving: PlannedSaving, periodStart: string, periodEnd: string, asOf: string): PlannedSavingEffect | undefined {
  if (!(plannedSavingStatuses as readonly string[]).includes(saving.status)) return undefined;
  if (saving.type === 'avoidance') return undefined;
  if (saving.effectiveDate < periodStart || saving.effectiveDate >= periodEnd) return undefined;
  const from = saving.effectiveDate > asOf ? saving.effectiveDate : asOf;
  const days = from >= periodEnd ? 0 : daysBetween(from, periodEnd);
  const reduction = new Money(saving.monthly)
    .times(days)
    .div(daysBetween(periodStart, periodEnd))
    .toDecimalPlaces(projectionDecimalPlaces, Money.ROUND_HALF_EVEN);
  return { saving, days, reduction: reduction.toFixed() };
}
