import type { DigestBudgetRow, WeeklyDigest } from '../../domain/digest.js';
import { formatMoney, Money, sumAmounts } from '../../domain/money.js';
import { countOf } from '../count-words.js';
import { billedLabel, effectiveLabel, formatInstant } from '../cost-bases.js';
import { actions, button, context, divider, field, fields, header, image, list, message, table, text } from '../message-blocks.js';
import type { Button, ContentBlock, Message, MessageBlock } from '../message-model.js';
import { md } from '../rich-text.js';
import { newSpendEntry, savingEntry, unattributedEntry, varianceEntry } from './digest-entries.js';
import { actionIds } from './interaction-ids.js';
import { signedAmount } from './projection-table.js';

/** The attachment name the digest's chart is rendered under (adapters resolve it to an upload or a data URI). */
export const digestChartAttachment = 'digest-chart';

/** The lists View all opens. */
export type DigestListKind = 'savings' | 'variances' | 'unattributed' | 'new-spend';

/** The View all buttons' action ids, one per list (action ids are unique within a row of buttons): each opens the full list, paged, each item with its buttons. */
export const viewAllActionIds: Readonly<Record<DigestListKind, string>> = {
  savings: 'digest.view-all.savings',
  variances: 'digest.view-all.variances',
  unattributed: 'digest.view-all.unattributed',
  'new-spend': 'digest.view-all.new-spend',
};

/** Options of the weekly digest view. */
export interface WeeklyDigestViewOptions {
  /** Include the chart image block (with its text fallback as alt text). */
  readonly chart?: boolean;
}

/** A digest as chat shows it: one parent message, and the rest as replies in its thread. */
export interface DigestMessages {
  readonly parent: Message;
  readonly thread: readonly Message[];
}

/** Entries the parent's "Needs a decision" shows at most; the rest are behind View all. */
export const decisionsShown = 3;
/** Cost-center rows the parent's numbers show at most (material ones first); every row is in the thread. */
export const numbersRowsShown = 4;

const unattributedLabel = '(unattributed)';

function percent(share: string): string {
  return `${new Money(share).times(100).toFixed(1)}%`;
}

function demoTag(d: WeeklyDigest): string {
  return d.demo ? ' [DEMO DATA]' : '';
}

function title(d: WeeklyDigest): string {
  const scope = d.scope.length > 0 ? ` · ${d.scope.join(', ')}` : '';
  return `Weekly review · ${d.period} to date${scope}${demoTag(d)}`;
}

/** The data cut, stated the same way on every message of a digest. */
function cutLine(d: WeeklyDigest): string {
  return `Data through ${d.dataThrough} (every figure) · generated ${formatInstant(d.generatedAt, d.timezone)} · cadence ${d.cadence}`;
}

/** The chart's content in words: what a reader without the image needs. */
export function digestChartText(d: WeeklyDigest): string {
  if (!d.trend) return 'No spend data to chart.';
  const c = d.trend.currency;
  const months = d.trend.points.map((p) =>
    new Money(p.actual).isZero() && new Money(p.budget).isZero() && p.projected === null
      ? `${p.period}: no spend and no budget`
      : `${p.period}: actual ${formatMoney(p.actual, c)}, budget ${formatMoney(p.budget, c)}${p.projected !== null ? `, projected ${formatMoney(p.projected, c)}` : ''}`,
  );
  const mover = d.movers[0];
  const waterfall = mover ? ` Largest move: ${mover.costCenter} ${signedAmount(mover.variance, mover.currency)} (${mover.components.map((x) => `${x.component} ${signedAmount(x.amount, mover.currency)}`).join(', ')}).` : '';
  return `Effective cost vs budget by month (data through ${d.dataThrough}): ${months.join('; ')}.${waterfall}`;
}

