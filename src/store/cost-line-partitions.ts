import type { RawSession } from './database.js';

/** `cost_line_p20240901t0000`: one partition per distinct BillingPeriodStart instant (UTC). */
function partitionName(periodStart: Date): string {
  const iso = periodStart.toISOString();
  return `cost_line_p${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}t${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** Creates the `cost_line` partition holding one BillingPeriodStart, unless it exists. */
export async function ensureCostLinePartition(s: RawSession, periodStart: Date): Promise<void> {
  // Values are interpolated because DDL takes no parameters; both come from a Date, never from input text.
  await s.exec(
    `CREATE TABLE IF NOT EXISTS ${partitionName(periodStart)} PARTITION OF cost_line FOR VALUES IN ('${periodStart.toISOString()}')`,
  );
}
