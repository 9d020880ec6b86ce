import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { explainVariance } from '../../app/explain-variance.js';
import { listOpenVariances, type OpenVariances } from '../../app/list-open-variances.js';
import { reportVariance, varianceAgainstValues, type VarianceAgainst, type VarianceReport, type VarianceRequest } from '../../app/report-variance.js';
import { setVarianceThreshold } from '../../app/set-variance-threshold.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { parseIsoDay } from '../../domain/forecast-calendar.js';
import { formatMoney } from '../../domain/money.js';
import { rollupLabel, unattributedScope } from '../../domain/cost-center-rollup.js';
import { parseCostBasis, parseSpendDimensions, spendDimensions, type SpendDimension } from '../../domain/spend-dimensions.js';
import { varianceComponentNames } from '../../domain/variance-components.js';
import type { KeyEffect } from '../../domain/variance-decomposition.js';
import { loadThresholds } from '../../store/variance-thresholds.js';
import { textTable } from '../text-table.js';

interface ReportOptions {
  period?: string;
  against: string;
  basis: string;
  by: string;
  scope?: string;
  asOf?: string;
  drivers: string;
  rollup?: boolean;
  json?: boolean;
}

const byHelp = `scope field: ${spendDimensions.map((d) => d.name).join(', ')}`;

