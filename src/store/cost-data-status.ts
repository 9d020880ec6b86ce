import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';

/** What cost data is stored: whether any, the latest billing month, and whether that month is demo data. */
export interface CostDataStatus {
  readonly hasLines: boolean;
  /** `YYYY-MM`, or null when nothing is stored. */
  readonly latestMonth: string | null;
  /** The demo generator marks every row with the custom column x_Demo = "synthetic". */
  readonly latestMonthIsDemo: boolean;
}

/** Reads the {@link CostDataStatus}. */
export async function costDataStatus(db: Kysely<Database>): Promise<CostDataStatus> {
  const latest = (
    await sql<{ latest: Date | null }>`SELECT max(billing_period_start) AS latest FROM cost_line`.execute(db)
  ).rows[0]?.latest;
  if (!latest) return { hasLines: false, latestMonth: null, latestMonthIsDemo: false };
  const demo = await sql<{ demo: boolean }>`
    SELECT EXISTS (SELECT 1 FROM cost_line WHERE billing_period_start = ${latest} AND extra->>'x_Demo' = 'synthetic') AS demo`.execute(db);
  return { hasLines: true, latestMonth: latest.toISOString().slice(0, 7), latestMonthIsDemo: demo.rows[0]?.demo === true };
}
