import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { loadDemoData } from '../../app/load-demo-data.js';
import { reportSpend, type SpendReport } from '../../app/report-spend.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { parseSpendDimensions } from '../../domain/spend-dimensions.js';
import { formatMoney } from '../../domain/money.js';
import { costDataStatus } from '../../store/cost-data-status.js';
import { textTable } from '../text-table.js';

/** `costbridge start` (npm start): the main job; on an empty database it loads the demo data first. */
export function registerStart(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run the main job: prepare the database (loading labelled demo data when it is empty) and show where spend stands')
    .option('--no-demo', 'do not load the demo data set into an empty database')
    .option('--as-of <YYYY-MM-DD>', 'the day the demo data runs up to (default: today)')
    .action(async (opts: { demo: boolean; asOf?: string }) => {
      const { io } = ctx;
      const store = await ctx.store();
      let status = await costDataStatus(store.db);
      if (!status.hasLines && opts.demo) {
        const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
        io.out(`The database is empty: loading the SYNTHETIC DEMO DATA set (invented numbers, never real billing data), as of ${asOf} ...`);
        const loaded = await loadDemoData(store, {
          dir: join(ctx.config.dataDir, 'demo-data'),
          asOf,
          actor: ctx.actor(),
          surface: 'cli',
        });
        io.out(`Loaded ${loaded.focusRows} FOCUS rows in ${loaded.focusFiles} files for ${loaded.months.join(', ')}, with cost centers, budgets, forecast and GL actuals (files in ${loaded.dir}).`);
        status = await costDataStatus(store.db);
      }
      if (!status.latestMonth) {
        io.out('No cost data yet. Import FOCUS exports with: npx costbridge import focus FILE...');
        return;
      }
      const period = parseBillingMonth(status.latestMonth);
      const label = status.latestMonthIsDemo ? ' [DEMO DATA]' : '';
      for (const [basis, by] of [['effective', 'provider'], ['billed', 'provider'], ['effective', 'cost-center']] as const) {
        const report = await reportSpend(store, { period, basis, by: parseSpendDimensions(by) });
        io.out(`\n${spendTable(report, label)}`);
      }
      io.out(
        [
          '',
          'Next steps:',
          '  npx costbridge report spend --period ' + period.key + ' --by service,cost-center   spend by any field',
          '  npx costbridge import focus FILE...                                  load your own FOCUS exports',
          '  npx costbridge --help                                                every command',
          'The Slack and Teams bot and the review scheduler are not part of this version yet.',
        ].join('\n'),
      );
    });
}

function spendTable(r: SpendReport, label: string): string {
  const basis = r.basis === 'effective' ? 'EffectiveCost (amortized)' : 'BilledCost (invoiced)';
  return r.currencies
    .map((c) => {
      const rows = c.rows.map((row) => [...r.dimensions.map((d) => row.keys[d]!), formatMoney(row.cost, c.currency)]);
      rows.push([...r.dimensions.map((_, i) => (i === 0 ? 'total' : '')), formatMoney(c.total, c.currency)]);
      return `${r.period} by ${r.dimensions.join(', ')}, ${basis}${label}\n${textTable([...r.dimensions, 'cost'], rows, [r.dimensions.length])}`;
    })
    .join('\n\n');
}
