import type { BillingMonth } from '../domain/billing-month.js';
import { describeClosure, firstOpenMonthFrom } from '../domain/period-close.js';
import type { Store } from '../store/database.js';
import { closedMonths, type StoredClosure } from '../store/period-closes.js';

/** How a report says its month is closed. */
export interface ClosedStatus {
  readonly period: string;
  readonly closureId: number;
  readonly closedAt: string;
  readonly closedBy: string;
  /** "October 2026 closed on 2026-11-05 by …: figures as closed". */
  readonly statement: string;
  /** The open month whose chargeback books this month's post-close adjustments. */
  readonly adjustmentsBookedIn: string;
}

/** The closed status of one month, from the closed months. */
export function closedStatusOf(closed: ReadonlyMap<string, StoredClosure>, key: string): ClosedStatus | null {
  const c = closed.get(key);
  if (!c) return null;
  return {
    period: key,
    closureId: c.id,
    closedAt: c.closedAt,
    closedBy: c.closedBy,
    statement: `${describeClosure(c)}: figures as closed`,
    adjustmentsBookedIn: firstOpenMonthFrom(key, closed),
  };
}

/** The closed months, and whether `period` is one of them. */
export async function periodStatus(store: Store, period: BillingMonth): Promise<{ closed: Map<string, StoredClosure>; status: ClosedStatus | null }> {
  const closed = await closedMonths(store.db);
  return { closed, status: closedStatusOf(closed, period.key) };
}
