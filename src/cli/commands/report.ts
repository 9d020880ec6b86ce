import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { reportSpend, type SpendReport } from '../../app/report-spend.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { parseCostBasis, parseSpendDimensions } from '../../domain/spend-dimensions.js';
import { formatMoney } from '../../domain/money.js';
import { rollupLabel } from '../../domain/cost-center-rollup.js';
import { textTable } from '../text-table.js';
import { registerReportTags } from './report-tags.js';

/** `costbridge report ...`: read-only views over the stored cost lines. */
export function registerReport(program: Command, ctx: CliContext): void {
  const report = program.command('report').description('reports over the imported cost data');
  report
    .command('spend')
    .description('spend for a billing month, grouped by any FOCUS or shared field')
    .requiredOption('--period <YYYY-MM>', 'billing month (by BillingPeriodStart)')
    .option('--basis <basis>', 'effective (amortized, FinOps default) or billed (invoiced, ties to GL)', 'effective')
    .option(
      '--by <fields>',
      'comma-separated: provider, service-category, service, sub-account, billing-account, region, charge-category, cost-center, application, legal-entity, environment, project, owner',
      'provider',
    )
    .option('--rollup', 'with --by cost-center: roll each cost center\'s descendants (master data parent codes) into it, listed under it')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { period: string; basis: string; by: string; rollup?: boolean; json?: boolean }) => {
      const request = {
        period: parseBillingMonth(opts.period),
        basis: parseCostBasis(opts.basis),
        by: parseSpendDimensions(opts.by),
        rollup: opts.rollup === true,
      };
      const result = await reportSpend(await ctx.store(), request);
      ctx.io.out(opts.json ? JSON.stringify(spendReportJson(result)) : spendReportText(result));
    });
  registerReportTags(report, ctx);
}

/** The documented JSON: one currency flat; several currencies kept apart under `currencies`. */
export function spendReportJson(r: SpendReport) {
  const rows = (c: SpendReport['currencies'][number]) => c.rows.map((row) => ({ ...row.keys, cost: row.cost, ...(row.rollup ? row.rollup : {}) }));
  const closed = {
    closed: r.closed,
    postCloseAdjustments: r.postCloseAdjustments.map((c) => ({ currency: c.currency, rows: rows(c), total: c.total })),
  };
  if (r.currencies.length <= 1) {
    const only = r.currencies[0];
    return { period: r.period, basis: r.basis, currency: only?.currency ?? null, rows: only ? rows(only) : [], total: only?.total ?? '0', ...closed };
  }
  return {
    period: r.period,
    basis: r.basis,
    currency: null,
    rows: [],
    total: null,
    currencies: r.currencies.map((c) => ({ currency: c.currency, rows: rows(c), total: c.total })),
    ...closed,
  };
}

function spendTable(r: SpendReport, c: SpendReport['currencies'][number]): string {
  return textTable(
    [...r.dimensions, 'cost'],
    [
      ...c.rows.map((row) => [...r.dimensions.map((d, i) => (i === 0 && row.rollup ? rolledLabel(row.keys[d]!, row.rollup) : row.keys[d]!)), formatMoney(row.cost, c.currency)]),
      [...r.dimensions.map((_, i) => (i === 0 ? 'total' : '')), formatMoney(c.total, c.currency)],
    ],
    [r.dimensions.length],
  );
}

function rolledLabel(code: string, r: { depth: number; children: number }): string {
  const incl = rollupLabel(r.children);
  return `${'  '.repeat(r.depth)}${code}${incl ? ` (${incl})` : ''}`;
}

function spendReportText(r: SpendReport): string {
  const basis = r.basis === 'effective' ? 'EffectiveCost (amortized)' : 'BilledCost (invoiced)';
  if (r.currencies.length === 0 && r.postCloseAdjustments.length === 0) return `No cost lines for billing period ${r.period}. Import FOCUS data with: costbridge import focus FILE`;
  const out = r.closed ? [`${r.closed.statement}.`] : [];
  out.push(...r.currencies.map((c) => `Spend for ${r.period}, ${basis}, ${c.currency}${r.closed ? ' (as closed)' : ''}\n${spendTable(r, c)}`));
  if (r.closed) {
    out.push(
      r.postCloseAdjustments.length === 0
        ? `No post-close adjustments: the live lines of ${r.period} still add up to the closed figures.`
        : r.postCloseAdjustments
            .map((c) => `Post-close adjustments ${r.period}, ${c.currency} (changes since close, not in the figures above; booked in ${r.closed!.adjustmentsBookedIn}'s chargeback)\n${spendTable(r, c)}`)
            .join('\n\n'),
    );
  }
  return out.join('\n\n');
}
