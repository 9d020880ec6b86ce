import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import { oneOffCategories, type DailyCost } from '../domain/forecast-run-rate.js';
import type { FrozenMonth } from './cost-facts.js';
import { rolledUpFacts } from './cost-rollup.js';

/** Daily cost of one cost center (null: none) and currency. */
export interface ScopedDailyCost extends DailyCost {
  readonly scope: string | null;
  readonly currency: string;
}

/**
 * Cost per cost center, currency and charge day (ChargePeriodStart, UTC) for the lines of a billing
 * period, plus the lines of any billing period charged in [windowFrom, windowTo) (for the trailing
 * run-rate window), split into one-offs (Purchase, Credit) and the rest.
 */
export async function loadDailyCosts(
  db: Kysely<Database>,
  request: {
    period: { start: string; end: string };
    windowFrom: string;
    windowTo: string;
    basis: CostBasis;
    scopeValue?: string | null | undefined;
    /** Closed months, read as closed (default: none, every month live). */
    frozen?: readonly FrozenMonth[];
  },
): Promise<ScopedDailyCost[]> {
  const cost = sql.ref(request.basis === 'billed' ? 'billed_cost' : 'effective_cost');
  const { period } = request;
  // A window line's billing period starts at most a month before the window (bounds the partitions read).
  const earliestPeriod = new Date(Date.parse(`${request.windowFrom}T00:00:00Z`));
  earliestPeriod.setUTCDate(1);
  earliestPeriod.setUTCMonth(earliestPeriod.getUTCMonth() - 1);
  const scopeFilter =
    request.scopeValue === undefined ? sql`` : request.scopeValue === null ? sql`AND cost_center IS NULL` : sql`AND cost_center = ${request.scopeValue}`;
  const windowEnd = `${request.windowTo}T00:00:00.000Z` > period.end ? `${request.windowTo}T00:00:00.000Z` : period.end;
  // The daily rollup: the charge day is all a run-rate needs of a line.
  const facts = rolledUpFacts({ start: earliestPeriod.toISOString(), end: windowEnd }, request.frozen ?? []);
  const result = await sql<{ scope: string | null; currency: string; day: string; in_period: boolean; one_off: boolean; cost: string }>`
    SELECT cost_center AS scope, billing_currency AS currency,
           to_char(charge_period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           billing_period_start >= ${period.start}::timestamptz AND billing_period_start < ${period.end}::timestamptz AS in_period,
           charge_category IN (${sql.join(oneOffCategories.map((c) => sql.lit(c)))}) AS one_off,
           sum(${cost})::text AS cost
      FROM (${facts}) f
     WHERE ((billing_period_start >= ${period.start}::timestamptz AND billing_period_start < ${period.end}::timestamptz)
            OR (charge_period_start >= ${request.windowFrom}::timestamptz AND charge_period_start < ${request.windowTo}::timestamptz))
       ${scopeFilter}
     GROUP BY 1, 2, 3, 4, 5`.execute(db);
  return result.rows.map((r) => ({ scope: r.scope, currency: r.currency, day: r.day, inPeriod: r.in_period, oneOff: r.one_off, cost: r.cost }));
}
