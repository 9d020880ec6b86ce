import { Money } from './money.js';
import type { Saving } from './saving.js';

/** One month of the forward budget a recognized saving lowers. */
export interface PlannedRevision {
  /** `YYYY-MM-01`. */
  readonly month: string;
  /** Negative: the budget goes down by the recognized monthly amount. */
  readonly amount: string;
}

/**
 * The months a recognition from `from` (`YYYY-MM`) revises: from that month to the end of its
 * budget year, which is the calendar year.
 */
export function budgetYearMonths(from: string): string[] {
  const year = Number(from.slice(0, 4));
  const first = Number(from.slice(5, 7));
  const out: string[] = [];
  for (let m = first; m <= 12; m++) out.push(`${year}-${String(m).padStart(2, '0')}-01`);
  return out;
}

/**
 * The budget revisions recognizing a saving writes: none for cost avoidance (it was never in the
 * budget), else the recognized monthly amount off every month from `from` to the budget year end.
 */
export function plannedRevisions(saving: Pick<Saving, 'type'>, recognizedMonthly: string, from: string): PlannedRevision[] {
  if (saving.type === 'avoidance') return [];
  const amount = new Money(recognizedMonthly).neg().toFixed();
  return budgetYearMonths(from).map((month) => ({ month, amount }));
}

/** `YYYY-MM` of an instant in a time zone (the month a person in that zone is in). */
export function monthAt(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(now);
  const year = parts.find((p) => p.type === 'year')!.value;
  const month = parts.find((p) => p.type === 'month')!.value;
  return `${year}-${month}`;
}
