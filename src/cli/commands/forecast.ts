import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { backtestForecast, type BacktestReport } from '../../app/backtest-forecast.js';
import { forecastPeriod, type ForecastReport } from '../../app/forecast-period.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { parseIsoDay } from '../../domain/forecast-calendar.js';
import { plannedSavingEffectText } from '../../domain/forecast-planned-savings.js';
import { formatMoney, Money } from '../../domain/money.js';
import { parseCostBasis } from '../../domain/spend-dimensions.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { textTable } from '../text-table.js';

/** Today (UTC) from the clock: only the CLI layer reads it. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** `costbridge forecast` and `forecast backtest`: the run-rate projection and its accuracy. */
export function registerForecast(program: Command, ctx: CliContext): void {
  const forecast = program
    .command('forecast')
    .description('project each cost center\'s period-end actual: month to date + trailing daily run rate, baseline vs with planned savings')
    .enablePositionalOptions()
    .option('--period <YYYY-MM>', 'billing month (required)')
    .option('--as-of <YYYY-MM-DD>', 'data before this day is known (default: today, UTC)')
    .option('--basis <basis>', 'effective (amortized) or billed (invoiced)', 'effective')
    .option('--scope <cost-center>', 'only this cost center, or (unattributed)')
    .option('--include-proposed', 'deduct proposed savings too (default: only validated and recognized; proposed are shown as potential)')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { period?: string; asOf?: string; basis: string; scope?: string; includeProposed?: boolean; json?: boolean }) => {
      if (!opts.period) throw new CostbridgeError('INPUT_INVALID', '--period <YYYY-MM> is required');
      const report = await forecastPeriod(await ctx.store(), {
        period: parseBillingMonth(opts.period),
        asOf: opts.asOf === undefined ? todayUtc() : parseIsoDay(opts.asOf),
        basis: parseCostBasis(opts.basis),
        windowDays: ctx.config.variance.forecastWindowDays,
        scope: opts.scope,
        includeProposed: opts.includeProposed === true,
      });
      ctx.io.out(opts.json ? JSON.stringify(report) : forecastText(report));
    });

  forecast
    .command('backtest')
    .description('what the run-rate method would have projected at each day of a closed period vs the actual (MAPE)')
    .requiredOption('--period <YYYY-MM>', 'a closed billing month')
    .option('--basis <basis>', 'effective or billed', 'effective')
    .option('--as-of <YYYY-MM-DD>', 'today: the period must have ended by then (default: today, UTC)')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { period: string; basis: string; asOf?: string; json?: boolean }) => {
      const report = await backtestForecast(await ctx.store(), {
        period: parseBillingMonth(opts.period),
        basis: parseCostBasis(opts.basis),
        windowDays: ctx.config.variance.forecastWindowDays,
        today: opts.asOf === undefined ? todayUtc() : parseIsoDay(opts.asOf),
      });
      ctx.io.out(opts.json ? JSON.stringify(report) : backtestText(report));
    });
}

function forecastText(r: ForecastReport): string {
  const a = r.assumptions;
  const head = [
    `Forecast ${r.period} as of ${a.asOf}, ${r.basis === 'effective' ? 'EffectiveCost' : 'BilledCost'}: ${a.elapsedDays} of ${a.daysInPeriod} days elapsed, ${a.remainingDays} to go`,
    ...a.statements.map((s) => `  - ${s}`),
  ];
  if (r.rows.length === 0) return [...head, '', 'No cost lines in the period or its run-rate window.'].join('\n');
  const table = textTable(
    ['cost center', 'month to date', 'known items', 'daily run rate', 'baseline', 'planned savings', 'with planned actions'],
    r.rows.map((x) => [
      x.scope,
      formatMoney(x.monthToDate, x.currency),
      formatMoney(x.knownItems, x.currency),
      formatMoney(x.dailyRunRate, x.currency),
      formatMoney(x.baseline, x.currency),
      formatMoney(x.plannedReduction, x.currency),
      formatMoney(x.withPlannedActions, x.currency),
    ]).concat(
      r.totals.map((t) => [
        r.totals.length > 1 ? `total ${t.currency}` : 'total',
        formatMoney(t.monthToDate, t.currency),
        '',
        '',
        formatMoney(t.baseline, t.currency),
        formatMoney(t.plannedReduction, t.currency),
        formatMoney(t.withPlannedActions, t.currency),
      ]),
    ),
    [1, 2, 3, 4, 5, 6],
  );
  const line = (x: ForecastReport['rows'][number], s: ForecastReport['rows'][number]['plannedSavings'][number]) =>
    `  ${x.scope}: ${s.saving.id} ${s.saving.title} (${s.saving.status}, from ${s.saving.effectiveDate}): ${plannedSavingEffectText(s, x.currency)} over ${s.days} day(s) in effect` +
    (s.inWindowDays > 0 ? `; already in the run rate for ${s.inWindowDays} of ${a.windowDays} window day(s)${new Money(s.reduction).isZero() ? ', so nothing more is deducted' : ''}` : '');
  const applied = r.rows.flatMap((x) => x.plannedSavings.map((s) => line(x, s)));
  const potential = r.rows.flatMap((x) => x.potentialSavings.map((s) => line(x, s)));
  return [
    ...head, '', table,
    ...(applied.length ? ['', 'Savings applied (deducted):', ...applied] : []),
    ...(potential.length ? ['', 'Potential savings (proposed, not deducted):', ...potential] : []),
  ].join('\n');
}

function backtestText(r: BacktestReport): string {
  const pct = (v: string | null) => (v === null ? 'n/a' : `${(Number(v) * 100).toFixed(1)} %`);
  return [
    `Backtest of the run-rate forecast over ${r.period} (${r.basis === 'effective' ? 'EffectiveCost' : 'BilledCost'}, ${r.windowDays}-day window): projected as of each day vs the actual`,
    textTable(
      ['cost center', 'actual', 'MAPE'],
      [...r.total, ...r.rows].map((x) => [x.scope, formatMoney(x.actual, x.currency), pct(x.mape)]),
      [1, 2],
    ),
  ].join('\n');
}
