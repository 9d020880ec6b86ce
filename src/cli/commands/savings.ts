import type { Command } from 'commander';
import { estimateVersusMeasured } from '../../domain/saving-measurement.js';
import { formulaSafeCsv } from '../../output/formula-safe-csv.js';
import type { CliContext } from '../cli-context.js';
import { textTable } from '../text-table.js';
import { CostbridgeError, type ErrorCode } from '../../domain/costbridge-error.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { Money, formatMoney } from '../../domain/money.js';
import {
  parseCalendarDate,
  parseCurrencyCode,
  parsePositiveAmount,
  parseReferenceCost,
  parseSavingFilters,
  parseSavingLever,
  parseSavingStatus,
  parseSavingType,
  parseUsageBasis,
  savingFilterFields,
  savingLevers,
  type Saving,
} from '../../domain/saving.js';
import { proposeSaving } from '../../app/propose-saving.js';
import { validateSaving } from '../../app/validate-saving.js';
import { recognizeSaving } from '../../app/recognize-saving.js';
import { approveSaving } from '../../app/approve-saving.js';
import { rejectSaving } from '../../app/reject-saving.js';
import { reverseSaving } from '../../app/reverse-saving.js';
import { withdrawSaving } from '../../app/withdraw-saving.js';
import { showSaving, type SavingView } from '../../app/show-saving.js';
import { listSavingItems } from '../../app/list-savings.js';
import { savingsLedger, type SavingsLedger } from '../../app/savings-ledger.js';
import type { SavingDecision, SavingFailure } from '../../app/saving-decision.js';

const collect = (value: string, previous: string[]) => [...previous, value];

const failureCodes: Record<SavingFailure['code'], ErrorCode> = {
  FORBIDDEN: 'FORBIDDEN',
  SEGREGATION_OF_DUTIES: 'FORBIDDEN',
  ILLEGAL_TRANSITION: 'CONFLICT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INPUT_INVALID: 'INPUT_INVALID',
  CURRENCY_MISMATCH: 'CONFLICT',
};

/** Turns a refusal into the CLI's error (message on stderr, exit 1), keeping the stable code visible. */
function fail(f: SavingFailure): never {
  throw new CostbridgeError(failureCodes[f.code], f.message, [`code: ${f.code}`]);
}

