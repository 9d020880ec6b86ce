import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { closePeriod, type PeriodFailure } from '../../app/close-period.js';
import { listPeriods } from '../../app/list-periods.js';
import { reopenPeriod } from '../../app/reopen-period.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { formatMoney } from '../../domain/money.js';
import { describeClosure } from '../../domain/period-close.js';
import type { StoredClosure } from '../../store/period-closes.js';
import { textTable } from '../text-table.js';

function fail(f: PeriodFailure): never {
  throw new CostbridgeError(f.code === 'FORBIDDEN' ? 'FORBIDDEN' : f.code === 'INPUT_INVALID' ? 'INPUT_INVALID' : 'CONFLICT', f.message);
}

/** A close as JSON. */
export function closureJson(c: StoredClosure) {
  return {
    period: c.period,
    status: c.reopenedAt === null ? 'closed' : 'reopened',
    closureId: c.id,
    closedAt: c.closedAt,
    closedBy: c.closedBy,
    surface: c.surface,
    poolsFile: c.poolsFile,
    totals: c.totals,
    reopenedAt: c.reopenedAt,
    reopenedBy: c.reopenedBy,
    reopenReason: c.reopenReason,
  };
}

/** `costbridge period close|reopen|list`: finance closes a month and its figures stop moving. */
export function registerPeriod(program: Command, ctx: CliContext): void {
  const period = program.command('period').description('close a billing month (its figures stop moving; later changes are post-close adjustments), reopen it, list closes');
  period
    .command('close')
    .description('close a billing month (itfm or admin): freeze its figures for report, showback, chargeback, variance and handoff')
    .argument('<YYYY-MM>', 'billing month')
    .option('--as <user>', 'who closes it (an itfm or admin person)')
    .option('--json', 'print JSON on stdout')
    .action(async (month: string, opts: { as?: string; json?: boolean }) => {
      const r = await closePeriod(await ctx.store(), {
        period: parseBillingMonth(month, 'the month'),
        actor: await ctx.actor(opts.as),
        surface: 'cli',
        sharedPoolsFile: ctx.config.attribution.sharedPoolsFile,
      });
      if (!r.ok) fail(r);
      for (const w of r.warnings) ctx.io.err(`costbridge: warning: ${w}`);
      if (opts.json) {
        ctx.io.out(JSON.stringify({ ok: true, ...closureJson(r.closure), warnings: r.warnings }));
        return;
      }
      const totals = r.closure.totals.map((t) => `${formatMoney(t.billed, t.currency)} billed, ${formatMoney(t.effective, t.currency)} effective over ${t.lines} line(s)`);
      ctx.io.out(
        [
          `${describeClosure(r.closure)}: its figures are frozen${totals.length > 0 ? ` (${totals.join('; ')})` : ''}.`,
          'Reports of it now answer with these figures; later changes are shown beside them as post-close adjustments and booked in the first open month\'s chargeback.',
        ].join('\n'),
      );
    });
  period
    .command('reopen')
    .description('reopen a closed month (admin), with a reason: its reports read the live lines again')
    .argument('<YYYY-MM>', 'billing month')
    .requiredOption('--reason <text>', 'why it is reopened')
    .option('--as <user>', 'who reopens it (an admin)')
    .option('--json', 'print JSON on stdout')
    .action(async (month: string, opts: { reason: string; as?: string; json?: boolean }) => {
      const r = await reopenPeriod(await ctx.store(), { period: parseBillingMonth(month, 'the month'), reason: opts.reason, actor: await ctx.actor(opts.as), surface: 'cli' });
      if (!r.ok) fail(r);
      if (opts.json) ctx.io.out(JSON.stringify({ ok: true, ...closureJson(r.closure) }));
      else ctx.io.out(`${r.closure.period} reopened by ${r.closure.reopenedBy} (${r.closure.reopenReason}); it was ${describeClosure(r.closure).replace(/^\S+ \d{4} /, '')}.`);
    });
  period
    .command('list')
    .description('closed months, and closes reopened since, newest first')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { json?: boolean }) => {
      const closures = await listPeriods(await ctx.store());
      if (opts.json) {
        ctx.io.out(JSON.stringify({ periods: closures.map(closureJson) }));
        return;
      }
      if (closures.length === 0) {
        ctx.io.out('No month is closed. Close one with: costbridge period close YYYY-MM --as YOU');
        return;
      }
      ctx.io.out(
        textTable(
          ['period', 'status', 'closed', 'by', 'reopened', 'by', 'reason'],
          closures.map((c) => [
            c.period,
            c.reopenedAt === null ? 'closed' : 'reopened',
            c.closedAt.slice(0, 16).replace('T', ' '),
            c.closedBy,
            c.reopenedAt?.slice(0, 16).replace('T', ' ') ?? '',
            c.reopenedBy ?? '',
            c.reopenReason ?? '',
          ]),
        ),
      );
    });
}
