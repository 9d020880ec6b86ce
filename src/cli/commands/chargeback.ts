import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { runChargeback, type ChargebackResult } from '../../app/chargeback.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { parseCostBasis } from '../../domain/spend-dimensions.js';
import { formatMoney } from '../../domain/money.js';
import { journalCsvColumns } from '../../domain/journal-csv.js';
import { textTable } from '../text-table.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';

/** `costbridge chargeback`: journal entries issued once per period, adjusting entries for changes, reconciled with GL actuals. */
export function registerChargeback(program: Command, ctx: CliContext): void {
  program
    .command('chargeback')
    .description(
      `issue the period's chargeback journal once (debit each cost center's GL account, credit the clearing account; later runs issue only adjusting entries -A1, -A2 ... for what changed, and an open month carries closed months' post-close adjustments), write every entry of the period as CSV (${journalCsvColumns.join(',')}) and reconcile their sum with GL actuals: difference, timing, basis, post-close, unexplained`,
    )
    .requiredOption('--period <YYYY-MM>', 'billing month (by BillingPeriodStart)')
    .option('--out <file.csv>', 'where to write the journal CSV (an earlier journal there is replaced; any other file only with --force); required unless --dry-run')
    .option('--force', 'replace a file at --out that is not a costbridge chargeback journal')
    .option('--basis <basis>', 'billed (invoiced, ties to GL; default) or effective (amortized); fixed by the period\'s first entry', 'billed')
    .option('--dry-run', 'show what would be issued; issue and record nothing')
    .option('--as <user>', 'who the entries are issued by in the audit log')
    .option('--json', 'print the entries and the reconciliation as JSON on stdout')
    .action(async (opts: { period: string; out?: string; basis: string; dryRun?: boolean; force?: boolean; as?: string; json?: boolean }) => {
      if (opts.out === undefined && !opts.dryRun) throw new CostbridgeError('INPUT_INVALID', '--out <file.csv> is required (or --dry-run to only look)');
      const result = await runChargeback(await ctx.store(), {
        period: parseBillingMonth(opts.period),
        basis: parseCostBasis(opts.basis),
        out: opts.out,
        force: opts.force ?? false,
        dryRun: opts.dryRun === true,
        accounts: { clearingAccount: ctx.config.attribution.clearingAccount, defaultGlAccount: ctx.config.attribution.defaultGlAccount },
        sharedPoolsFile: ctx.config.attribution.sharedPoolsFile,
        unattributedCostCenter: ctx.config.attribution.unattributedCostCenter,
        actor: await ctx.actor(opts.as),
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
    dryRun: r.dryRun,
    file: r.file,
    sha256: r.sha256,
    closed: r.closed,
    issuedNow: r.issuedNow,
    carries: r.carries,
    entries: r.entries.map((e) => ({
      entry: e.entry,
      currency: e.currency,
      sequence: e.sequence,
      kind: e.sequence === 0 ? 'entry' : 'adjustment',
      basis: e.basis,
      issuedAt: e.issuedAt,
      issuedBy: e.issuedBy,
      debitTotal: e.debitTotal,
      creditTotal: e.creditTotal,
      notCharged: e.notCharged,
      lines: e.lines.map((l) => ({ account: l.account, costCenter: l.costCenter, debit: l.debit, credit: l.credit, memo: l.memo, booksPeriod: l.booksPeriod })),
    })),
    postClose: r.postClose,
    reconciliation: r.reconciliation,
  };
}

function chargebackText(r: ChargebackResult): string {
  const basis = r.basis === 'billed' ? 'BilledCost (invoiced)' : 'EffectiveCost (amortized)';
  const out: string[] = [];
  if (r.closed) out.push(`${r.closed.statement}; its entries stand as issued.`);
  if (r.dryRun) out.push('Dry run: nothing is issued or recorded.');
  if (r.entries.length === 0) out.push(`No cost lines for billing period ${r.period}; no entry to issue.`);
  for (const e of r.entries) {
    const m = (v: string) => formatMoney(v, e.currency);
    const when = e.issuedAt ? `issued ${e.issuedAt.slice(0, 16).replace('T', ' ')} by ${e.issuedBy}` : 'pending (dry run)';
    const now = r.issuedNow.includes(e.entry) ? (r.dryRun ? ' [would be issued now]' : ' [issued now]') : '';
    const carried = [...new Set(e.lines.filter((l) => l.booksPeriod !== r.period).map((l) => l.booksPeriod))];
    out.push(
      `${e.sequence === 0 ? 'Entry' : 'Adjusting entry'} ${e.entry}${now}, ${basis}, ${when}: ${e.lines.length - 1} debit line(s), debits ${m(e.debitTotal)} = credits ${m(e.creditTotal)}${e.sequence === 0 ? `; not charged (no known cost center): ${m(e.notCharged)}` : ''}${carried.length > 0 ? `; carries post-close adjustments of ${carried.join(', ')}` : ''}`,
    );
  }
  if (r.issuedNow.length === 0 && r.entries.length > 0) out.push(`Nothing changed since the last entry: no new entry${r.dryRun ? ' would be' : ' was'} issued.`);
  for (const p of r.postClose) {
    const m = (v: string) => formatMoney(v, p.currency);
    out.push(
      '',
      `Post-close adjustments of ${r.period}, ${p.currency} (changes since close; booked in ${r.closed?.adjustmentsBookedIn ?? 'the first open month'}'s chargeback${p.bookedIn.length > 0 ? `, so far in ${p.bookedIn.join(', ')}` : ''})`,
      textTable(
        ['cost center', 'account', 'adjustment', 'booked', 'outstanding'],
        p.lines.map((l) => [l.costCenter, l.account, m(l.adjustment), m(l.booked), m(l.outstanding)]),
        [2, 3, 4],
      ),
    );
  }
  if (r.file) out.push(`Journal written to ${r.file} (every entry of ${r.period})`);
  for (const c of r.reconciliation) {
    const m = (v: string) => formatMoney(v, c.currency);
    const withPostClose = c.costCenters.some((l) => l.postClose !== '0');
    const withNotCharged = c.total.notCharged !== '0';
    const row = (label: string, l: (typeof c)['total']) => [
      label,
      m(l.chargeback),
      m(l.gl),
      m(l.difference),
      m(l.timing),
      m(l.basis),
      ...(withPostClose ? [m(l.postClose)] : []),
      ...(withNotCharged ? [m(l.notCharged)] : []),
      m(l.unexplained),
    ];
    const extra = (withPostClose ? 1 : 0) + (withNotCharged ? 1 : 0);
    out.push(
      '',
      `Reconciliation with GL actuals for ${r.period}, ${c.currency} (chargeback = the sum of the period's entries; difference = chargeback - GL)`,
      textTable(
        ['cost center', 'chargeback', 'GL', 'difference', 'timing', 'basis', ...(withPostClose ? ['post-close'] : []), ...(withNotCharged ? ['not charged: unattributed'] : []), 'unexplained'],
        [...c.costCenters.map((l) => row(l.costCenter, l)), row('total', c.total)],
        Array.from({ length: 6 + extra }, (_, i) => i + 1),
      ),
    );
    const unattributed = c.unattributedNotCharged ?? '0';
    if (unattributed !== '0') {
      out.push(
        c.notChargedOn
          ? `"not charged: unattributed" = ${m(unattributed)}: spend no known cost center accounts for, booked in the GL on ${c.notChargedOn} (COSTBRIDGE_UNATTRIBUTED_COST_CENTER) but charged to nobody. Timing is matched by invoice on the GL's cost center, as in \`costbridge variance\`'s FOCUS vs GL.`
          : `not charged: unattributed  ${m(unattributed)} (spend no known cost center accounts for, charged to nobody; the GL books it on a cost center costbridge was not told: its line above shows it as unexplained). Set COSTBRIDGE_UNATTRIBUTED_COST_CENTER to that cost center to reconcile it there.`,
      );
    }
  }
  return out.join('\n');
}