/** `costbridge variance`: decomposition, explanations, open variances and materiality thresholds. */
export function registerVariance(program: Command, ctx: CliContext): void {
  const variance = program
    .command('variance')
    .description('decompose a month\'s variance per cost center (rate, volume, new, ... adding up exactly) against the previous month, budget or ITFM forecast')
    // Options after a subcommand name belong to the subcommand (explain and open have their own --period).
    .enablePositionalOptions()
    .option('--period <YYYY-MM>', 'billing month (required)')
    .addOption(new Option('--against <what>', 'compare with the previous month, the budget (net of revisions) or the ITFM forecast').choices(varianceAgainstValues).default('previous'))
    .option('--basis <basis>', 'effective (amortized) or billed (invoiced)', 'effective')
    .option('--by <field>', byHelp, 'cost-center')
    .option('--scope <value>', 'only this scope value, e.g. a cost center code or (unattributed)')
    .option('--as-of <YYYY-MM-DD>', 'month to date: lines charged before this day vs the same days of the previous month')
    .option('--drivers <n>', 'top price keys listed per row', '5')
    .option('--rollup', 'roll each cost center\'s descendants (master data parent codes) into it, listed under it')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: ReportOptions) => {
      const report = await reportVariance(await ctx.store(), reportRequest(ctx, opts));
      ctx.io.out(opts.json ? JSON.stringify(varianceReportJson(report)) : varianceReportText(report));
    });

  variance
    .command('explain')
    .description('record why a variance component moved, planned (naming the saving or change) or unplanned')
    .requiredOption('--period <YYYY-MM>', 'billing month')
    .requiredOption('--scope <value>', 'cost center code (or a value of --by)')
    .option('--by <field>', byHelp, 'cost-center')
    .requiredOption('--component <name>', varianceComponentNames.join('|'))
    .option('--planned', 'the movement was planned (needs --saving or --change)')
    .option('--unplanned', 'the movement was not planned')
    .requiredOption('--text <text>', 'the explanation')
    .option('--saving <id>', 'the savings record the planned movement comes from')
    .option('--change <text>', 'the engineering change the planned movement comes from')
    .option('--as <user>', 'who explains (recorded in the audit log)')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { period: string; scope: string; by: string; component: string; planned?: boolean; unplanned?: boolean; text: string; saving?: string; change?: string; as?: string; json?: boolean }) => {
      if (opts.planned === opts.unplanned) throw new CostbridgeError('INPUT_INVALID', 'say whether the movement was planned: give exactly one of --planned or --unplanned');
      const result = await explainVariance(await ctx.store(), {
        period: opts.period,
        scope: opts.scope,
        scopeField: opts.by,
        component: opts.component,
        planned: opts.planned === true,
        text: opts.text,
        savingId: opts.saving,
        change: opts.change,
        actor: await ctx.actor(opts.as),
        surface: 'cli',
      });
      if (!result.ok) throw new CostbridgeError(result.code === 'INPUT_INVALID' || result.code === 'FORBIDDEN' || result.code === 'CONFLICT' ? result.code : 'NOT_FOUND', result.message);
      const e = result.explanation;
      if (opts.json) ctx.io.out(JSON.stringify({ explanation: e, duplicate: result.duplicate }));
      else
        ctx.io.out(
          `${result.duplicate ? 'already recorded' : 'recorded'}: explanation ${e.id} of ${e.component} for ${e.scope} in ${e.period} (${e.planned ? 'planned' : 'unplanned'}) by ${e.author}`,
        );
    });

  variance
    .command('open')
    .description('material variances of a month that nobody has explained yet, with the owner to ask')
    .requiredOption('--period <YYYY-MM>', 'billing month')
    .addOption(new Option('--against <what>', 'previous, budget or forecast').choices(varianceAgainstValues).default('previous'))
    .option('--basis <basis>', 'effective or billed', 'effective')
    .option('--by <field>', byHelp, 'cost-center')
    .option('--as-of <YYYY-MM-DD>', 'month to date, like for like with the previous month')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: ReportOptions) => {
      const open = await listOpenVariances(await ctx.store(), reportRequest(ctx, { ...opts, drivers: '0' }));
      ctx.io.out(opts.json ? JSON.stringify(open) : openVariancesText(open));
    });

  const threshold = variance.command('threshold').description('per cost center materiality thresholds');
  threshold
    .command('set')
    .description('override the materiality threshold of one cost center (explain when |variance| >= amount and >= share x |comparison|)')
    .argument('<cost-center>', 'cost center code')
    .requiredOption('--amount <decimal>', 'minimum absolute variance, e.g. 500')
    .requiredOption('--share <decimal>', 'minimum share of the comparison, e.g. 0.1 for 10 %')
    .option('--as <user>', 'who changes it (recorded in the audit log)')
    .option('--json', 'print JSON on stdout')
    .action(async (code: string, opts: { amount: string; share: string; as?: string; json?: boolean }) => {
      const r = await setVarianceThreshold(await ctx.store(), { costCenter: code, amount: opts.amount, share: opts.share, actor: await ctx.actor(opts.as), surface: 'cli' });
      if (!r.ok) throw new CostbridgeError(r.code === 'INPUT_INVALID' ? 'INPUT_INVALID' : 'NOT_FOUND', r.message);
      if (opts.json) ctx.io.out(JSON.stringify({ costCenter: r.after.costCenter, amount: r.after.amount, share: r.after.share, before: r.before }));
      else ctx.io.out(`${r.after.costCenter}: explain variances from ${r.after.amount} and ${r.after.share} of the comparison${r.before ? ` (was ${r.before.amount} and ${r.before.share})` : ''}`);
    });
  threshold
    .command('list')
    .description('the configured materiality and every cost center override')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { json?: boolean }) => {
      const list = [...(await loadThresholds((await ctx.store()).db)).values()];
      const global = { amount: ctx.config.variance.materialityAmount, share: ctx.config.variance.materialityShare };
      if (opts.json) ctx.io.out(JSON.stringify({ default: global, costCenters: list }));
      else
        ctx.io.out(
          [`default: ${global.amount} and ${global.share} of the comparison`, textTable(['cost center', 'amount', 'share', 'set by', 'at'], list.map((t) => [t.costCenter, t.amount, t.share, t.updatedBy, t.updatedAt]), [1, 2])].join('\n'),
        );
    });
}


function reportRequest(ctx: CliContext, opts: ReportOptions): VarianceRequest {
  if (!opts.period) throw new CostbridgeError('INPUT_INVALID', '--period <YYYY-MM> is required');
  const by = parseSpendDimensions(opts.by);
  if (by.length !== 1) throw new CostbridgeError('INPUT_INVALID', '--by takes one field');
  const drivers = opts.drivers ?? '5';
  if (!/^\d{1,4}$/.test(drivers)) throw new CostbridgeError('INPUT_INVALID', `--drivers must be a whole number, got ${JSON.stringify(drivers)}`);
  return {
    period: parseBillingMonth(opts.period),
    against: opts.against as VarianceAgainst,
    basis: parseCostBasis(opts.basis),
    by: by[0] as SpendDimension,
    scope: opts.scope,
    asOf: opts.asOf === undefined ? undefined : parseIsoDay(opts.asOf),
    drivers: Number(drivers),
    materiality: { amount: ctx.config.variance.materialityAmount, share: ctx.config.variance.materialityShare },
    rollup: opts.rollup === true,
    unattributedCostCenter: ctx.config.attribution.unattributedCostCenter,
  };
}