/** The View all button of one list, with its CLI equivalent. */
export function viewAllButton(d: WeeklyDigest, kind: DigestListKind, count: number): Button {
  const cli: Record<DigestListKind, string> = {
    savings: 'npx costbridge savings list --status proposed (and --status validated)',
    variances: `npx costbridge variance open --period ${d.period} --as-of ${d.asOf}`,
    unattributed: `npx costbridge unattributed --period ${d.period}`,
    'new-spend': `npx costbridge unclassified --period ${d.period}`,
  };
  const what: Record<DigestListKind, string> = { savings: 'sign-offs', variances: 'variances', unattributed: 'unattributed', 'new-spend': 'new spend' };
  return button(viewAllActionIds[kind], `View all ${what[kind]} (${count})`, { period: d.period, asOf: d.asOf, scope: d.scope.join(',') }, { cliHint: cli[kind] });
}

/** How many of each kind of decision are open, in all (true counts, not list sizes). */
export function openCounts(d: WeeklyDigest): Record<DigestListKind, number> {
  return {
    savings: d.sinceLast.stillOpen.savingsAwaiting,
    variances: d.sinceLast.stillOpen.openVariances,
    unattributed: d.sinceLast.stillOpen.unattributedItems,
    'new-spend': d.sinceLast.stillOpen.newSpend,
  };
}

/** Every entry of one list the digest holds (its shown part: the digest's list size). */
export function digestEntries(d: WeeklyDigest, kind: DigestListKind): ContentBlock[][] {
  switch (kind) {
    case 'savings':
      return d.savingsAwaiting.map(savingEntry);
    case 'variances':
      return d.openVariances.map((v) => varianceEntry(d.period, v));
    case 'unattributed':
      return (d.unattributed ?? []).flatMap((u) => u.topItems.map((i) => unattributedEntry(d.period, i)));
    case 'new-spend':
      return (d.newSpend ?? []).map((n) => newSpendEntry(d.period, n));
  }
}

const decisionOrder: readonly DigestListKind[] = ['savings', 'variances', 'unattributed', 'new-spend'];

function needsDecision(d: WeeklyDigest): MessageBlock[] {
  const counts = openCounts(d);
  const total = decisionOrder.reduce((n, k) => n + counts[k], 0);
  if (total === 0) return [text(md`*Needs a decision*: nothing is waiting.`)];
  // Sign-offs waiting for someone and unexplained material variances first, then the largest
  // unattributed items and new vendors: one of each kind in turn, so no kind crowds out the others.
  const entries = Object.fromEntries(decisionOrder.map((k) => [k, digestEntries(d, k)])) as Record<DigestListKind, ContentBlock[][]>;
  const shownOf: Record<DigestListKind, number> = { savings: 0, variances: 0, unattributed: 0, 'new-spend': 0 };
  let taken = 0;
  for (let round = 0; taken < decisionsShown && decisionOrder.some((k) => entries[k].length > round); round++) {
    for (const kind of decisionOrder) {
      if (entries[kind].length <= round || taken >= decisionsShown) continue;
      shownOf[kind]++;
      taken++;
    }
  }
  const shown = decisionOrder.flatMap((k) => entries[k].slice(0, shownOf[k]));
  const words: Record<DigestListKind, [string, string]> = {
    savings: ['saving to sign off', 'savings to sign off'],
    variances: ['material variance to explain', 'material variances to explain'],
    unattributed: ['open unattributed item above the alert threshold', 'open unattributed items above the alert threshold'],
    'new-spend': ['vendor to classify', 'vendors to classify'],
  };
  const summary = decisionOrder.filter((k) => counts[k] > 0).map((k) => `${countOf(counts[k], ...words[k])}, ${shownOf[k]} shown`);
  const more = decisionOrder.filter((k) => counts[k] > shownOf[k]).map((k) => viewAllButton(d, k, counts[k]));
  return [text(md`*Needs a decision* (${String(total)})`), list(shown), context(summary.join(' · ')), ...(more.length > 0 ? [actions(...more)] : [])];
}

/** Cost centers first (worst first, as the digest orders them), then the unattributed row. */
function ordered(rows: readonly DigestBudgetRow[]): DigestBudgetRow[] {
  return [...rows.filter((r) => r.costCenter !== unattributedLabel), ...rows.filter((r) => r.costCenter === unattributedLabel)];
}

