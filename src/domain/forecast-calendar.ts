import { CostbridgeError } from './costbridge-error.js';

// Calendar days as `YYYY-MM-DD` strings in UTC (the calendar FOCUS billing periods use).

const dayMs = 86_400_000;
const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` (a real calendar date); `what` names the flag in the error. */
export function parseIsoDay(text: string, what = '--as-of'): string {
  const t = text.trim();
  const m = dayPattern.exec(t);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== t) {
    throw new CostbridgeError('INPUT_INVALID', `${what} must be a date like 2026-11-15, got ${JSON.stringify(text)}`);
  }
  return t;
}

/** Epoch milliseconds of a day's UTC midnight. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The day `n` days after `day` (negative: before). */
export function addDays(day: string, n: number): string {
  return new Date(dayStartMs(day) + n * dayMs).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dayStartMs(b) - dayStartMs(a)) / dayMs);
}

/** The `YYYY-MM-DD` day of an ISO timestamp. */
export function dayOf(isoTimestamp: string): string {
  return new Date(isoTimestamp).toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(day: string): number {
  return new Date(dayStartMs(day)).getUTCDay();
}
