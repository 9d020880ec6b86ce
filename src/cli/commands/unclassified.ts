import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { listUnclassifiedSpend } from '../../app/list-unclassified-spend.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { formatMoney } from '../../domain/money.js';
import { textTable } from '../text-table.js';

/** `costbridge unclassified`: governed spend with no contract (AI, configured categories, new marketplace publishers). */
export function registerUnclassified(program: Command, ctx: CliContext): void {
  program
    .command('unclassified')
    .description('unclassified new spend: lines with no contract in a governed category (AI and Machine Learning, configured categories, new marketplace publishers), per vendor')
    .requiredOption('--period <YYYY-MM>', 'billing month (by BillingPeriodStart)')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { period: string; json?: boolean }) => {
      const result = await listUnclassifiedSpend(await ctx.store(), {
        period: parseBillingMonth(opts.period),
        governedCategories: ctx.config.attribution.governedCategories,
      });
      if (opts.json) {
        ctx.io.out(JSON.stringify(result));
        return;
      }
      if (result.vendors.length === 0) {
        ctx.io.out(`No unclassified new spend in ${result.period}: every governed line is covered by a contract.`);
        return;
      }
      ctx.io.out(
        `Unclassified new spend ${result.period} (no contract; classify it with costbridge contracts apply FILE)\n` +
          textTable(
            ['vendor', 'why', 'services', 'lines', 'effective', 'billed'],
            result.vendors.map((v) => [
              v.vendor, v.reasons.join(', '), v.services.join(', '), String(v.lines),
              formatMoney(v.effectiveCost, v.currency), formatMoney(v.billedCost, v.currency),
            ]),
            [3, 4, 5],
          ),
      );
    });
}