function mark(r: DigestBudgetRow): string {
  return `${r.material ? '⚠ ' : ''}${r.costCenter}`;
}

function sum(rows: readonly DigestBudgetRow[], pick: (r: DigestBudgetRow) => string): string {
  return sumAmounts(rows, pick);
}

/** Total rows per currency: the headline's figures, from the same cut (top-level rows: a parent already holds its children). */
function totalRows(d: WeeklyDigest, cells: (currency: string, rows: readonly DigestBudgetRow[]) => string[]): string[][] {
  const currencies = [...new Set(d.budgets.map((b) => b.currency))];
  return currencies.map((c) => cells(c, d.budgets.filter((b) => b.currency === c && (b.depth ?? 0) === 0)));
}

function numbers(d: WeeklyDigest): MessageBlock[] {
  const blocks: MessageBlock[] = [text(md`*Numbers* · ${d.period} to date, effective cost; ⚠ marks a material variance to budget`)];
  if (d.headline.length === 0) blocks.push(context(`No cost lines for ${d.period} through ${d.dataThrough}.`));
  for (const h of d.headline) {
    blocks.push(fields(field(`${effectiveLabel}, to date`, formatMoney(h.effective, h.currency)), field(`${billedLabel}, to date`, formatMoney(h.billed, h.currency))));
  }
  if (d.budgets.length === 0) return [...blocks, context('No budgets or projections for this month.')];
  const rows = ordered(d.budgets);
  const centers = rows.filter((r) => r.costCenter !== unattributedLabel);
  // Material rows first, then the worst of the rest: the short list; the full table is in the thread.
  const picked = [...centers.filter((r) => r.material), ...centers.filter((r) => !r.material)].slice(0, numbersRowsShown);
  const keep = new Set(picked);
  const shown = [...centers.filter((r) => keep.has(r)), ...rows.filter((r) => r.costCenter === unattributedLabel)];
  blocks.push(
    table(
      [{ header: 'Cost center' }, { header: 'To date', align: 'right' }, { header: 'Projected', align: 'right' }, { header: 'vs budget', align: 'right' }],
      [
        ...shown.map((r) => [mark(r), formatMoney(r.monthToDate, r.currency), formatMoney(r.projected, r.currency), signedAmount(r.differenceToBudget, r.currency)]),
        ...totalRows(d, (c, rs) => [`Total (${countOf(rs.length, 'row')})`, formatMoney(sum(rs, (r) => r.monthToDate), c), formatMoney(sum(rs, (r) => r.projected), c), signedAmount(sum(rs, (r) => r.differenceToBudget), c)]),
      ],
    ),
  );
  const hidden = centers.length - picked.length;
  blocks.push(context(hidden > 0 ? `${countOf(hidden, 'more cost center')}, budgets, the ITFM forecast and what moved: in the thread.` : 'Budgets, the ITFM forecast and what moved: in the thread.'));
  return blocks;
}

/** The parent message: decisions first, then a short numbers section. */
function parentMessage(d: WeeklyDigest): Message {
  const blocks: MessageBlock[] = [header(title(d)), context(cutLine(d), d.demo ? ' · SYNTHETIC DEMO DATA, invented numbers' : '', d.lastClose ? ` · ${d.lastClose}` : '')];
  const stale = d.freshness.filter((f) => f.stale);
  if (stale.length > 0) {
    blocks.push(text(md`⚠ *Stale data:* `, stale.map((f) => `${f.provider} (last charge ${f.lastChargeDate})`).join(', '), ': numbers below miss recent spend.'));
  }
  blocks.push(...needsDecision(d), ...numbers(d));
  const counts = openCounts(d);
  const open = decisionOrder.reduce((n, k) => n + counts[k], 0);
  const headline = d.headline.map((h) => `${formatMoney(h.effective, h.currency)} effective`).join('; ');
  const fallback = `${title(d)}: ${countOf(open, 'decision')} waiting; ${headline || 'no spend yet'}; data through ${d.dataThrough}`;
  return message(fallback, blocks, d.unattributed !== null ? `unattributed ${d.period}` : undefined);
}

