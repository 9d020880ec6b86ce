// Calendar arithmetic for the demo window, in UTC days and calendar months.

const DAY_MS = 86_400_000;

/** One calendar day, counted in days since 1970-01-01 (UTC). */
export type EpochDay = number;

/** A `YYYY-MM-DD` date as an epoch day; undefined when it is not a real date. */
export function parseIsoDate(text: string): EpochDay | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Days in a calendar month (month 1-12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The epoch day of the first of a month (month 1-12; months beyond 12 roll over). */
export function monthStartDay(year: number, month: number): EpochDay {
  return Date.UTC(year, month - 1, 1) / DAY_MS;
}

/** `YYYY-MM-DD` of an epoch day. */
export function isoDate(day: EpochDay): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DDT00:00:00Z` of an epoch day: the timestamp form every FOCUS file here uses. */
export function isoTimestamp(day: EpochDay): string {
  return `${isoDate(day)}T00:00:00Z`;
}

/** Year, month (1-12) and day of month of an epoch day. */
export function dateParts(day: EpochDay): { year: number; month: number; day: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `YYYY-MM` of a year and month (month 1-12, rolling over past 12). */
export function monthKey(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** One billing month of the demo window. */
export interface DemoMonth {
  /** Position in the window, 0 = oldest. */
  readonly index: number;
  /** `YYYY-MM`. */
  readonly key: string;
  readonly year: number;
  readonly month: number;
  readonly firstDay: EpochDay;
  /** First day of the next month (the exclusive end). */
  readonly endDay: EpochDay;
  readonly daysInMonth: number;
  /** Days that carry daily usage: all of them, or the days before as-of in a month to date. */
  readonly chargeDays: number;
  readonly complete: boolean;
  /** BillingPeriodStart / BillingPeriodEnd as ISO timestamps (end exclusive). */
  readonly periodStart: string;
  readonly periodEnd: string;
}

/** One day with daily charges, across the whole window. */
export interface DemoDay {
  /** Position among all charge days of the window, 0 = oldest. */
  readonly index: number;
  readonly monthIndex: number;
  readonly day: EpochDay;
  /** Day of month, 1-31. */
  readonly dayOfMonth: number;
  readonly start: string;
  readonly end: string;
}

/**
 * The `count` billing months ending with as-of's month, the last one month to date (charges for
 * the days before as-of). When as-of is the 1st, that month has no charge days yet, so the window
 * is instead the `count` complete months ending with the previous month.
 */
export function demoMonths(asOf: EpochDay, count: number): DemoMonth[] {
  const { year, month, day } = dateParts(asOf);
  const lastMonth = day === 1 ? month - 1 : month;
  const out: DemoMonth[] = [];
  for (let i = 0; i < count; i++) {
    const m = lastMonth - (count - 1 - i);
    const firstDay = monthStartDay(year, m);
    const endDay = monthStartDay(year, m + 1);
    const parts = dateParts(firstDay);
    const days = endDay - firstDay;
    const isLast = i === count - 1;
    const chargeDays = isLast && day !== 1 ? day - 1 : days;
    out.push({
      index: i,
      key: monthKey(parts.year, parts.month),
      year: parts.year,
      month: parts.month,
      firstDay,
      endDay,
      daysInMonth: days,
      chargeDays,
      complete: chargeDays === days,
      periodStart: isoTimestamp(firstDay),
      periodEnd: isoTimestamp(endDay),
    });
  }
  return out;
}

/** Every charge day of the window, in order. */
export function demoDays(months: readonly DemoMonth[]): DemoDay[] {
  const out: DemoDay[] = [];
  for (const m of months) {
    for (let d = 0; d < m.chargeDays; d++) {
      const day = m.firstDay + d;
      out.push({ index: out.length, monthIndex: m.index, day, dayOfMonth: d + 1, start: isoTimestamp(day), end: isoTimestamp(day + 1) });
    }
  }
  return out;
}

/** `YYYY-MM` of the month after a `YYYY-MM`. */
export function nextMonthKey(key: string): string {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return monthKey(y, m + 1);
}
