// Property: however FOCUS rows are cut into files and those files into deliveries, the stored totals
// equal the unsplit import. A replace delivery of all the files (given one by one or as a folder)
// stores what the unsplit file stores, and the unsplit file imported afterwards (a restatement)
// changes nothing; append deliveries of the files one at a time add up to the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { importFocus } from '../../src/app/import-focus.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/test-stores.js';
import { focusCsv, focusRows } from '../support/focus-csv.js';

const amount = fc
  .tuple(fc.integer({ min: -2_000_000, max: 50_000_000 }), fc.integer({ min: 0, max: 9 }))
  .map(([n, scale]) => new Decimal(n).div(new Decimal(10).pow(scale)).toFixed(scale));

const row = fc.record({
  account: fc.constantFrom('A', 'B', 'C'),
  period: fc.constantFrom('2024-07', '2024-08', '2024-09'),
  category: fc.constantFrom('Usage', 'Purchase', 'Credit', 'Tax'),
  billed: amount,
  effective: amount,
  day: fc.integer({ min: 1, max: 28 }),
});
type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;

const scenario = fc
  .record({
    rows: fc.array(row, { minLength: 1, maxLength: 60 }),
    files: fc.integer({ min: 1, max: 7 }),
    seed: fc.array(fc.nat({ max: 1000 }), { minLength: 60, maxLength: 60 }),
    asFolder: fc.boolean(),
  })
  .map((s) => ({ ...s, fileOf: s.rows.map((_, i) => s.seed[i]! % s.files) }));

function csvOf(prefix: string, rows: readonly (Row & { index: number })[]): string {
  return focusCsv(
    rows.map((r) => {
      const [y, m] = r.period.split('-').map(Number) as [number, number];
      const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
      const day = String(r.day).padStart(2, '0');
      return {
        ...focusRows(1)[0]!,
        BillingAccountId: `${prefix}${r.account}`,
        BillingPeriodStart: `${r.period}-01T00:00:00Z`,
        BillingPeriodEnd: `${next}T00:00:00Z`,
        ChargePeriodStart: `${r.period}-${day}T00:00:00Z`,
        ChargePeriodEnd: `${r.period}-${day}T01:00:00Z`,
        ChargeCategory: r.category,
        ChargeDescription: `row ${r.index}`,
        BilledCost: r.billed,
        EffectiveCost: r.effective,
      };
    }),
    { columns: Object.keys(focusRows(1)[0]!) },
  );
}

/** Expected totals per slice, summed exactly. */
function expectedTotals(prefix: string, rows: readonly Row[]): string[] {
  const sums = new Map<string, { n: number; billed: Decimal; effective: Decimal }>();
  for (const r of rows) {
    const key = `${prefix}${r.account} ${r.period}`;
    const s = sums.get(key) ?? { n: 0, billed: new Decimal(0), effective: new Decimal(0) };
    sums.set(key, { n: s.n + 1, billed: s.billed.plus(r.billed), effective: s.effective.plus(r.effective) });
  }
  return [...sums.entries()].map(([k, s]) => `${k} ${s.n} ${s.billed.toString()} ${s.effective.toString()}`).sort();
}

async function storedTotals(store: Store, prefix: string): Promise<string[]> {
  const r = await sql<{ account: string; period: string; n: number; billed: string; effective: string }>`
    SELECT billing_account_id AS account, to_char(billing_period_start, 'YYYY-MM') AS period, count(*)::int AS n,
           sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
      FROM cost_line WHERE billing_account_id LIKE ${`${prefix}%`} GROUP BY 1, 2`.execute(store.db);
  return r.rows.map((x) => `${x.account} ${x.period} ${x.n} ${new Decimal(x.billed).toString()} ${new Decimal(x.effective).toString()}`).sort();
}

describe.each(storeKinds)('deliveries store what the unsplit file stores (property), %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  const who = { actor: 'property', surface: 'cli' as const };
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-deliveries-'));
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('any cut of the rows into files, imported as one delivery or appended file by file, equals the unsplit import', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        run++;
        const indexed = s.rows.map((r, index) => ({ ...r, index }));
        const runDir = join(dir, `run-${run}`);
        const write = async (prefix: string, sub: string) => {
          await mkdir(join(runDir, sub, 'deeper'), { recursive: true });
          const paths: string[] = [];
          for (let f = 0; f < s.files; f++) {
            const rows = indexed.filter((r) => s.fileOf[r.index] === f);
            if (rows.length === 0) continue;
            const path = join(runDir, sub, f % 2 ? 'deeper' : '', `part-${f}.csv`);
            await writeFile(path, csvOf(prefix, rows));
            paths.push(path);
          }
          return paths;
        };

        // One replace delivery of all the parts.
        const replacePrefix = `R${run}-`;
        const parts = await write(replacePrefix, 'replace');
        const expected = expectedTotals(replacePrefix, s.rows);
        const delivered = await importFocus(store, { paths: s.asFolder ? [join(runDir, 'replace')] : parts, ...who });
        expect(delivered.deliveries.map((d) => [d.status, d.rows, d.files.length])).toEqual([['imported', s.rows.length, parts.length]]);
        expect(await storedTotals(store, replacePrefix)).toEqual(expected);

        // The unsplit file as a later delivery restates the same slices to the same totals.
        const unsplit = join(runDir, 'unsplit.csv');
        await writeFile(unsplit, csvOf(replacePrefix, indexed));
        const restated = await importFocus(store, { paths: [unsplit], ...who });
        // One part holds exactly the unsplit file's bytes: the same delivery again, nothing to do.
        expect(restated.deliveries[0]!.status).toBe(parts.length === 1 ? 'unchanged' : 'imported');
        for (const sl of restated.deliveries[0]!.slices) expect(sl.before).toEqual(sl.after);
        expect(await storedTotals(store, replacePrefix)).toEqual(expected);

        // Append deliveries, one per part, add up to the same.
        const appendPrefix = `A${run}-`;
        for (const path of await write(appendPrefix, 'append')) {
          const appended = await importFocus(store, { paths: [path], mode: 'append', ...who });
          expect(appended.deliveries[0]!.status).toBe('imported');
        }
        expect(await storedTotals(store, appendPrefix)).toEqual(expectedTotals(appendPrefix, s.rows));
      }),
      { numRuns: 12 },
    );
  }, 300_000);
});