function budgetDetail(d: WeeklyDigest, options: WeeklyDigestViewOptions): Message {
  const blocks: MessageBlock[] = [text(md`*Budget and forecast* · ${d.period}, data through ${d.dataThrough}, effective cost; projected = FinOps run rate with planned actions`)];
  const rows = ordered(d.budgets);
  if (rows.length === 0) blocks.push(context('No budgets or projections for this month.'));
  else {
    blocks.push(
      table(
        [{ header: 'Cost center' }, { header: 'To date', align: 'right' }, { header: 'Projected', align: 'right' }, { header: 'Budget', align: 'right' }],
        [
          ...rows.map((r) => [mark(r), formatMoney(r.monthToDate, r.currency), formatMoney(r.projected, r.currency), formatMoney(r.budget, r.currency)]),
          ...totalRows(d, (c, rs) => ['Total', formatMoney(sum(rs, (r) => r.monthToDate), c), formatMoney(sum(rs, (r) => r.projected), c), formatMoney(sum(rs, (r) => r.budget), c)]),
        ],
      ),
      table(
        [{ header: 'Cost center' }, { header: 'vs budget', align: 'right' }, { header: 'ITFM forecast', align: 'right' }, { header: 'vs forecast', align: 'right' }],
        [
          ...rows.map((r) => [mark(r), signedAmount(r.differenceToBudget, r.currency), formatMoney(r.itfmForecast, r.currency), signedAmount(r.differenceToForecast, r.currency)]),
          ...totalRows(d, (c, rs) => ['Total', signedAmount(sum(rs, (r) => r.differenceToBudget), c), formatMoney(sum(rs, (r) => r.itfmForecast), c), signedAmount(sum(rs, (r) => r.differenceToForecast), c)]),
        ],
      ),
    );
  }
  const basis = d.moversBasis
    ? `${d.period} to date (through ${d.dataThrough}) against ${d.moversBasis.comparedWith}${d.moversBasis.through ? ` through ${d.moversBasis.through}` : ''}, effective cost`
    : `${d.period} to date, effective cost`;
  blocks.push(divider(), text(md`*What moved* · `, basis));
  if (d.movers.length === 0) blocks.push(context('Nothing moved.'));
  else {
    blocks.push(
      table(
        [{ header: 'Cost center' }, { header: 'Change', align: 'right' }, { header: 'Components' }],
        d.movers.map((m) => [m.costCenter, signedAmount(m.variance, m.currency), m.components.slice(0, 3).map((c) => `${c.component} ${signedAmount(c.amount, m.currency)}`).join(', ')]),
      ),
    );
  }
  if (options.chart && d.trend) blocks.push(image({ attachment: digestChartAttachment }, digestChartText(d), 'Spend vs budget and projection; variance waterfall'));
  return message(`${title(d)}: budget, forecast and what moved (data through ${d.dataThrough})`, blocks);
}

