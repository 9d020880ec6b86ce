import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { buildHandoff, type Handoff, type HandoffTotal } from '../../app/build-handoff.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { parseIsoDay } from '../../domain/forecast-calendar.js';
import { plannedSavingEffectText } from '../../domain/forecast-planned-savings.js';
import { formatMoney } from '../../domain/money.js';
import { rollupLabel, unattributedScope } from '../../domain/cost-center-rollup.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { textTable } from '../text-table.js';
import { keyEffectJson } from './variance.js';
import { todayUtc } from './forecast.js';

/** `costbridge handoff`: the pre-close package FinOps hands to ITFM. */
export function registerHandoff(program: Command, ctx: CliContext): void {
  program
    .command('handoff')
    .description('pre-close package per cost center: projected period end, budget, ITFM forecast, drivers, planned actions, open variances')
    .requiredOption('--period <YYYY-MM>', 'billing month about to close')
    .option('--as-of <YYYY-MM-DD>', 'data before this day is known (default: today, UTC)')
    .option('--drivers <n>', 'top price keys per cost center', '5')
    .option('--no-rollup', 'list every cost center on its own instead of rolling descendants into their parents')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { period: string; asOf?: string; drivers: string; rollup: boolean; json?: boolean }) => {
      if (!/^\d{1,4}$/.test(opts.drivers)) throw new CostbridgeError('INPUT_INVALID', `--drivers must be a whole number, got ${JSON.stringify(opts.drivers)}`);
      const handoff = await buildHandoff(await ctx.store(), {
        period: parseBillingMonth(opts.period),
        asOf: opts.asOf === undefined ? todayUtc() : parseIsoDay(opts.asOf),
        windowDays: ctx.config.variance.forecastWindowDays,
        businessDays: ctx.config.variance.handoffBusinessDays,
        materiality: { amount: ctx.config.variance.materialityAmount, share: ctx.config.variance.materialityShare },
        drivers: Number(opts.drivers),
        rollup: opts.rollup,
        unattributedCostCenter: ctx.config.attribution.unattributedCostCenter,
      });
      ctx.io.out(opts.json ? JSON.stringify(handoffJson(handoff)) : handoffText(handoff));
    });
}

/** The documented JSON of `costbridge handoff`. */
export function handoffJson(h: Handoff) {
  return {
    ...h,
    rows: h.rows.map((r) => ({ ...r, drivers: r.drivers ? { ...r.drivers, keys: r.drivers.keys.map(keyEffectJson) } : null })),
  };
}

function handoffText(h: Handoff): string {
  const postClose = h.rows.some((r) => r.postCloseAdjustment !== null && r.postCloseAdjustment !== '0');
  const bridged = h.rows.some((r) => r.includesUnattributed !== null || r.carriedBy !== null);
  // The money columns of a row or a total; `compared` only when some row is bridged.
  const amounts = (x: HandoffTotal, compared: string) =>
    [x.monthToDate, x.projected, x.projectedWithPlannedActions, ...(bridged ? [compared] : []), x.budget, x.itfmForecast, x.differenceToBudget, x.differenceToForecast].map(
      (v) => formatMoney(v, x.currency),
    );
  const label = (r: { costCenter: string; depth: number; children: number }) => {
    const incl = rollupLabel(r.children);
    return `${'  '.repeat(r.depth)}${r.costCenter}${incl ? ` (${incl})` : ''}`;
  };
  const out = [
    ...(h.closed ? [`${h.closed.statement} (month to date, projection, budget and ITFM forecast).`] : h.lastClose ? [`Last close: ${h.lastClose}.`] : []),
    `Pre-close handoff ${h.period} as of ${h.asOf} (due ${h.handoffDate}), EffectiveCost${h.rollup ? ', rolled up along the cost-center hierarchy' : ''}`,
    ...h.assumptions.statements.map((s) => `  - ${s}`),
    '',
    textTable(
      ['cost center', 'to date', 'projected', 'with actions', ...(bridged ? ['compared'] : []), 'budget', 'ITFM forecast', 'vs budget', 'vs forecast', 'material', ...(postClose ? ['post-close'] : [])],
      [
        ...h.rows.map((r) => [
          label(r),
          ...amounts(r, r.comparedProjection),
          r.carriedBy !== null ? `in ${r.carriedBy}` : r.material ? 'yes' : '',
          ...(postClose ? [formatMoney(r.postCloseAdjustment ?? '0', r.currency)] : []),
        ]),
        ...h.totals.map((t) => [
          h.totals.length > 1 ? `total ${t.currency}` : 'total',
          ...amounts(t, t.projectedWithPlannedActions),
          '',
          ...(postClose ? [''] : []),
        ]),
      ],
      bridged ? (postClose ? [1, 2, 3, 4, 5, 6, 7, 8, 10] : [1, 2, 3, 4, 5, 6, 7, 8]) : postClose ? [1, 2, 3, 4, 5, 6, 7, 9] : [1, 2, 3, 4, 5, 6, 7],
    ),
    `Total = ${h.rollup ? 'the top-level rows' : 'the rows'}; "to date" totals ${h.totals.map((t) => formatMoney(t.monthToDate, t.currency)).join(', ')}, the spend of ${h.period} charged before ${h.asOf} (\`costbridge report spend --period ${h.period} --basis effective\` once every line is in)${h.rows.some((r) => r.depth > 0) ? '; indented rows are inside their parent\'s figures' : ''}.`,
    ...bridgeNote(h),
    ...(postClose ? [`"post-close" = changes to ${h.period} since its close (live minus as closed), not in the figures above; booked in ${h.closed!.adjustmentsBookedIn}'s chargeback.`] : []),
  ];
  for (const r of h.rows) {
    const notes: string[] = [];
    for (const k of r.drivers?.keys ?? []) notes.push(`    driver ${k.key.service ?? '?'} / ${k.key.sku ?? '?'} (${k.kind}): ${formatMoney(k.variance, r.currency)}`);
    for (const a of r.plannedActions) notes.push(`    planned ${a.saving.id} ${a.saving.title}: ${plannedSavingEffectText(a, r.currency)}`);
    for (const v of r.openVariances) notes.push(`    open: ${v.component} ${formatMoney(v.amount, r.currency)} needs an explanation`);
    if (notes.length > 0) out.push('', `  ${r.costCenter}${r.name ? ` ${r.name}` : ''}${r.owner ? ` (${r.owner})` : ''}`, ...notes);
  }
  return out.join('\n');
}

/** The bridge row in words: which cost center's plan it is compared with, or that it has none. */
export function bridgeNote(h: Handoff): string[] {
  const u = h.rows.find((r) => r.costCenter === unattributedScope);
  if (!u) return [];
  if (h.unattributedCarriedBy !== null) {
    return [`${unattributedScope} (spend no known cost center accounts for, projected ${formatMoney(u.projectedWithPlannedActions, u.currency)}) is compared with ${h.unattributedCarriedBy}'s budget and forecast, as the GL books it (COSTBRIDGE_UNATTRIBUTED_COST_CENTER): "compared" = ${h.unattributedCarriedBy}'s projection + the unattributed projection.`];
  }
  return [`${unattributedScope} (spend no known cost center accounts for) has no budget or forecast: its whole projection is over plan. Set COSTBRIDGE_UNATTRIBUTED_COST_CENTER to the cost center the GL books it to, to compare it with that center's budget.`];
}
