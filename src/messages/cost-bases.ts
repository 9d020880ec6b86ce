import { formatMoney } from '../domain/money.js';
import { field } from './message-blocks.js';
import type { Field } from './message-model.js';

/** How the amortized basis is labelled wherever both bases are shown. */
export const effectiveLabel = 'Effective (amortized)';
/** How the invoiced basis is labelled wherever both bases are shown. */
export const billedLabel = 'Billed (invoiced)';

/** The label of one cost basis. */
export function basisLabel(basis: 'effective' | 'billed'): string {
  return basis === 'effective' ? effectiveLabel : billedLabel;
}

/** Both bases as two labelled fields. */
export function costBasisFields(effectiveCost: string, billedCost: string, currency: string): Field[] {
  return [field(effectiveLabel, formatMoney(effectiveCost, currency)), field(billedLabel, formatMoney(billedCost, currency))];
}

/** An ISO instant as `2026-11-03 14:05 UTC` in `timeZone` (IANA; default UTC). */
export function formatInstant(iso: string, timeZone = 'UTC'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an ISO instant: ${JSON.stringify(iso)}`);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timeZone === 'UTC' ? 'UTC' : timeZone}`;
}