function version(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text.trim())) throw new CostbridgeError('INPUT_INVALID', `--expect-version must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text.trim());
}

function month(text: string | undefined, what: string): string | undefined {
  return text === undefined ? undefined : parseBillingMonth(text, what).key;
}

function amountText(s: Saving, amount: string | null): string {
  return amount === null ? '-' : formatMoney(amount, s.currency);
}

function decisionText(d: SavingDecision, verb: string): string {
  const s = d.saving;
  const lines = [
    d.alreadyDone
      ? `${s.id} was already ${s.status} by this person with the same decision; nothing changed (version ${s.version})`
      : `${s.id} ${verb}: now ${s.status} (version ${s.version})`,
  ];
  if (s.recognizedMonthly !== null && (s.status === 'validated' || s.status === 'recognized')) {
    lines.push(`recognized monthly amount ${amountText(s, s.recognizedMonthly)}${s.recognizedFrom ? ` from ${s.recognizedFrom}` : ''}`);
  }
  if (d.revisions.length > 0) {
    lines.push(`budget revisions written: ${d.revisions.map((r) => `${r.month} ${formatMoney(r.amount, r.currency)}`).join(', ')}`);
  }
  for (const w of d.warnings) lines.push(`note: ${w}`);
  if (d.overlaps.length > 0) lines.push(`WARNING: overlaps validated/recognized saving(s) ${d.overlaps.join(', ')}: the same dollars may be counted twice`);
  return lines.join('\n');
}

function decisionJson(d: SavingDecision) {
  return { ok: true, alreadyDone: d.alreadyDone, saving: d.saving, revisions: d.revisions, overlaps: d.overlaps, warnings: d.warnings };
}

function filtersText(s: Saving): string {
  const parts = Object.entries(s.filters).flatMap(([field, values]) => values.map((v) => `${field}=${v}`));
  return parts.length > 0 ? parts.join(', ') : '(none: every line of the cost center)';
}

function showText(v: SavingView): string {
  const s = v.saving;
  const m = v.measurement;
  const out: string[] = [];
  out.push(`${s.id}  ${s.title}  [${s.status}, version ${s.version}]`);
  out.push(`${s.lever} (${s.leverKind} lever), cost ${s.type}, cost center ${s.costCenter}${s.category ? `, category ${s.category}` : ''}`);
  out.push(`scope: ${filtersText(s)}`);
  out.push(`effective ${s.effectiveDate}${s.endDate ? ` to ${s.endDate}` : ' (open-ended)'}; estimate ${amountText(s, s.estimateMonthly)}/month`);
  if (s.recognizedMonthly !== null) out.push(`validated at ${amountText(s, s.recognizedMonthly)}/month by ${s.approver}${s.recognizedFrom ? `; recognized from ${s.recognizedFrom} by ${s.recognizedBy}` : ''}`);
  if (s.closedBy) out.push(`${s.status} by ${s.closedBy}${s.rejectReason ? `: ${s.rejectReason}` : ''}`);
  out.push(`proposer: ${s.proposer}`);
  out.push(`evidence: ${s.evidence ?? '(none)'}`);
  out.push(
    v.overlaps.length === 0
      ? 'overlaps: none'
      : `WARNING: overlaps ${v.overlaps.map((o) => `${o.id} (${o.status}, ${o.lever}, ${o.costCenter}: ${o.title})`).join('; ')}`,
  );
  out.push('');
  out.push(`Estimate vs measured (${s.currency}, ${m.method} method):`);
  if (m.months.length === 0) {
    out.push('  no month to measure yet');
  } else {
    const extra = m.method === 'rate' ? ['gross', 'unused', 'difference'] : ['cost in scope', 'daily rate', 'difference', 'price effect'];
    const rows = m.months.map((x) => [
      x.month, String(x.days), x.estimate, x.measured,
      ...(m.method === 'rate' ? [x.gross ?? '', x.unused ?? ''] : [x.cost ?? '', x.dailyRate ?? '']),
      new Money(x.measured).minus(x.estimate).toFixed(),
      ...(m.method === 'usage' ? [x.priceEffect ?? '0'] : []),
    ]);
    const t = estimateVersusMeasured(m)!;
    rows.push(['total', '', t.estimate, t.measured, '', '', t.difference, ...(m.method === 'usage' ? [t.priceEffect ?? '0'] : [])]);
    out.push(textTable(['month', 'days', 'estimate', 'measured', ...extra], rows, [1, 2, 3, 4, 5, 6, 7]));
    out.push(
      `estimate ${amountText(s, t.estimate)}, measured ${amountText(s, t.measured)}, difference ${amountText(s, t.difference)} over ${t.months} month(s)` +
        (t.priceEffect !== null ? `; price effect (not this saving) ${amountText(s, t.priceEffect)}` : ''),
    );
  }
  out.push('Assumptions:');
  for (const a of m.assumptions) out.push(`- ${a}`);
  if (v.revisions.length > 0) {
    out.push('');
    out.push('Budget revisions:');
    out.push(
      textTable(
        ['id', 'month', 'cost center', 'category', 'amount', 'reverses', 'reversed by'],
        v.revisions.map((r) => [String(r.id), r.month, r.costCenter, r.category || '(none)', formatMoney(r.amount, r.currency), r.reverses === null ? '' : String(r.reverses), r.reversedBy === null ? '' : String(r.reversedBy)]),
        [4],
      ),
    );
  }
  out.push('');
  out.push('History:');
  out.push(textTable(['at', 'actor', 'surface', 'action'], v.history.map((h) => [h.at, h.actor, h.surface, h.action])));
  return out.join('\n');
}

const ledgerColumns = ['month', 'cost_center', 'category', 'currency', 'reduction', 'avoidance', 'budget_revision', 'original_budget', 'revised_budget'] as const;

function ledgerJson(l: SavingsLedger) {
  return {
    year: l.year,
    rows: l.rows,
    savings: l.savings.map(({ saving: s, months }) => ({
      id: s.id, title: s.title, type: s.type, lever: s.lever, costCenter: s.costCenter, category: s.category, currency: s.currency,
      recognizedMonthly: s.recognizedMonthly, recognizedFrom: s.recognizedFrom, approver: s.approver, recognizedBy: s.recognizedBy, months,
    })),
    revisions: l.revisions,
  };
}

function ledgerText(l: SavingsLedger): string {
  if (l.rows.length === 0) return `No recognized savings or budget revisions in ${l.year}.`;
  const cell = (v: string | null, c: string) => (v === null ? '-' : formatMoney(v, c));
  return [
    `Savings ledger ${l.year} (budget year = calendar year; avoidance never lowers a budget)`,
    textTable(
      ['month', 'cost center', 'category', 'reduction', 'avoidance', 'budget revision', 'original budget', 'revised budget'],
      l.rows.map((r) => [r.month, r.costCenter, r.category || '(none)', cell(r.reduction, r.currency), cell(r.avoidance, r.currency), cell(r.budgetRevision, r.currency), cell(r.originalBudget, r.currency), cell(r.revisedBudget, r.currency)]),
      [3, 4, 5, 6, 7],
    ),
    '',
    `Recognized savings: ${l.savings.map(({ saving: s }) => `${s.id} (${s.type}, ${s.costCenter}, ${formatMoney(s.recognizedMonthly!, s.currency)}/month from ${s.recognizedFrom})`).join('; ') || 'none'}`,
    `Budget revision rows: ${l.revisions.length} (${l.revisions.filter((r) => r.reverses !== null).length} reversals)`,
  ].join('\n');
}

/** `costbridge savings ...`: the savings ledger FinOps proposes into and ITFM recognizes from. */
export function registerSavings(program: Command, ctx: CliContext): void {
  const savings = program.command('savings').description('savings: proposed by FinOps, measured from the data, recognized by ITFM');

  savings
    .command('propose')
    .description('propose a saving (starts "proposed"); prints overlaps with validated or recognized savings')
    .requiredOption('--title <text>', 'what the saving is')
    .requiredOption('--lever <lever>', `one of ${savingLevers.join(', ')}`)
    .requiredOption('--type <type>', 'reduction (lowers current spend and the budget) or avoidance (prevents a cost not budgeted)')
    .requiredOption('--cost-center <code>', 'cost center where the saving is recognized (and whose lines are measured)')
    .option('--category <name>', 'budget category recognition lowers (default: uncategorised)')
    .option('--filter <field=value>', `scope filter, repeatable (same field twice = either value); fields: ${savingFilterFields.map((f) => f.name).join(', ')}`, collect, [])
    .requiredOption('--effective <YYYY-MM-DD>', 'first day the saving applies')
    .option('--end <YYYY-MM-DD>', 'last day it applies (default: open-ended)')
    .requiredOption('--estimate <amount>', 'estimated saving per month')
    .option('--currency <code>', "default: the currency of the cost center's budget")
    .option('--baseline-start <YYYY-MM-DD>', 'usage levers: first day of the baseline window (default: 30 days before --effective)')
    .option('--baseline-end <YYYY-MM-DD>', 'usage levers: last day of the baseline window (default: the day before --effective)')
    .option('--basis <basis>', 'usage levers: effective (default) or billed cost')
    .option('--reference <cost>', 'rate levers: list or contracted cost the effective cost is compared with (default: contracted for commitment-discount, else list)')
    .option('--evidence <text>', 'free text or a link supporting the estimate')
    .option('--as <user>', 'who proposes (a person in costbridge people)')
    .option('--json', 'print JSON on stdout')
    .action(async (o: Record<string, string | string[] | boolean | undefined>) => {
      const s = (k: string) => o[k] as string | undefined;
      const result = await proposeSaving(await ctx.store(), {
        title: s('title')!,
        lever: parseSavingLever(s('lever')!),
        type: parseSavingType(s('type')!),
        costCenter: s('costCenter')!.trim(),
        ...(s('category') !== undefined ? { category: s('category') } : {}),
        filters: parseSavingFilters(o.filter as string[]),
        effectiveDate: parseCalendarDate(s('effective')!, '--effective'),
        ...(s('end') !== undefined ? { endDate: parseCalendarDate(s('end')!, '--end') } : {}),
        estimateMonthly: parsePositiveAmount(s('estimate')!, '--estimate'),
        ...(s('currency') !== undefined ? { currency: parseCurrencyCode(s('currency')!) } : {}),
        ...(s('baselineStart') !== undefined ? { baselineStart: parseCalendarDate(s('baselineStart')!, '--baseline-start') } : {}),
        ...(s('baselineEnd') !== undefined ? { baselineEnd: parseCalendarDate(s('baselineEnd')!, '--baseline-end') } : {}),
        ...(s('basis') !== undefined ? { basis: parseUsageBasis(s('basis')!) } : {}),
        ...(s('reference') !== undefined ? { referenceCost: parseReferenceCost(s('reference')!) } : {}),
        ...(s('evidence') !== undefined ? { evidence: s('evidence') } : {}),
        actor: await ctx.actor(s('as')),
        surface: 'cli',
      });
      if (!result.ok) fail(result);
      if (o.json) {
        ctx.io.out(JSON.stringify({ ok: true, alreadyDone: result.alreadyDone, saving: result.saving, overlaps: result.overlaps }));
        return;
      }
      const sv = result.saving;
      const lines = [`${sv.id} proposed: ${sv.title} (${sv.lever}, ${sv.type}, ${sv.costCenter}, estimate ${formatMoney(sv.estimateMonthly, sv.currency)}/month from ${sv.effectiveDate})`];
      if (result.overlaps.length > 0) lines.push(`WARNING: overlaps validated/recognized saving(s) ${result.overlaps.join(', ')}: the same dollars may be counted twice; the approver will see this`);
      ctx.io.out(lines.join('\n'));
    });

  const decision = (name: string, description: string) =>
    savings
      .command(name)
      .description(description)
      .argument('<id>', 'saving id, e.g. SAV-0001')
      .option('--as <user>', 'who decides (a person in costbridge people)')
      .option('--expect-version <n>', 'refuse if the saving changed since this version (as shown by savings show)')
      .option('--json', 'print JSON on stdout');

  decision('validate', 'itfm: validate a proposed saving with the monthly amount recognized (may differ from the estimate)')
    .requiredOption('--amount <amount>', 'recognized monthly amount')
    .action(async (id: string, o: { amount: string; as?: string; expectVersion?: string; json?: boolean }) => {
      const r = await validateSaving(await ctx.store(), {
        id, amount: parsePositiveAmount(o.amount, '--amount'), actor: await ctx.actor(o.as), surface: 'cli', expectedVersion: version(o.expectVersion),
      });
      if (!r.ok) fail(r);
      ctx.io.out(o.json ? JSON.stringify(decisionJson(r)) : decisionText(r, 'validated'));
    });

  decision('recognize', 'itfm: recognize a validated saving from a month: lowers the forward budget to the end of the budget year (not for avoidance)')
    .requiredOption('--from <YYYY-MM>', 'first budget month lowered')
    .action(async (id: string, o: { from: string; as?: string; expectVersion?: string; json?: boolean }) => {
      const r = await recognizeSaving(await ctx.store(), {
        id, from: month(o.from, '--from')!, actor: await ctx.actor(o.as), surface: 'cli', expectedVersion: version(o.expectVersion),
      });
      if (!r.ok) fail(r);
      ctx.io.out(o.json ? JSON.stringify(decisionJson(r)) : decisionText(r, 'recognized'));
    });

  decision('approve', 'itfm: validate and recognize in one step')
    .option('--amount <amount>', 'recognized monthly amount (default: the validated amount, else the estimate)')
    .option('--from <YYYY-MM>', 'first budget month lowered (default: the later of the effective month and this month)')
    .action(async (id: string, o: { amount?: string; from?: string; as?: string; expectVersion?: string; json?: boolean }) => {
      const r = await approveSaving(await ctx.store(), {
        id,
        ...(o.amount !== undefined ? { amount: parsePositiveAmount(o.amount, '--amount') } : {}),
        ...(o.from !== undefined ? { from: month(o.from, '--from')! } : {}),
        now: new Date(),
        timezone: ctx.config.timezone,
        actor: await ctx.actor(o.as),
        surface: 'cli',
        expectedVersion: version(o.expectVersion),
      });
      if (!r.ok) fail(r);
      ctx.io.out(o.json ? JSON.stringify(decisionJson(r)) : decisionText(r, 'approved'));
    });

  decision('reject', 'itfm: reject a proposed or validated saving with a reason (a recognized one is reversed first: savings reverse)')
    .requiredOption('--reason <text>', 'why')
    .action(async (id: string, o: { reason: string; as?: string; expectVersion?: string; json?: boolean }) => {
      if (o.reason.trim() === '') throw new CostbridgeError('INPUT_INVALID', '--reason is empty');
      const r = await rejectSaving(await ctx.store(), { id, reason: o.reason, actor: await ctx.actor(o.as), surface: 'cli', expectedVersion: version(o.expectVersion) });
      if (!r.ok) fail(r);
      ctx.io.out(o.json ? JSON.stringify(decisionJson(r)) : decisionText(r, 'rejected'));
    });

  decision('reverse', "itfm: undo a saving's recognition (its budget revisions are reversed; it is validated again, to reject or recognize anew)")
    .requiredOption('--reason <text>', 'why the recognition is undone')
    .action(async (id: string, o: { reason: string; as?: string; expectVersion?: string; json?: boolean }) => {
      if (o.reason.trim() === '') throw new CostbridgeError('INPUT_INVALID', '--reason is empty');
      const r = await reverseSaving(await ctx.store(), { id, reason: o.reason, actor: await ctx.actor(o.as), surface: 'cli', expectedVersion: version(o.expectVersion) });
      if (!r.ok) fail(r);
      ctx.io.out(o.json ? JSON.stringify(decisionJson(r)) : decisionText(r, 'reversed (validated again)'));
    });

  decision('withdraw', 'the proposer withdraws their proposed or validated saving').action(
    async (id: string, o: { as?: string; expectVersion?: string; json?: boolean }) => {
      const r = await withdrawSaving(await ctx.store(), { id, actor: await ctx.actor(o.as), surface: 'cli', expectedVersion: version(o.expectVersion) });
      if (!r.ok) fail(r);
      ctx.io.out(o.json ? JSON.stringify(decisionJson(r)) : decisionText(r, 'withdrawn'));
    },
  );

  savings
    .command('list')
    .description('savings with their measured amount per month and overlaps')
    .option('--status <status>', 'proposed, validated, recognized, rejected or withdrawn')
    .option('--period <YYYY-MM>', 'only savings in effect that month, measured for that month')
    .option('--json', 'print JSON on stdout')
    .action(async (o: { status?: string; period?: string; json?: boolean }) => {
      const items = await listSavingItems(await ctx.store(), {
        ...(o.status !== undefined ? { status: parseSavingStatus(o.status) } : {}),
        ...(o.period !== undefined ? { period: parseBillingMonth(o.period) } : {}),
      });
      if (o.json) {
        ctx.io.out(
          JSON.stringify({
            items: items.map(({ saving: s, measured, overlaps }) => ({
              id: s.id, title: s.title, lever: s.lever, type: s.type, status: s.status, costCenter: s.costCenter,
              estimateMonthly: s.estimateMonthly, measured, recognizedMonthly: s.recognizedMonthly, proposer: s.proposer, approver: s.approver, overlaps,
            })),
          }),
        );
        return;
      }
      if (items.length === 0) {
        ctx.io.out('No savings match. Propose one with: costbridge savings propose --help');
        return;
      }
      ctx.io.out(
        textTable(
          ['id', 'status', 'lever', 'type', 'cost center', 'estimate/month', 'measured (total)', 'recognized/month', 'overlaps', 'title'],
          items.map(({ saving: s, measured, overlaps }) => {
            const values = Object.values(measured);
            const total = values.length === 0 ? '-' : formatMoney(values.reduce((a, b) => a.plus(b), new Money(0)).toFixed(), s.currency);
            return [s.id, s.status, s.lever, s.type, s.costCenter, formatMoney(s.estimateMonthly, s.currency), total, amountText(s, s.recognizedMonthly), overlaps.join(',') || '-', s.title];
          }),
          [5, 6, 7],
        ),
      );
    });

  savings
    .command('show')
    .description('one saving: estimate vs measured by month, assumptions, overlaps, evidence, budget revisions, history')
    .argument('<id>', 'saving id, e.g. SAV-0001')
    .option('--json', 'print JSON on stdout')
    .action(async (id: string, o: { json?: boolean }) => {
      const v = await showSaving(await ctx.store(), { id });
      if (!v.ok) fail(v);
      ctx.io.out(o.json ? JSON.stringify({ saving: v.saving, measurement: v.measurement, overlaps: v.overlaps, revisions: v.revisions, history: v.history }) : showText(v));
    });

  savings
    .command('ledger')
    .description('recognized savings by month and cost center (reduction and avoidance apart) and the budget revisions they produced')
    .requiredOption('--year <YYYY>', 'budget (calendar) year')
    .option('--json', 'print JSON on stdout')
    .option('--csv', 'print CSV on stdout: one row per month, cost center, category and currency')
    .action(async (o: { year: string; json?: boolean; csv?: boolean }) => {
      if (!/^\d{4}$/.test(o.year.trim())) throw new CostbridgeError('INPUT_INVALID', `--year must be a year like 2026, got ${JSON.stringify(o.year)}`);
      if (o.json && o.csv) throw new CostbridgeError('INPUT_INVALID', 'give --json or --csv, not both');
      const l = await savingsLedger(await ctx.store(), { year: Number(o.year.trim()) });
      if (o.json) ctx.io.out(JSON.stringify(ledgerJson(l)));
      else if (o.csv) {
        ctx.io.out(
          formulaSafeCsv([
            [...ledgerColumns],
            ...l.rows.map((r) => [r.month, r.costCenter, r.category, r.currency, r.reduction, r.avoidance, r.budgetRevision, r.originalBudget ?? '', r.revisedBudget ?? '']),
          ]),
        );
      } else ctx.io.out(ledgerText(l));
    });
}
