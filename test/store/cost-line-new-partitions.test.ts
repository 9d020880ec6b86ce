// A FOCUS delivery creates the cost_line partition of each billing period it is first to bring,
// with cost_line's indexes, and restates a slice of an existing partition while other accounts'
// lines there stay; all or nothing. The rollup and the per-file provider freshness it writes as it
// loads must equal those rebuilt from the stored lines.
import { describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { storeKinds } from '../support/test-stores.js';
import { useTestWorkspace } from '../support/test-workspace.js';
import { focusCsv, focusPeriodCells, focusRows } from '../support/focus-csv.js';
import { importFocus, importFocusFile } from '../../src/app/import-focus.js';
import { rebuildRollup } from '../../src/store/cost-rollup.js';
import { rebuildProviderFreshness } from '../../src/store/import-provider-freshness.js';
import { kyselyRunner } from '../../src/store/sql-runner.js';
import type { Store } from '../../src/store/database.js';
import type { Database } from '../../src/store/tables.js';

const who = { actor: 'test', surface: 'cli' } as const;

/** Lines per (billing period month, account). */
async function linesBySlice(store: Store): Promise<Record<string, number>> {
  const r = await sql<{ k: string; n: number }>`
    SELECT to_char(billing_period_start AT TIME ZONE 'UTC', 'YYYY-MM') || ' ' || billing_account_id AS k, count(*)::int AS n
      FROM cost_line GROUP BY 1 ORDER BY 1`.execute(store.db);
  return Object.fromEntries(r.rows.map((x) => [x.k, x.n]));
}

/** Each cost_line partition with its indexes attached to cost_line's, and its own CHECK constraints (none). */
async function partitions(store: Store): Promise<{ name: string; attachedIndexes: number; checks: number }[]> {
  const r = await sql<{ name: string; attached_indexes: number; checks: number }>`
    SELECT p.inhrelid::regclass::text AS name,
           (SELECT count(*)::int FROM pg_index i JOIN pg_inherits ii ON ii.inhrelid = i.indexrelid
             WHERE i.indrelid = p.inhrelid) AS attached_indexes,
           (SELECT count(*)::int FROM pg_constraint c WHERE c.conrelid = p.inhrelid AND c.contype = 'c') AS checks
      FROM pg_inherits p WHERE p.inhparent = 'cost_line'::regclass ORDER BY 1`.execute(store.db);
  return r.rows.map((x) => ({ name: x.name, attachedIndexes: x.attached_indexes, checks: x.checks }));
}

async function parentIndexes(store: Store): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'cost_line'::regclass`.execute(store.db);
  return r.rows[0]!.n;
}

/** The rollup as stored, and as rebuilt from the lines (rolled back). */
async function rollupAgainstRebuild(store: Store): Promise<{ stored: unknown[]; rebuilt: unknown[] }> {
  const read = async () =>
    (await sql`SELECT * FROM cost_rollup ORDER BY billing_period_start, billing_account_id, grain_key`.execute(store.db)).rows;
  const stored = await read();
  let rebuilt: unknown[] = [];
  await store.db
    .transaction()
    .execute(async (tx) => {
      await rebuildRollup(kyselyRunner(tx));
      rebuilt = (await sql`SELECT * FROM cost_rollup ORDER BY billing_period_start, billing_account_id, grain_key`.execute(tx)).rows;
      throw new Error('roll back');
    })
    .catch((e: Error) => {
      if (e.message !== 'roll back') throw e;
    });
  return { stored, rebuilt };
}

const line = (month: string, account: string, i: number) => ({
  ...focusPeriodCells(month, String(1 + (i % 28)).padStart(2, '0'), i % 2 ? '13' : '00'),
  BillingAccountId: account,
  SubAccountId: `sub-${i % 3}`,
  BilledCost: `${i}.${String(i % 100).padStart(2, '0')}`,
  ResourceId: `res-${i % 7}`,
});

describe.each(storeKinds)('cost_line partitions a delivery creates, on %s', (kind) => {
  const ws = useTestWorkspace(kind);

  it('creates new periods\' partitions with all of cost_line\'s indexes, over two files of one delivery, and keeps the rollup exact', async () => {
    // Runs of August and September lines, the second file adding to both periods.
    const first = focusRows(300, (i) => line(i % 100 < 50 ? '2024-08' : '2024-09', 'A1', i));
    const second = focusRows(40, (i) => line(i < 20 ? '2024-09' : '2024-08', 'A2', i));
    const result = await importFocus(ws.store, {
      ...who,
      paths: [await ws.file('first.csv', focusCsv(first)), await ws.file('second.csv', focusCsv(second))],
    });
    expect(result.deliveries.map((d) => d.status)).toEqual(['imported']);
    expect(await linesBySlice(ws.store)).toEqual({ '2024-08 A1': 150, '2024-08 A2': 20, '2024-09 A1': 150, '2024-09 A2': 20 });
    const indexes = await parentIndexes(ws.store);
    expect(indexes).toBeGreaterThanOrEqual(4);
    expect(await partitions(ws.store)).toEqual([
      { name: 'cost_line_p20240801t0000', attachedIndexes: indexes, checks: 0 },
      { name: 'cost_line_p20240901t0000', attachedIndexes: indexes, checks: 0 },
    ]);
    // The indexes hold the lines: a lookup through one finds them.
    const byResource = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cost_line WHERE resource_id LIKE 'res-3%'`.execute(ws.store.db);
    expect(byResource.rows[0]!.n).toBe(first.filter((r) => r.ResourceId === 'res-3').length + second.filter((r) => r.ResourceId === 'res-3').length);
    const rollup = await rollupAgainstRebuild(ws.store);
    expect(rollup.stored.length).toBeGreaterThan(0);
    expect(rollup.stored).toEqual(rollup.rebuilt);
  });

  it('restates a slice of an existing partition, keeping the other account, while a new period gets its partition', async () => {
    const restated = focusRows(30, (i) => line(i < 10 ? '2024-09' : '2024-10', 'A1', i + 1000));
    const result = await importFocusFile(ws.store, { ...who, path: await ws.file('restated.csv', focusCsv(restated)) });
    expect(result.slices.map((s) => [s.billingPeriodStart.slice(0, 7), s.before.rows, s.after.rows])).toEqual([
      ['2024-09', 150, 10],
      ['2024-10', 0, 20],
    ]);
    expect(await linesBySlice(ws.store)).toEqual({
      '2024-08 A1': 150, '2024-08 A2': 20, '2024-09 A1': 10, '2024-09 A2': 20, '2024-10 A1': 20,
    });
    const indexes = await parentIndexes(ws.store);
    expect((await partitions(ws.store)).map((p) => [p.name, p.attachedIndexes, p.checks])).toEqual([
      ['cost_line_p20240801t0000', indexes, 0],
      ['cost_line_p20240901t0000', indexes, 0],
      ['cost_line_p20241001t0000', indexes, 0],
    ]);
    const rollup = await rollupAgainstRebuild(ws.store);
    expect(rollup.stored).toEqual(rollup.rebuilt);
  });

  it('leaves no partition and no line behind when a file fails after lines of new periods were loaded', async () => {
    // Long enough that COPY is streaming when the bad row comes, with the periods in runs and alternating.
    const padded = (month: string, i: number) => ({ ...line(month, 'A9', i), ChargeDescription: `usage row ${i} `.padEnd(120, '.') });
    const inRuns = focusRows(6000, (i) => padded(i < 3000 ? '2024-11' : '2024-12', i));
    const alternating = focusRows(6000, (i) => padded(i % 2 ? '2024-11' : '2024-12', i));
    const before = await linesBySlice(ws.store);
    for (const [name, rows] of [['runs.csv', inRuns], ['alternating.csv', alternating]] as const) {
      rows[5999]!.BilledCost = 'oops';
      const path = await ws.file(name, focusCsv(rows));
      await expect(importFocusFile(ws.store, { ...who, path })).rejects.toThrow(/nothing imported, 1 error/);
      expect(await linesBySlice(ws.store)).toEqual(before);
      const tables = await sql<{ t: string | null; u: string | null }>`
        SELECT to_regclass('cost_line_p20241101t0000')::text AS t, to_regclass('cost_line_p20241201t0000')::text AS u`.execute(ws.store.db);
      expect(tables.rows[0]).toEqual({ t: null, u: null });
    }
  });

  it('stores lines whose new periods alternate at every line', async () => {
    const rows = focusRows(400, (i) => line(i % 2 ? '2025-01' : '2025-02', 'B1', i));
    const result = await importFocusFile(ws.store, { ...who, path: await ws.file('alternating.csv', focusCsv(rows)) });
    expect(result.rows).toBe(400);
    const stored = await linesBySlice(ws.store);
    expect([stored['2025-01 B1'], stored['2025-02 B1']]).toEqual([200, 200]);
    const indexes = await parentIndexes(ws.store);
    const made = (await partitions(ws.store)).filter((p) => p.name >= 'cost_line_p20250101');
    expect(made).toEqual([
      { name: 'cost_line_p20250101t0000', attachedIndexes: indexes, checks: 0 },
      { name: 'cost_line_p20250201t0000', attachedIndexes: indexes, checks: 0 },
    ]);
    const rollup = await rollupAgainstRebuild(ws.store);
    expect(rollup.stored).toEqual(rollup.rebuilt);
  });

  it('records each file\'s freshness as the lines say, with charge starts below the millisecond and in other zones', async () => {
    const starts = [
      ['2025-03-05T10:00:00.1234564Z', 'Usage', 'Usage-Based'],
      ['2025-03-05T10:00:00.1234566Z', 'Purchase', ''],
      ['2025-03-05T12:00:00.123+02:00', 'Usage', ''],
      ['2025-03-05T10:00:00.1239Z', 'Usage', 'Recurring'],
      ['2025-03-04T23:59:59.9999999Z', 'Tax', ''],
    ] as const;
    const rows = focusRows(starts.length * 2, (i) => ({
      ...focusPeriodCells('2025-03', '01', '00'),
      BillingAccountId: 'F1',
      ProviderName: i % 2 ? 'Nimbus' : '',
      ChargePeriodStart: starts[i >> 1]![0],
      ChargePeriodEnd: '2025-03-06T00:00:00Z',
      ChargeCategory: starts[i >> 1]![1],
      ChargeFrequency: starts[i >> 1]![2],
    }));
    await importFocusFile(ws.store, { ...who, path: await ws.file('freshness.csv', focusCsv(rows)) });
    const read = (db: Kysely<Database>) =>
      sql<Record<string, unknown>>`SELECT batch_id, billing_account_id, billing_period_start, provider_name, usage_based,
                                          last_usage::text AS last_usage, last_charge::text AS last_charge
                                     FROM import_provider_freshness ORDER BY 1, 2, 3, 4`.execute(db);
    const stored = (await read(ws.store.db)).rows;
    expect(stored.filter((r) => r.billing_account_id === 'F1').length).toBe(2);
    let rebuilt: unknown[] = [];
    await ws.store.db
      .transaction()
      .execute(async (tx) => {
        await rebuildProviderFreshness(kyselyRunner(tx));
        rebuilt = (await read(tx)).rows;
        throw new Error('roll back');
      })
      .catch((e: Error) => {
        if (e.message !== 'roll back') throw e;
      });
    expect(stored).toEqual(rebuilt);
  });
});
