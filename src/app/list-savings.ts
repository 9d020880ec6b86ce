import type { Store } from '../store/database.js';
import { listSavings } from '../store/savings.js';
import type { BillingMonth } from '../domain/billing-month.js';
import type { Saving, SavingStatus } from '../domain/saving.js';
import { savingOverlaps } from '../domain/saving-overlap.js';
import { measureSaving } from './measure-saving.js';
import type { SavingMeasurement } from '../domain/saving-measurement.js';

/** One line of `savings list`: the record, what the data measured per month, and its overlaps. */
export interface SavingListItem {
  readonly saving: Saving;
  /** `YYYY-MM` → measured amount (exact, or rounded to 6 decimals where a run rate divides). */
  readonly measured: Readonly<Record<string, string>>;
  /** The whole measurement (every month since the effective date), whatever the period. */
  readonly measurement: SavingMeasurement;
  readonly overlaps: readonly string[];
}

/**
 * Savings (optionally of one status, or in effect during one month), each measured from the data.
 * With a period, only that month's measurement is given.
 */
export async function listSavingItems(store: Store, request: { status?: SavingStatus; period?: BillingMonth }): Promise<SavingListItem[]> {
  const all = await listSavings(store.db);
  const decided = all.filter((s) => s.status === 'validated' || s.status === 'recognized');
  const period = request.period;
  const chosen = all.filter(
    (s) =>
      (request.status === undefined || s.status === request.status) &&
      (period === undefined || (s.effectiveDate < period.end.slice(0, 10) && (s.endDate === null || s.endDate >= period.start.slice(0, 10)))),
  );
  const items: SavingListItem[] = [];
  for (const saving of chosen) {
    const measurement = await measureSaving(store, saving);
    const months = measurement.months.filter((m) => period === undefined || m.month === period.key);
    items.push({ saving, measured: Object.fromEntries(months.map((m) => [m.month, m.measured])), measurement, overlaps: savingOverlaps(saving, decided) });
  }
  return items;
}
