import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { writeDemoData } from '../../demo/write-demo-data.js';
import type { DemoWriteResult } from '../../demo/write-demo-data.js';

interface DemoDataOptions {
  out?: string;
  months: string;
  rows: string;
  seed: string;
  asOf?: string;
  channels?: boolean;
}

function wholeNumber(flag: string, text: string): number {
  const t = text.trim().replace(/_/g, '');
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t))) {
    throw new CostbridgeError('INPUT_INVALID', `${flag} must be a whole number, got "${text}"`);
  }
  return Number(t);
}

/** `costbridge demo-data`: writes a deterministic synthetic FOCUS 1.2 + ITFM data set. */
export function registerDemoData(program: Command, ctx: CliContext): void {
  program
    .command('demo-data')
    .description('write a synthetic (never real) FOCUS 1.2 + ITFM demo data set with documented gaps')
    .option('--out <dir>', 'output directory (new, empty, or an earlier demo data set)')
    .option('--months <n>', 'billing months, ending with the as-of month', '3')
    .option('--rows <n>', 'exact number of FOCUS rows over all files', '5000')
    .option('--seed <n>', 'random seed; the same arguments give byte-identical files', '1')
    .option('--as-of <date>', 'YYYY-MM-DD; data runs to the day before (default: today, UTC)')
    .option('--channels', 'give the cost centers invented Slack channel ids (slack:C0DEMO01 ...) in chat_channel; off by default so demo data never routes alerts to real workspaces')
    .action(async (opts: DemoDataOptions) => {
      if (!opts.out?.trim()) throw new CostbridgeError('INPUT_INVALID', '--out <dir> is required: where to write the demo data');
      const asOf = opts.asOf?.trim() || new Date().toISOString().slice(0, 10);
      const result = await writeDemoData(opts.out.trim(), {
        seed: wholeNumber('--seed', opts.seed),
        months: wholeNumber('--months', opts.months),
        rows: wholeNumber('--rows', opts.rows),
        asOf,
        ...(opts.channels ? { channels: true } : {}),
      });
      ctx.io.out(summary(result));
    });
}

function summary(r: DemoWriteResult): string {
  const m = r.manifest;
  const g = m.gaps;
  const p = m.parameters;
  const first = m.months[0]!;
  const last = m.months[m.months.length - 1]!;
  const out: string[] = [];
  out.push(`SYNTHETIC DEMO DATA (invented, never real billing data) written to ${r.dir}`);
  out.push(
    `seed ${p.seed}, ${p.months} months ${first.month}..${last.month}` +
      (last.complete ? '' : ` (${last.month} month to date, charges before ${last.chargesThrough.slice(0, 10)})`) +
      `, as of ${p.asOf}`,
  );
  out.push('');
  const width = Math.max(...r.files.map((f) => f.path.length), 'manifest.json'.length);
  for (const f of r.files) {
    const focus = r.focusTotals.get(f.path);
    const extra = focus ? `  billed ${focus.billedCost}  effective ${focus.effectiveCost}` : '';
    const what = f.kind === 'readme' ? 'what this data set is, and its gaps' : `${String(f.rows).padStart(7)} rows`;
    out.push(`  ${f.path.padEnd(width)}  ${what}${extra}`);
  }
  out.push(`  ${'manifest.json'.padEnd(width)}  parameters, exact totals, gaps`);
  out.push('');
  out.push(`FOCUS: ${m.totals.focus.rows} rows, BilledCost ${m.totals.focus.billedCost} USD, EffectiveCost ${m.totals.focus.effectiveCost} USD`);
  out.push('');
  out.push('Documented gaps (details in README.md and manifest.json):');
  out.push(`  accrual timing: ${g.accrualTiming.provider} invoice ${g.accrualTiming.invoiceId} billed ${g.accrualTiming.billedPeriod} (${g.accrualTiming.amount} USD) is booked in GL ${g.accrualTiming.bookedPeriod}`);
  out.push(
    `  amortization: ${g.amortization.commitmentDiscountId} bought ${g.amortization.purchaseMonth} for ${g.amortization.purchaseAmount} USD (GL expenses it then); amortized ` +
      g.amortization.byMonth.map((x) => `${x.month} ${x.amortized}`).join(', '),
  );
  out.push(`  price change: ${g.priceChange.skuId} +${g.priceChange.changePercent}% in ${g.priceChange.changeMonth} (${g.priceChange.oldContractedUnitPrice} -> ${g.priceChange.newContractedUnitPrice}), rate effect ${g.priceChange.variance.rateEffect} USD`);
  out.push(`  new AI service: ${g.newAiService.provider} / ${g.newAiService.serviceName} first in ${g.newAiService.firstMonth}, ${g.newAiService.billedCost} USD, no contract`);
  out.push(
    `  untagged: ${g.attribution.total.untagged.billedCost} billed / ${g.attribution.total.untagged.effectiveCost} effective; ` +
      `mis-tagged (${g.attribution.unknownCostCenterValues.join(', ')}): ${g.attribution.total.misTagged.billedCost} billed / ${g.attribution.total.misTagged.effectiveCost} effective`,
  );
  return out.join('\n');
}
