import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';
import type { CostBasis, SpendDimension } from '../domain/spend-dimensions.js';

/** One group of a spend report: the dimension values (null when absent), currency and exact cost. */
export interface SpendGroup {
  readonly values: readonly (string | null)[];
  readonly currency: string;
  readonly cost: string;
}

/**
 * Sums cost on one basis over lines whose BillingPeriodStart falls in [start, end), grouped by the
 * given dimensions and billing currency. Only the partitions of that period are read.
 */
export async function sumSpend(
  db: Kysely<Database>,
  range: { start: string; end: string },
  basis: CostBasis,
  dimensions: readonly SpendDimension[],
): Promise<SpendGroup[]> {
  const costColumn = basis === 'billed' ? 'billed_cost' : 'effective_cost';
  const dims = dimensions.map((d, i) => sql`${sql.ref(d.column)} AS ${sql.ref(`d${i}`)}`);
  const groupBy = dimensions.map((d) => sql.ref(d.column));
  const result = await sql<Record<string, string | null>>`
    SELECT ${sql.join([...dims, sql`billing_currency AS currency`, sql`sum(${sql.ref(costColumn)})::text AS cost`])}
      FROM cost_line
     WHERE billing_period_start >= ${range.start}::timestamptz AND billing_period_start < ${range.end}::timestamptz
     GROUP BY ${sql.join([...groupBy, sql.ref('billing_currency')])}`.execute(db);
  return result.rows.map((r) => ({
    values: dimensions.map((_, i) => r[`d${i}`] ?? null),
    currency: r.currency!,
    cost: r.cost!,
  }));
}
