import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { runChargeback, type ChargebackResult } from '../../app/chargeback.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { parseCostBasis } from '../../domain/spend-dimensions.js';
import { formatMoney } from '../../domain/money.js';
import { journalCsvColumns } from '../../domain/journal-csv.js';
import { textTable } from '../text-table.js';

/** `costbridge chargeback`: balanced journal entries for a period, reconciled with GL actuals. */
export function registerChargeback(program: Command, ctx: CliContext): void {
  program
    .command('chargeback')
    .description(
      `write the period's chargeback journal (debit each cost center's GL account, credit the clearing account) as CSV (${journalCsvColumns.join(',')}) and reconcile it with GL actuals: difference, timing, basis, unexplained`,
    )
    .requiredOption('--period <YYYY-MM>', 'billing month (by BillingPeriodStart)')
    .requiredOption('--out <file.csv>', 'where to write the journal CSV (an earlier journal there is replaced; any other file only with --force)')
    .option('--force', 'replace a file at --out that is not a costbridge chargeback journal')
    .option('--basis <basis>', 'billed (invoiced, ties to GL; default) or effective (amortized)', 'billed')
    .option('--as <user>', 'who the export is recorded as in the audit log')
    .option('--json', 'print the entries and the reconciliation as JSON on stdout')
    .action(async (opts: { period: string; out: string; basis: string; as?: string; json?: boolean; force?: boolean }) => {
      const result = await runChargeback(await ctx.store(), {
        period: parseBillingMonth(opts.period),
        basis: parseCostBasis(opts.basis),
        out: opts.out,
        force: opts.force ?? false,
        accounts: { clearingAccount: ctx.config.attribution.clearingAccount, defaultGlAccount: ctx.config.attribution.defaultGlAccount },
        sharedPoolsFile: ctx.config.attribution.sharedPoolsFile,
        actor: ctx.actor(opts.as),
        surface: 'cli',
      });
      ctx.io.out(opts.json ? JSON.stringify(chargebackJson(result)) : chargebackText(result));
    });
}

/** The documented JSON of `chargeback --json`. */
export function chargebackJson(r: ChargebackResult) {
  return {
    period: r.period,
    basis: r.basis,
    file: r.file,
    sha256: r.sha256,
    entries: r.entries.map((e) => ({
      entry: e.entry,
      currency: e.currency,
      debitTotal: e.debitTotal,
      creditTotal: e.creditTotal,
      notCharged: e.notCharged,
      lines: e.lines.map((l) => ({ account: l.account, costCenter: l.costCenter, debit: l.debit, credit: l.credit, memo: l.memo })),
    })),
    reconciliation: r.reconciliation,
  };
}

function chargebackText(r: ChargebackResult): string {
  const basis = r.basis === 'billed' ? 'BilledCost (invoiced)' : 'EffectiveCost (amortized)';
  const out: string[] = [];
  if (r.entries.length === 0) out.push(`No cost lines for billing period ${r.period}; wrote an empty journal to ${r.file}.`);
  for (const e of r.entries) {
    const m = (v: string) => formatMoney(v, e.currency);
    out.push(
      `Chargeback ${r.period}, ${basis}, ${e.currency}: entry ${e.entry}, ${e.lines.length - 1} debit line(s), debits ${m(e.debitTotal)} = credits ${m(e.creditTotal)}; not charged (no known cost center): ${m(e.notCharged)}`,
    );
  }
  out.push(`Journal written to ${r.file}`);
  for (const c of r.reconciliation) {
    const m = (v: string) => formatMoney(v, c.currency);
    const row = (label: string, l: (typeof c)['total']) => [label, m(l.chargeback), m(l.gl), m(l.difference), m(l.timing), m(l.basis), m(l.unexplained)];
    out.push(
      '',
      `Reconciliation with GL actuals for ${r.period}, ${c.currency} (difference = chargeback - GL)`,
      textTable(
        ['cost center', 'chargeback', 'GL', 'difference', 'timing', 'basis', 'unexplained'],
        [...c.costCenters.map((l) => row(l.costCenter, l)), row('total', c.total)],
        [1, 2, 3, 4, 5, 6],
      ),
    );
  }
  return out.join('\n');
}