/** A price key's effect as JSON. */
export function keyEffectJson(k: KeyEffect) {
  return {
    provider: k.key.provider,
    service: k.key.service,
    sku: k.key.sku,
    pricingUnit: k.key.pricingUnit,
    chargeCategory: k.key.chargeCategory,
    quantified: k.quantified,
    kind: k.kind,
    actual: k.actual,
    comparison: k.comparison,
    variance: k.variance,
    actualQuantity: k.actualQuantity,
    comparisonQuantity: k.comparisonQuantity,
    components: k.components,
  };
}

/** The documented JSON of `costbridge variance`. */
export function varianceReportJson(r: VarianceReport) {
  return {
    period: r.period,
    against: r.against,
    basis: r.basis,
    by: r.by,
    comparisonPeriod: r.comparisonPeriod,
    asOf: r.asOf,
    closed: r.closed,
    restated: r.restated,
    rollup: r.rollup,
    unattributedCarriedBy: r.unattributedCarriedBy,
    totals: r.totals,
    rows: r.rows.map((row) => ({
      scope: row.scope,
      currency: row.currency,
      actual: row.actual,
      comparedActual: row.comparedActual,
      own: row.own,
      depth: row.depth,
      parent: row.parent,
      children: row.children,
      includesUnattributed: row.includesUnattributed,
      carriedBy: row.carriedBy,
      comparison: row.comparison,
      variance: row.variance,
      components: row.components,
      needsExplanation: row.needsExplanation,
      explanations: row.explanations,
      unexplainedComponents: row.unexplainedComponents,
      comparisonActual: row.comparisonActual,
      restatement: row.restatement,
      postCloseAdjustment: row.postCloseAdjustment,
      threshold: row.threshold,
      drivers: row.drivers.map(keyEffectJson),
      plan: row.plan,
      ledger: row.ledger,
    })),
  };
}

function varianceReportText(r: VarianceReport): string {
  if (r.rows.length === 0) return `No cost lines or plans for ${r.period} or ${r.comparisonPeriod}.`;
  const basis = r.basis === 'effective' ? 'EffectiveCost' : 'BilledCost';
  const against = r.against === 'previous' ? `${r.comparisonPeriod}${r.asOf ? ' (same days)' : ''}` : `${r.against} ${r.period}`;
  const lines = [...(r.closed ? [`${r.closed.statement}.`] : []), `Variance ${r.period}${r.asOf ? ` to ${r.asOf}` : ''} vs ${against}, ${basis}, by ${r.by}${r.rollup ? ', rolled up along the cost-center hierarchy' : ''}`];
  const shown = varianceComponentNames.filter((n) => r.rows.some((row) => row.components[n] !== '0'));
  const restated = r.rows.some((row) => row.restatement !== '0');
  const postClose = r.rows.some((row) => row.postCloseAdjustment !== null && row.postCloseAdjustment !== '0');
  const bridged = r.rows.some((row) => row.includesUnattributed !== null || row.carriedBy !== null);
  const extra = [...(restated ? ['restatement'] : []), ...(postClose ? ['post-close'] : [])];
  const money = (v: string, currency: string) => formatMoney(v, currency);
  lines.push(
    textTable(
      [r.by, 'actual', ...(bridged ? ['compared'] : []), 'comparison', 'variance', ...shown, ...extra, 'explain?'],
      [
        ...r.rows.map((row) => [
          scopeLabel(row),
          money(row.actual, row.currency),
          ...(bridged ? [money(row.comparedActual, row.currency)] : []),
          money(row.comparison, row.currency),
          money(row.variance, row.currency),
          ...shown.map((n) => money(row.components[n], row.currency)),
          ...(restated ? [money(row.restatement, row.currency)] : []),
          ...(postClose ? [money(row.postCloseAdjustment ?? '0', row.currency)] : []),
          row.carriedBy !== null ? `in ${row.carriedBy}` : row.needsExplanation ? (row.unexplainedComponents.length > 0 ? `open: ${row.unexplainedComponents.join(', ')}` : 'explained') : '',
        ]),
        ...r.totals.map((t) => [
          r.totals.length > 1 ? `total ${t.currency}` : 'total',
          money(t.actual, t.currency),
          ...(bridged ? [money(t.actual, t.currency)] : []),
          money(t.comparison, t.currency),
          money(t.variance, t.currency),
          ...shown.map(() => ''),
          ...extra.map(() => ''),
          '',
        ]),
      ],
      [1, 2, 3, ...(bridged ? [4] : []), ...shown.map((_, i) => (bridged ? 5 : 4) + i), ...extra.map((_, i) => (bridged ? 5 : 4) + shown.length + i)],
    ),
  );
  lines.push(...comparisonNotes(r));
  if (restated) {
    lines.push(
      `Comparatives restated: ${r.comparisonPeriod} under ${r.restated.under}'s attribution (claims, rules, contracts), so a re-mapping is not read as a change in spend; "restatement" = restated minus as reported, beside the components, not in them (${r.restated.totals.map((t) => formatMoney(t.restatement, t.currency)).join(', ')} in total).`,
    );
  }
  if (postClose) lines.push(`"post-close" = changes to ${r.period} since its close (live minus as closed), not in the figures above; booked in ${r.closed!.adjustmentsBookedIn}'s chargeback.`);
  const ledger = r.rows.filter((row) => row.ledger);
  if (ledger.length > 0) {
    lines.push('', `FOCUS vs GL, ${r.period}`);
    lines.push(
      textTable(
        [r.by, 'effective', 'billed', 'amortization', 'GL', 'billed - GL', 'timing', 'unexplained'],
        ledger.map((row) => {
          const l = row.ledger!;
          return [scopeLabel(row), ...[l.effective, l.billed, l.amortization, l.gl, l.billedMinusGl, l.timing, l.unexplained].map((v) => formatMoney(v, row.currency))];
        }),
        [1, 2, 3, 4, 5, 6, 7],
      ),
    );
  }
  return lines.join('\n');
}

