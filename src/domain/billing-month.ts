import { CostbridgeError } from './costbridge-error.js';

/** A calendar month as FOCUS billing periods use it, in UTC: `2024-09` is [2024-09-01, 2024-10-01). */
export interface BillingMonth {
  /** `YYYY-MM` */
  readonly key: string;
  /** Inclusive start, ISO 8601 UTC. */
  readonly start: string;
  /** Exclusive end, ISO 8601 UTC. */
  readonly end: string;
}

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Parses `YYYY-MM`; `what` names the flag or column in the error. */
export function parseBillingMonth(text: string, what = '--period'): BillingMonth {
  const m = monthPattern.exec(text.trim());
  if (!m) throw new CostbridgeError('INPUT_INVALID', `${what} must be a month like 2024-09, got ${JSON.stringify(text)}`);
  return billingMonth(Number(m[1]), Number(m[2]));
}

/** The billing month of a year and 1-based month number. */
export function billingMonth(year: number, month: number): BillingMonth {
  const start = new Date(Date.UTC(year, month - 1, 1));
  const end = new Date(Date.UTC(year, month, 1));
  return {
    key: start.toISOString().slice(0, 7),
    start: start.toISOString(),
    end: end.toISOString(),
  };
}
