import { parseArgs } from 'node:util';
import { buildWeeklyDigest } from '../src/app/build-weekly-digest.js';
import { parseBillingMonth } from '../src/domain/billing-month.js';
import { openStore, type Store } from '../src/store/database.js';
import { migrate } from '../src/store/migrator.js';
import { ensureCostLinePartition } from '../src/store/cost-line-partitions.js';
import { rebuildProviderFreshness } from '../src/store/import-provider-freshness.js';
import { rebuildRollup, rollupSize } from '../src/store/cost-rollup.js';
import { sessionRunner } from '../src/store/sql-runner.js';
import { createBenchDatabase, median } from './bench-database.js';

const periods = ['2026-07', '2026-08', '2026-09'] as const;
/** The review: Tuesday 2026-09-15, so September is reviewed to date (charges through the 14th). */
const reviewAt = new Date('2026-09-15T09:00:00Z');
const septemberDays = 14;
const skus = 4000;

/**
 * Times building the weekly digest (every section: freshness, totals on both bases, the handoff's
 * projections and drivers per cost center, unattributed groups, tag coverage trend, savings, new
 * spend, decisions) for `--cost-centers` cost centers over `--lines` cost lines in three billing
 * months on a fresh Postgres database. Lines are generated in SQL with `INSERT ... SELECT
 * generate_series` (like bench/variance.ts), with cost-center master data, budgets and forecasts.
 * Prints the median of `--repeat` builds after one warm-up.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { lines: { type: 'string', default: '5000000' }, 'cost-centers': { type: 'string', default: '50' }, repeat: { type: 'string', default: '3' }, keep: { type: 'boolean', default: false }, database: { type: 'string' } },
  });
  const lines = Number(values.lines);
  const costCenters = Number(values['cost-centers']);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(lines) || lines < 3 || !Number.isInteger(costCenters) || costCenters < 1 || costCenters > 999 || !Number.isInteger(repeat) || repeat < 1) {
    throw new Error('usage: npm run bench -- digest [--lines N] [--cost-centers N] [--repeat K] [--keep | --database URL]');
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
      await s.exec(`INSERT INTO import_batch (id, kind, file_name, sha256, format, rows, imported_by, surface, imported_at)
                    VALUES (1, 'focus', 'bench.csv', 'bench', 'csv', ${lines}, 'bench', 'cli', '2026-09-15T02:00:00Z')`);
      await s.exec(`INSERT INTO cost_center (code, name, owner, legal_entity)
                    SELECT 'CC-' || lpad(i::text, 3, '0'), 'Cost center ' || i, 'team-' || i, 'LE-1' FROM generate_series(0, ${costCenters - 1}) AS i`);
      for (const [p, key] of periods.entries()) {
        const month = parseBillingMonth(key);
        // Budgets and ITFM forecasts per cost center, around what the lines add up to.
        await s.exec(`INSERT INTO budget_line (version, cost_center_code, month, amount, currency)
                      SELECT v, 'CC-' || lpad(i::text, 3, '0'), '${month.start.slice(0, 10)}', round(${Math.ceil(lines / 3 / costCenters)} * (0.5 + (i % 7) * 0.1) * CASE v WHEN 'budget' THEN 1 ELSE 1.05 END, 2), 'USD'
                        FROM generate_series(0, ${costCenters - 1}) AS i, (VALUES ('budget'), ('forecast')) AS x(v)`);
        await ensureCostLinePartition(s, new Date(month.start));
        const n = Math.floor(lines / 3) + (p === 0 ? lines % 3 : 0);
        const days = key === '2026-09' ? septemberDays : 28;
        // Deterministic pseudo-random lines: SKU prices with a 3 % rise on every tenth SKU each month,
        // usage drifting by SKU, some purchases, credits and taxes, a few untagged lines (no cost center,
        // no owner), and an AI vendor in the last month.
        await s.exec(`
          INSERT INTO cost_line (batch_id, source_line, billing_account_id, sub_account_id, billing_currency, billing_period_start, billing_period_end,
                                 charge_period_start, charge_period_end, charge_category, billed_cost, effective_cost,
                                 pricing_quantity, pricing_unit, provider_name, publisher_name, invoice_issuer_name, service_category, service_name, sku_id,
                                 charge_description, cost_center, owner)
          SELECT 1, g, 'BA-' || (g % 4), 'SA-' || (g % 40), 'USD', '${month.start}', '${month.end}',
                 '${month.start}'::timestamptz + ((g % ${days}) || ' days')::interval,
                 '${month.start}'::timestamptz + ((g % ${days} + 1) || ' days')::interval,
                 cat, round(cost, 10), round(cost * 0.97, 10), qty, 'Unit-' || (sku % 7),
                 provider, provider, provider,
                 CASE WHEN provider = 'Cortex AI' THEN 'AI and Machine Learning' ELSE 'Compute' END,
                 'Service ' || (sku % 40), 'SKU-' || sku, 'line of SKU ' || sku,
                 CASE WHEN g % 17 = 0 THEN NULL ELSE cc END,
                 CASE WHEN g % 17 = 0 OR g % 23 = 0 THEN NULL ELSE 'team-' || ((g * 7) % ${costCenters}) END
            FROM (
              SELECT g, sku, cat, 'CC-' || lpad(((g * 7) % ${costCenters})::text, 3, '0') AS cc,
                     CASE WHEN ${p} = 2 AND g % 501 = 0 THEN 'Cortex AI' ELSE 'Provider ' || (sku % 3) END AS provider,
                     CASE WHEN cat = 'Usage' THEN qty ELSE NULL END AS qty,
                     CASE WHEN cat = 'Credit' THEN -5 ELSE 1 END
                       * (coalesce(qty, 1) * (0.001 + (sku % 97) * 0.0137) * power(CASE WHEN sku % 10 = 0 THEN 1.03 ELSE 1 END, ${p})) AS cost
                FROM (
                  SELECT g, (g * 7919 + ${p} * (g % 50)) % ${skus} AS sku,
                         CASE WHEN g % 997 = 0 THEN 'Purchase' WHEN g % 991 = 0 THEN 'Credit' WHEN g % 983 = 0 THEN 'Tax' ELSE 'Usage' END AS cat,
                         ((g * 31) % 1000 + 1)::numeric / 10 * (1 + ${p} * 0.02 * ((g % 5) - 1)) AS qty
                    FROM generate_series(1::bigint, ${n}::bigint) AS g
                ) raw
            ) line`);
      }
      // Lines written by SQL bypass the import, which keeps the daily rollup: build it once here.
      await rebuildRollup(sessionRunner(s));
      await rebuildProviderFreshness(sessionRunner(s));
      // Analyzing the partitioned table analyzes every partition too.
      await s.exec('ANALYZE cost_line');
      await s.exec('ANALYZE cost_rollup');
    });
    const loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
    const build = async () => {
      const started = process.hrtime.bigint();
      const digest = await buildWeeklyDigest(store!, {
        cadence: 'weekly-digest',
        at: reviewAt,
        timezone: 'UTC',
        scope: [],
        previousReviewAt: new Date('2026-09-08T09:00:00Z'),
        requiredFields: ['cost-center', 'owner'],
        governedCategories: ['AI and Machine Learning'],
        windowDays: 7,
        businessDays: 3,
        materiality: { amount: '1000', share: '0.05' },
      });
      return { seconds: Number(process.hrtime.bigint() - started) / 1e9, budgets: digest.budgets.length, period: digest.period };
    };
    const warm = await build();
    if (warm.period !== '2026-09' || warm.budgets < costCenters) throw new Error(`digest covered ${warm.period} with ${warm.budgets} budget rows; expected 2026-09 and ${costCenters}`);
    const times: number[] = [];
    for (let k = 0; k < repeat; k++) times.push((await build()).seconds);
    const rollup = await rollupSize(store.db);
    console.log(JSON.stringify({ bench: 'digest', lines, costCenters, seconds: round(median(times)), runs: times.map(round), rollupRows: rollup.rows, loadSeconds: round(loadSeconds) }));
  } finally {
    await store?.close();
    if (values.keep && !reuse) console.error(`kept bench database: ${db.url}`);
    else await db.drop();
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
