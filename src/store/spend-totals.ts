import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './tables.js';
import type { CostBasis, SpendDimension } from '../domain/spend-dimensions.js';

/** One group of a spend report: the dimension values (null when absent), currency and exact cost. */
export interface SpendGroup {
  readonly values: readonly (string | null)[];
  readonly currency: string;
  readonly cost: string;
}

/**
 * Sums cost on one basis over cost facts (see cost-facts.ts: a month's live lines, or its frozen
 * figures), grouped by the given dimensions and billing currency.
 */
export async function sumSpend(
  db: Kysely<Database>,
  facts: RawBuilder<unknown>,
  basis: CostBasis,
  dimensions: readonly SpendDimension[],
): Promise<SpendGroup[]> {
  const costColumn = basis === 'billed' ? 'billed_cost' : 'effective_cost';
  const dims = dimensions.map((d, i) => sql`${sql.ref(d.column)} AS ${sql.ref(`d${i}`)}`);
  const groupBy = dimensions.map((d) => sql.ref(d.column));
  const result = await sql<Record<string, string | null>>`
    SELECT ${sql.join([...dims, sql`billing_currency AS currency`, sql`sum(${sql.ref(costColumn)})::text AS cost`])}
      FROM (${facts}) f
     GROUP BY ${sql.join([...groupBy, sql.ref('billing_currency')])}`.execute(db);
  return result.rows.map((r) => ({
    values: dimensions.map((_, i) => r[`d${i}`] ?? null),
    currency: r.currency!,
    cost: r.cost!,
  }));
}
