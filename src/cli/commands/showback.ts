import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { showback, type ShowbackReport } from '../../app/showback.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { parseCostBasis } from '../../domain/spend-dimensions.js';
import { formatMoney } from '../../domain/money.js';
import { describeAllocationMethod } from '../../domain/allocation.js';
import { neutralizeCell } from '../../domain/journal-csv.js';
import { formulaSafeCsv } from '../../output/formula-safe-csv.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { textTable } from '../text-table.js';

/** `costbridge showback`: per cost center, direct cost plus allocated shares of shared costs. */
export function registerShowback(program: Command, ctx: CliContext): void {
  program
    .command('showback')
    .description('per cost center: direct attributed cost plus its allocated share of shared-cost pools (COSTBRIDGE_SHARED_POOLS_FILE and items dismissed into a pool); unattributed spend is its own row')
    .requiredOption('--period <YYYY-MM>', 'billing month (by BillingPeriodStart)')
    .option('--basis <basis>', 'effective (amortized, FinOps default) or billed (invoiced)', 'effective')
    .option('--json', 'print JSON on stdout')
    .option('--csv', 'print CSV on stdout (currency,kind,cost_center,name,direct,allocated,total)')
    .action(async (opts: { period: string; basis: string; json?: boolean; csv?: boolean }) => {
      if (opts.json && opts.csv) throw new CostbridgeError('INPUT_INVALID', 'give --json or --csv, not both');
      const report = await showback(await ctx.store(), {
        period: parseBillingMonth(opts.period),
        basis: parseCostBasis(opts.basis),
        sharedPoolsFile: ctx.config.attribution.sharedPoolsFile,
      });
      if (opts.json) ctx.io.out(JSON.stringify(showbackJson(report)));
      else if (opts.csv) ctx.io.out(formulaSafeCsv(showbackRows(report)));
      else ctx.io.out(showbackText(report));
    });
}

const unattributedLabel = '(unattributed)';

/** One showback row of any kind, as JSON and CSV see it. */
interface ShowbackLine {
  kind: 'cost-center' | 'unattributed' | 'unallocated';
  costCenter: string;
  name: string | null;
  direct: string;
  allocated: string;
  total: string;
  lines?: number;
  shares?: { pool: string; method: string; amount: string }[];
}

function lines(r: ShowbackReport, c: ShowbackReport['currencies'][number]): ShowbackLine[] {
  return [
    ...c.rows.map((row) => ({
      kind: 'cost-center' as const,
      costCenter: row.costCenter,
      name: r.names.get(row.costCenter) ?? null,
      direct: row.direct,
      allocated: row.allocated,
      total: row.total,
      shares: row.shares.map((s) => ({ ...s })),
    })),
    ...(c.unattributedLines > 0
      ? [{ kind: 'unattributed' as const, costCenter: unattributedLabel, name: null, direct: c.unattributed, allocated: '0.00', total: c.unattributed, lines: c.unattributedLines }]
      : []),
    ...c.pools
      .filter((p) => p.unallocated)
      .map((p) => ({ kind: 'unallocated' as const, costCenter: `(unallocated pool ${p.name})`, name: null, direct: p.amount, allocated: '0.00', total: p.amount, lines: p.lines })),
  ];
}

/** The documented JSON of `showback --json`. */
export function showbackJson(r: ShowbackReport) {
  return {
    period: r.period,
    basis: r.basis,
    poolsFile: r.poolsFile,
    currencies: r.currencies.map((c) => ({
      currency: c.currency,
      total: c.total,
      rows: lines(r, c),
      pools: c.pools,
      unattributed: c.unattributed,
      unallocated: c.unallocated,
      roundingResidual: c.roundingResidual,
    })),
    closed: r.closed,
    postCloseAdjustments: r.postCloseAdjustments,
  };
}

function showbackRows(r: ShowbackReport): string[][] {
  const rows = [['currency', 'kind', 'cost_center', 'name', 'direct', 'allocated', 'total']];
  // Amounts stay numbers; every text cell is neutralized for spreadsheets.
  for (const c of r.currencies) {
    for (const l of lines(r, c)) rows.push([neutralizeCell(c.currency), l.kind, neutralizeCell(l.costCenter), neutralizeCell(l.name ?? ''), l.direct, l.allocated, l.total]);
  }
  return rows;
}

function showbackText(r: ShowbackReport): string {
  const basis = r.basis === 'effective' ? 'EffectiveCost (amortized)' : 'BilledCost (invoiced)';
  if (r.currencies.length === 0 && r.postCloseAdjustments.length === 0) return `No cost lines for billing period ${r.period}. Import FOCUS data with: costbridge import focus FILE`;
  const body = r.currencies
    .map((c) => {
      const m = (v: string) => formatMoney(v, c.currency);
      const table = textTable(
        ['cost center', 'name', 'direct', 'allocated', 'total'],
        [...lines(r, c).map((l) => [l.costCenter, l.name ?? '', m(l.direct), m(l.allocated), m(l.total)]), ['total', '', '', '', m(c.total)]],
        [2, 3, 4],
      );
      const pools = c.pools.map((p) => {
        const how = p.unallocated
          ? 'no cost center to take it: shown as unallocated'
          : `${describeAllocationMethod(p.method)}${p.fellBackToEven ? ' (all direct costs zero: even split)' : ''} to ${p.shares.length} cost center(s), ${m(p.allocated)} allocated`;
        const residual = p.roundingResidual !== '0' ? `, rounding residual ${p.roundingResidual}` : '';
        return `  ${p.name} (${p.where}): ${m(p.amount)} over ${p.lines} line(s); ${how}${residual}`;
      });
      return [
        `Showback for ${r.period}, ${basis}, ${c.currency}`,
        table,
        ...(pools.length > 0 ? ['Shared-cost pools:', ...pools] : ['No shared-cost pools for this period.']),
      ].join('\n');
    })
    .join('\n\n');
  if (!r.closed) return body;
  const closed = r.closed;
  const adjustments =
    r.postCloseAdjustments.length === 0
      ? `No post-close adjustments: the live showback of ${r.period} still equals the closed one.`
      : r.postCloseAdjustments
          .map((c) => {
            const m = (v: string) => formatMoney(v, c.currency);
            return `Post-close adjustments ${r.period}, ${c.currency} (changes since close, not in the figures above; booked in ${closed.adjustmentsBookedIn}'s chargeback)\n${textTable(
              ['cost center', 'direct', 'allocated', 'total'],
              [...c.rows.map((a) => [a.costCenter, m(a.direct), m(a.allocated), m(a.total)]), ['total', '', '', m(c.total)]],
              [1, 2, 3],
            )}`;
          })
          .join('\n\n');
  return [`${closed.statement}.`, body.replace(/^(Showback for .*?)$/gm, '$1 (as closed)'), adjustments].join('\n\n');
}
