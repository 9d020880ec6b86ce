import type { RawSession } from './database.js';

/** `cost_line_p20240901t0000`: one partition per distinct BillingPeriodStart instant (UTC). */
export function costLinePartitionName(periodStart: Date): string {
  const iso = periodStart.toISOString();
  return `cost_line_p${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}t${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** Creates the `cost_line` partition holding one BillingPeriodStart, unless it exists. */
export async function ensureCostLinePartition(s: RawSession, periodStart: Date): Promise<void> {
  // Values are interpolated because DDL takes no parameters; both come from a Date, never from input text.
  await s.exec(
    `CREATE TABLE IF NOT EXISTS ${costLinePartitionName(periodStart)} PARTITION OF cost_line FOR VALUES IN ('${periodStart.toISOString()}')`,
  );
}

/**
 * Creates the table that becomes a billing period's `cost_line` partition, not yet attached, and
 * returns its name; undefined when the partition exists already. Lines go into it with
 * `COPY ... FREEZE` (allowed because the table is new in the transaction) and without index upkeep:
 * `attachCostLinePartition` builds the indexes in one pass each afterwards. Its CHECK constraint
 * states the partition bound, so attaching needs no scan to prove it.
 */
export async function createUnattachedCostLinePartition(s: RawSession, periodStart: Date): Promise<string | undefined> {
  const name = costLinePartitionName(periodStart);
  const [found] = await s.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [name]);
  if (found!.found) return undefined;
  await s.exec(
    `CREATE TABLE ${name} (LIKE cost_line INCLUDING DEFAULTS,
       CONSTRAINT ${name}_bound CHECK (billing_period_start = '${periodStart.toISOString()}'))`,
  );
  return name;
}

/**
 * Attaches a table made by `createUnattachedCostLinePartition`: Postgres builds each of
 * cost_line's indexes on it, then the bound constraint, which the partition bound now enforces, goes.
 */
export async function attachCostLinePartition(s: RawSession, periodStart: Date): Promise<void> {
  const name = costLinePartitionName(periodStart);
  await s.exec(
    `ALTER TABLE cost_line ATTACH PARTITION ${name} FOR VALUES IN ('${periodStart.toISOString()}');
     ALTER TABLE ${name} DROP CONSTRAINT ${name}_bound`,
  );
}
