// Per import file, slice and provider: what the digest's freshness needs of the stored lines
// (migration 20261205T0402). Kept in step with cost_line by the FOCUS import's transaction: added
// for a delivery's lines, dropped with a restated slice's lines.

import type { SqlRunner } from './sql-runner.js';

const summary = `SELECT c.batch_id, c.billing_account_id, c.billing_period_start, c.provider_name,
       bool_or(c.charge_frequency = 'Usage-Based'),
       max(c.charge_period_start) FILTER (WHERE c.charge_category = 'Usage'),
       max(c.charge_period_start)
  FROM cost_line c`;
const grouped = 'GROUP BY c.batch_id, c.billing_account_id, c.billing_period_start, c.provider_name';

/** Records the freshness of the lines the given import files loaded into the given billing periods. */
export async function addProviderFreshness(runner: SqlRunner, batchIds: readonly number[], periodStarts: readonly string[]): Promise<void> {
  if (batchIds.length === 0) return;
  await runner.run(
    `INSERT INTO import_provider_freshness ${summary}
      WHERE c.billing_period_start = ANY($2::timestamptz[]) AND c.batch_id = ANY($1::bigint[]) ${grouped}`,
    [batchIds, [...new Set(periodStarts)]],
  );
}

/** Drops a (billing period, billing account) slice's freshness: a restatement replaces all its lines. */
export async function dropProviderFreshnessSlice(runner: SqlRunner, periodStart: string, billingAccountId: string): Promise<void> {
  await runner.run('DELETE FROM import_provider_freshness WHERE billing_period_start = $1 AND billing_account_id = $2', [periodStart, billingAccountId]);
}

/** Rebuilds it from the lines, for loaders that write cost_line directly (the benchmarks' SQL generators). */
export async function rebuildProviderFreshness(runner: SqlRunner): Promise<void> {
  await runner.run('DELETE FROM import_provider_freshness');
  await runner.run(`INSERT INTO import_provider_freshness ${summary} ${grouped}`);
}
