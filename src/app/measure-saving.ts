import type { Store } from '../store/database.js';
import { dataExtent, sumRateSaving, sumUsageCost, sumUsageCostByMonth } from '../store/saving-measures.js';
import { addDays, type Saving } from '../domain/saving.js';
import {
  completeDaysEnd,
  coveredDaysEnd,
  defaultBaseline,
  measureRateSaving,
  measureUsageSaving,
  measurementWindows,
  type SavingMeasurement,
} from '../domain/saving-measurement.js';

/**
 * What the FOCUS data says a saving realized, month by month since its effective date: rate levers
 * from the price gap on covered lines net of unused commitment, usage levers from the drop in daily
 * run rate against the baseline window.
 */
export async function measureSaving(store: Store, saving: Saving): Promise<SavingMeasurement> {
  const extent = await dataExtent(store.db, saving);
  if (saving.leverKind === 'rate') {
    // Rate savings need no day count, so a partial last day (hourly data) still counts.
    const dataEnd = extent ? coveredDaysEnd(extent.last) : null;
    const windows = measurementWindows(saving.effectiveDate, saving.endDate, dataEnd);
    const sums = windows.length > 0 ? await sumRateSaving(store.db, saving, windows[0]!.from, windows.at(-1)!.to) : [];
    return measureRateSaving(saving, windows, sums, dataEnd);
  }
  const dataEnd = extent ? completeDaysEnd(extent.last) : null;
  const windows = measurementWindows(saving.effectiveDate, saving.endDate, dataEnd);
  const fallback = defaultBaseline(saving.effectiveDate);
  const from = saving.baselineStart ?? fallback.from;
  const to = saving.baselineEnd ?? fallback.to;
  const baseline = await sumUsageCost(store.db, saving, from, addDays(to, 1));
  const sums = windows.length > 0 ? await sumUsageCostByMonth(store.db, saving, windows[0]!.from, windows.at(-1)!.to) : [];
  return measureUsageSaving(saving, windows, { from, to, ...baseline }, sums, dataEnd, extent ? extent.first.slice(0, 10) : null);
}
