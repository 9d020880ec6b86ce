import { parseBillingMonth } from '../../domain/billing-month.js';
import { costDataStatus } from '../../store/cost-data-status.js';
import type { Store } from '../../store/database.js';

/** A `YYYY-MM` argument checked, or the latest billing month with cost data (undefined when there is none). */
export async function chatPeriod(store: Store, arg: string | undefined): Promise<string | undefined> {
  if (arg !== undefined) return parseBillingMonth(arg).key;
  return (await costDataStatus(store.db)).latestMonth ?? undefined;
}

/** Whether a command word looks like a billing month. */
export function looksLikePeriod(word: string): boolean {
  return /^\d{4}-\d{1,2}$/.test(word);
}
