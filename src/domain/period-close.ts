import { billingMonth, type BillingMonth } from './billing-month.js';

/** A billing month finance has closed: its figures are frozen as they stood at `closedAt`. */
export interface PeriodClosure {
  /** The close's id (frozen figures and carried adjustments name it). */
  readonly id: number;
  /** `YYYY-MM`. */
  readonly period: string;
  /** ISO instant. */
  readonly closedAt: string;
  readonly closedBy: string;
}

/** The closed months by `YYYY-MM`: the current close of each (a reopened month is not in it). */
export type ClosedMonths = ReadonlyMap<string, PeriodClosure>;

/** `YYYY-MM` of the month `n` months after `key` (n may be negative). */
export function addMonths(key: string, n: number): string {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 7);
}

/** The billing month of a `YYYY-MM` key. */
export function monthOf(key: string): BillingMonth {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return billingMonth(y, m);
}

/** The first month from `key` on (itself included) that is not closed. */
export function firstOpenMonthFrom(key: string, closed: ClosedMonths): string {
  let k = key;
  while (closed.has(k)) k = addMonths(k, 1);
  return k;
}

/** How far a change reaches into the books: from which month, and which closed months it changes. */
export interface BooksReach {
  /** `YYYY-MM`: the first open month from the change's natural start on. */
  readonly from: string;
  /** Closed months whose lines the change touches, oldest first: their figures stay as closed. */
  readonly closedMonths: readonly string[];
  /** Per closed month, the open month whose chargeback carries its post-close adjustment. */
  readonly bookedIn: Readonly<Record<string, string>>;
}

/**
 * The reach of a change that naturally applies from `naturalStart` (a `YYYY-MM`) up to `until`
 * (exclusive `YYYY-MM`, null: open-ended): it takes effect in the books from the first open month,
 * and every closed month it touches keeps its closed figures, the difference being a post-close
 * adjustment booked in the first open month after it.
 */
export function booksReach(naturalStart: string, until: string | null, closed: ClosedMonths): BooksReach {
  const closedMonths = [...closed.keys()].filter((k) => k >= naturalStart && (until === null || k < until)).sort();
  return {
    from: firstOpenMonthFrom(naturalStart, closed),
    closedMonths,
    bookedIn: Object.fromEntries(closedMonths.map((k) => [k, firstOpenMonthFrom(k, closed)])),
  };
}

/**
 * Whether an open `period` is the first open month after the closed month `closedMonth`: every month
 * between them is closed too. Such a period's chargeback carries the closed month's post-close
 * adjustments.
 */
export function carriesAdjustmentsOf(period: string, closedMonth: string, closed: ClosedMonths): boolean {
  return !closed.has(period) && closedMonth < period && firstOpenMonthFrom(closedMonth, closed) === period;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `October 2026` for `2026-10`. */
export function monthName(key: string): string {
  return `${monthNames[Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`;
}

/** "October 2026 closed on 2026-11-05 by fin@example.com", the close in words. */
export function describeClosure(c: Pick<PeriodClosure, 'period' | 'closedAt' | 'closedBy'>): string {
  return `${monthName(c.period)} closed on ${c.closedAt.slice(0, 10)} by ${c.closedBy}`;
}

/**
 * What a change that touched closed months says: null when it touched none, else that their figures
 * stay as closed and where the difference is booked.
 */
export function closedMonthsNote(reach: BooksReach): string | null {
  if (reach.closedMonths.length === 0) return null;
  const byBooking = new Map<string, string[]>();
  for (const k of reach.closedMonths) byBooking.set(reach.bookedIn[k]!, [...(byBooking.get(reach.bookedIn[k]!) ?? []), k]);
  const one = reach.closedMonths.length === 1;
  const where = [...byBooking].map(([open, months]) => `${months.join(', ')} in ${open}'s chargeback`).join('; ');
  return `${reach.closedMonths.join(', ')} ${one ? 'is' : 'are'} closed: ${one ? 'its' : 'their'} figures stay as closed and the change is a post-close adjustment (${where})`;
}

/**
 * Why a saving may not be recognized from `from` (`YYYY-MM`), or null: recognition revises the
 * budget of `from` and (a reduction) every later month of its budget year, and a closed month's
 * figures do not move. The refusal names the first month recognition may start from.
 */
export function recognitionRefusal(from: string, reduction: boolean, closed: ClosedMonths): string | null {
  const touched = (start: string) => [...closed.keys()].filter((k) => k === start || (reduction && k > start && k.slice(0, 4) === start.slice(0, 4))).sort();
  const hit = touched(from);
  if (hit.length === 0) return null;
  let open = addMonths(from, 1);
  while (touched(open).length > 0) open = addMonths(open, 1);
  return `${hit.join(', ')} ${hit.length === 1 ? 'is' : 'are'} closed: recognizing from ${from} would revise ${hit.length === 1 ? 'its' : 'their'} budget; recognize from ${open}, the first open month`;
}
