import { parseArgs } from 'node:util';
import { reportVariance } from '../src/app/report-variance.js';
import { parseBillingMonth } from '../src/domain/billing-month.js';
import { spendDimensions } from '../src/domain/spend-dimensions.js';
import { openStore, type Store } from '../src/store/database.js';
import { migrate } from '../src/store/migrator.js';
import { ensureCostLinePartition } from '../src/store/cost-line-partitions.js';
import { rebuildRollup } from '../src/store/cost-rollup.js';
import { sessionRunner } from '../src/store/sql-runner.js';
import { createBenchDatabase, median } from './bench-database.js';

const periods = ['2026-09', '2026-10'] as const;
const costCenters = 60;
const skus = 4000;

/**
 * Loads N cost lines split over two billing periods into a fresh Postgres database with one
 * set-based `INSERT ... SELECT generate_series` per period (the FOCUS import would take minutes at
 * 5 million lines and is measured by the ingest bench), then times the variance decomposition
 * (price-key aggregation in SQL + exact decomposition in TypeScript, GL reconciliation off) for
 * one cost center and for all cost centers: median of `--repeat` runs after one warm-up.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { lines: { type: 'string', default: '5000000' }, repeat: { type: 'string', default: '3' }, keep: { type: 'boolean', default: false }, database: { type: 'string' } },
  });
  const lines = Number(values.lines);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(lines) || lines < 2 || !Number.isInteger(repeat) || repeat < 1) {
    throw new Error('usage: npm run bench -- variance [--lines N] [--repeat K] [--keep | --database URL]');
  }
  // --keep leaves the loaded database in place and --database URL reuses one, for iterating on
  // the readers without reloading; by default every run builds (and drops) a fresh database.
  const reuse = values.database;
  const db = reuse ? { url: reuse, drop: async () => undefined } : await createBenchDatabase();
  let store: Store | undefined;
  try {
    store = await openStore({ databaseUrl: db.url });
    await migrate(store);
    const loadStarted = process.hrtime.bigint();
    if (!reuse) await store.session(async (s) => {
      for (const [i, key] of periods.entries()) {
        const month = parseBillingMonth(key);
        await ensureCostLinePartition(s, new Date(month.start));
        const n = Math.floor(lines / 2) + (i === 0 ? lines % 2 : 0);
        // Deterministic pseudo-random lines: SKU prices, a 3 % price rise on every tenth SKU in the
        // second month, usage that drifts by SKU, a few SKUs only in one month, and some one-offs.
        await s.exec(`
          INSERT INTO cost_line (batch_id, source_line, billing_account_id, billing_currency, billing_period_start, billing_period_end,
                                 charge_period_start, charge_period_end, charge_category, billed_cost, effective_cost,
                                 pricing_quantity, pricing_unit, provider_name, service_name, sku_id, charge_description, cost_center)
          SELECT 1, g, 'BA-' || (g % 4), 'USD', '${month.start}', '${month.end}',
                 '${month.start}'::timestamptz + ((g % 28) || ' days')::interval,
                 '${month.start}'::timestamptz + ((g % 28 + 1) || ' days')::interval,
                 cat, round(cost, 10), round(cost * 0.97, 10), qty, 'Unit-' || (sku % 7),
                 'Provider ' || (sku % 3), 'Service ' || (sku % 40), 'SKU-' || sku, 'line of SKU ' || sku,
                 CASE WHEN g % 17 = 0 THEN NULL ELSE 'CC-' || lpad(((g * 7) % ${costCenters})::text, 3, '0') END
            FROM (
              SELECT g, sku, cat,
                     CASE WHEN cat = 'Usage' THEN qty ELSE NULL END AS qty,
                     CASE WHEN cat = 'Credit' THEN -5 ELSE 1 END
                       * (coalesce(qty, 1) * (0.001 + (sku % 97) * 0.0137) * (CASE WHEN ${i} = 1 AND sku % 10 = 0 THEN 1.03 ELSE 1 END)) AS cost
                FROM (
                  SELECT g, (g * 7919 + ${i} * (g % 50)) % ${skus} + CASE WHEN ${i} = 1 AND g % 1000 = 0 THEN ${skus} ELSE 0 END AS sku,
                         CASE WHEN g % 997 = 0 THEN 'Purchase' WHEN g % 991 = 0 THEN 'Credit' WHEN g % 983 = 0 THEN 'Tax' ELSE 'Usage' END AS cat,
                         ((g * 31) % 1000 + 1)::numeric / 10 * (1 + ${i} * 0.02 * ((g % 5) - 1)) AS qty
                    FROM generate_series(1::bigint, ${n}::bigint) AS g
                ) raw
            ) line`);
      }
      // Lines written by SQL bypass the import, which keeps the daily rollup: build it once here.
      await rebuildRollup(sessionRunner(s));
      // Analyzing the partitioned table analyzes every partition too.
      await s.exec('ANALYZE cost_line');
      await s.exec('ANALYZE cost_rollup');
    });
    const loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
    const request = {
      period: parseBillingMonth(periods[1]),
      against: 'previous' as const,
      basis: 'effective' as const,
      by: spendDimensions.find((d) => d.name === 'cost-center')!,
      materiality: { amount: '1000', share: '0.05' },
      ledger: false,
    };
    const time = async (scope: string | undefined) => {
      const started = process.hrtime.bigint();
      const report = await reportVariance(store!, { ...request, scope });
      return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rows: report.rows.length };
    };
    await time('CC-007');
    const one: number[] = [];
    const all: number[] = [];
    let rows = 0;
    for (let k = 0; k < repeat; k++) {
      one.push((await time('CC-007')).seconds);
      const a = await time(undefined);
      all.push(a.seconds);
      rows = a.rows;
    }
    console.log(
      JSON.stringify({
        bench: 'variance',
        lines,
        oneCostCenterSeconds: round(median(one)),
        allCostCentersSeconds: round(median(all)),
        scopes: rows,
        loadSeconds: round(loadSeconds),
        repeat,
      }),
    );
  } finally {
    await store?.close();
    if (values.keep && !reuse) console.error(`kept bench database: ${db.url}`);
    else await db.drop();
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