/** A row's label: indented under its parent, "incl. N children" when rolled up. */
function scopeLabel(row: { scope: string; depth: number; children: number }): string {
  const incl = rollupLabel(row.children);
  return `${'  '.repeat(row.depth)}${row.scope}${incl ? ` (${incl})` : ''}`;
}

/** What the total and the bridge row mean, in words. */
function comparisonNotes(r: VarianceReport): string[] {
  const out: string[] = [];
  const totals = r.totals.map((t) => formatMoney(t.actual, t.currency)).join(', ');
  const whole = r.scope === null && r.asOf === null ? `, equal to \`costbridge report spend --period ${r.period} --basis ${r.basis}\`` : '';
  out.push(`Total = ${r.rollup ? 'the top-level rows' : 'the rows'}: ${totals}${whole}${r.rows.some((x) => x.depth > 0) ? '; indented rows are inside their parent\'s figures' : ''}.`);
  if (r.by === 'cost-center' && r.against !== 'previous') {
    const unattributed = r.rows.find((x) => x.scope === unattributedScope);
    if (r.unattributedCarriedBy !== null && unattributed) {
      out.push(
        `${unattributedScope} is spend no known cost center accounts for; as the GL books it, ${r.unattributedCarriedBy}'s ${r.against} is compared with its own spend plus it (COSTBRIDGE_UNATTRIBUTED_COST_CENTER): "compared" = actual + ${formatMoney(unattributed.actual, unattributed.currency)} unattributed.`,
      );
    } else if (unattributed) {
      out.push(`${unattributedScope} is spend no known cost center accounts for; it has no ${r.against}, so its whole actual is variance. Set COSTBRIDGE_UNATTRIBUTED_COST_CENTER to the cost center the GL books it to, to compare it with that center's ${r.against}.`);
    }
  }
  return out;
}

function openVariancesText(o: OpenVariances): string {
  if (o.items.length === 0) return `No open material variances for ${o.period} (against ${o.against}).`;
  return [
    `Open material variances ${o.period} against ${o.against}, ${o.basis}`,
    textTable(
      [o.by, 'variance', 'unexplained components', 'owner', 'channel'],
      o.items.map((i) => [i.scope, formatMoney(i.variance, i.currency), i.unexplained.map((u) => `${u.component} ${formatMoney(u.amount, i.currency)}`).join('; '), i.owner ?? '', i.chatChannel ?? '']),
      [1],
    ),
  ].join('\n');
}
