import { CostbridgeError } from './costbridge-error.js';
import { parseBillingMonth, type BillingMonth } from './billing-month.js';
import { addDays, dayOf, weekday } from './forecast-calendar.js';

/** Monday to Friday (no holiday calendar). */
export function isBusinessDay(day: string): boolean {
  const d = weekday(day);
  return d !== 0 && d !== 6;
}

/**
 * The day the pre-close handoff is due for a period: `businessDays` business days (Mon-Fri) before
 * the period's last business day, so that many business days remain after it for ITFM to act
 * before close. 0 is the last business day itself. `period` is `YYYY-MM` or a parsed month.
 */
export function handoffDate(period: string | BillingMonth, businessDays: number): string {
  if (!Number.isInteger(businessDays) || businessDays < 0) {
    throw new CostbridgeError('INPUT_INVALID', `business days must be a whole number >= 0, got ${businessDays}`);
  }
  const month = typeof period === 'string' ? parseBillingMonth(period) : period;
  let day = addDays(dayOf(month.end), -1);
  while (!isBusinessDay(day)) day = addDays(day, -1);
  for (let left = businessDays; left > 0; ) {
    day = addDays(day, -1);
    if (isBusinessDay(day)) left--;
  }
  // More business days than the month has put the handoff before the month starts, which is still the right answer.
  return day;
}