function openItemsDetail(d: WeeklyDigest): Message | null {
  const blocks: MessageBlock[] = [];
  if (d.unattributed !== null) {
    if (d.unattributed.length === 0) blocks.push(text(md`*Unattributed spend*: none through ${d.dataThrough}.`));
    for (const u of d.unattributed) {
      const share = u.share === null ? '' : ` (${percent(u.share)} of the month to date)`;
      blocks.push(text(md`*Unattributed spend* · ${formatMoney(u.effective, u.currency)} effective${share}, ${formatMoney(u.billed, u.currency)} billed; ${countOf(u.openItems, 'open item')} above the alert threshold.`));
      const coverage = u.coverageTrend.filter((t) => t.share !== null).map((t) => `${t.period} ${percent(t.share!)}`);
      if (coverage.length > 0) blocks.push(context(`Tag coverage by effective cost: ${coverage.join(' → ')}`));
      if (u.unknownCostCenters.length > 0) {
        blocks.push(context('Cost-center tag values not in master data: ', u.unknownCostCenters.map((x) => `${x.value} (${formatMoney(x.effective, u.currency)}, ${countOf(x.lines, 'line')})`).join(', ')));
      }
    }
  }
  blocks.push(text(md`*Savings*`));
  if (d.savingsRecognized.length > 0) {
    for (const s of d.savingsRecognized) blocks.push(fields(field(`Recognized for ${d.period}: cost reduction`, formatMoney(s.reduction, s.currency)), field('Cost avoidance', formatMoney(s.avoidance, s.currency))));
  } else blocks.push(context(`No savings recognized for ${d.period}.`));
  blocks.push(context(d.savingsAwaiting.length === 0 ? 'No savings await sign-off.' : `${countOf(d.savingsAwaiting.length, 'saving awaits', 'savings await')} ITFM sign-off (in Needs a decision above).`));
  if (d.newSpend !== null) {
    if (d.newSpend.length === 0) blocks.push(text(md`*New spend*: every vendor through ${d.dataThrough} is known or under contract.`));
    else {
      blocks.push(text(md`*New spend without a contract classification* · ${countOf(d.sinceLast.stillOpen.newSpend, 'vendor')}`), list(d.newSpend.map((n) => newSpendEntry(d.period, n))));
    }
  }
  return message(`${title(d)}: unattributed spend, savings and new spend (data through ${d.dataThrough})`, blocks, d.unattributed !== null ? `unattributed ${d.period}` : undefined);
}

function historyDetail(d: WeeklyDigest): Message {
  const blocks: MessageBlock[] = [];
  if (d.freshness.length > 0) {
    blocks.push(
      text(md`*Data freshness*`),
      table(
        [{ header: 'Provider' }, { header: 'Last import' }, { header: 'Last charge day' }, { header: 'Status' }],
        d.freshness.map((f) => [f.provider, formatInstant(f.lastImportAt, d.timezone), f.lastChargeDate, f.stale ? `STALE (> ${countOf(f.staleAfterDays, 'day')} behind)` : 'fresh']),
      ),
    );
  }
  const s = d.sinceLast;
  blocks.push(
    text(md`*Since the last review*`, s.previousReviewAt ? ` (${formatInstant(s.previousReviewAt, d.timezone)})` : ' (this is the first review)', `: ${countOf(s.decisionCount, 'decision')} recorded.`),
  );
  if (s.decisions.length > 0) {
    blocks.push(context(s.decisions.map((x) => `${formatInstant(x.at, d.timezone)} ${x.actor} (${x.surface}) ${x.action} ${x.subject}`).join('\n'), s.decisionCount > s.decisions.length ? `\n…and ${s.decisionCount - s.decisions.length} more (npx costbridge review history)` : ''));
  }
  const o = s.stillOpen;
  blocks.push(
    context(
      `Still open: ${countOf(o.openVariances, 'variance')} to explain, ${countOf(o.unattributedItems, 'unattributed item')} above the alert threshold to claim, ${countOf(o.savingsAwaiting, 'saving')} to sign off, ${countOf(o.newSpend, 'vendor')} to classify.`,
    ),
  );
  return message(`${title(d)}: data freshness and decisions since the last review`, blocks);
}

/** The weekly digest as chat posts it: a short parent (decisions first, then the numbers) and the rest as thread replies. */
export function weeklyDigestMessages(d: WeeklyDigest, options: WeeklyDigestViewOptions = {}): DigestMessages {
  const thread = [budgetDetail(d, options), openItemsDetail(d), historyDetail(d)].filter((m): m is Message => m !== null);
  return { parent: parentMessage(d), thread };
}

/** Whether a cost-center digest has nothing to say: no spend, budget, forecast or open decision. */
export function digestIsEmpty(d: WeeklyDigest): boolean {
  const zero = (x: string) => new Money(x).isZero();
  const counts = openCounts(d);
  return (
    d.headline.every((h) => zero(h.effective) && zero(h.billed)) &&
    d.budgets.every((b) => zero(b.monthToDate) && zero(b.projected) && zero(b.budget) && zero(b.itfmForecast)) &&
    decisionOrder.every((k) => counts[k] === 0)
  );
}
