import type { WeeklyDigest } from '../../domain/digest.js';
import { formatMoney, Money } from '../../domain/money.js';
import { billedLabel, effectiveLabel, formatInstant } from '../cost-bases.js';
import { actions, button, context, divider, field, fields, header, image, list, message, table, text } from '../message-blocks.js';
import type { ContentBlock, Message, MessageBlock } from '../message-model.js';
import { bold, code, md } from '../rich-text.js';
import { actionIds } from './interaction-ids.js';
import { projectionTable, signedAmount } from './projection-table.js';

/** The attachment name the digest's chart is rendered under (adapters resolve it to an upload or a data URI). */
export const digestChartAttachment = 'digest-chart';

/** Options of the weekly digest view. */
export interface WeeklyDigestViewOptions {
  /** Include the chart image block (with its text fallback as alt text). */
  readonly chart?: boolean;
}

function percent(share: string | null): string {
  return share === null ? 'n/a' : `${new Money(share).times(100).toFixed(1)}%`;
}

/** The chart's content in words: what a reader without the image needs. */
export function digestChartText(d: WeeklyDigest): string {
  if (!d.trend) return 'No spend data to chart.';
  const c = d.trend.currency;
  const months = d.trend.points.map(
    (p) => `${p.period}: actual ${formatMoney(p.actual, c)}, budget ${formatMoney(p.budget, c)}${p.projected !== null ? `, projected ${formatMoney(p.projected, c)}` : ''}`,
  );
  const mover = d.movers[0];
  const waterfall = mover ? ` Largest move: ${mover.costCenter} ${signedAmount(mover.variance, mover.currency)} (${mover.components.map((x) => `${x.component} ${signedAmount(x.amount, mover.currency)}`).join(', ')}).` : '';
  return `Effective cost vs budget by month: ${months.join('; ')}.${waterfall}`;
}

/** The weekly digest: one message per channel, every section of the joint review, each action with its button and CLI equivalent. */
export function weeklyDigestMessage(d: WeeklyDigest, options: WeeklyDigestViewOptions = {}): Message {
  const demo = d.demo ? ' [DEMO DATA]' : '';
  const scope = d.scope.length > 0 ? ` · ${d.scope.join(', ')}` : '';
  const blocks: MessageBlock[] = [
    header(`Weekly review · ${d.period} to date${scope}${demo}`),
    context(
      `Cadence ${d.cadence} · ${d.period} to date, as imported · generated ${formatInstant(d.generatedAt, d.timezone)}${d.lastClose ? ` · ${d.lastClose}` : ''}`,
      d.demo ? ' · SYNTHETIC DEMO DATA, invented numbers' : '',
    ),
  ];

  // Freshness per provider.
  if (d.freshness.length > 0) {
    blocks.push(
      table(
        [{ header: 'Provider' }, { header: 'Last import' }, { header: 'Last charge day' }, { header: 'Status' }],
        d.freshness.map((f) => [f.provider, formatInstant(f.lastImportAt, d.timezone), f.lastChargeDate, f.stale ? `STALE (> ${f.staleAfterDays} days behind)` : 'fresh']),
      ),
    );
    const stale = d.freshness.filter((f) => f.stale);
    if (stale.length > 0) blocks.push(text(md`⚠ *Stale data:* `, stale.map((f) => f.provider).join(', '), `: the latest charges are older than that provider's billing rhythm allows before ${d.asOf}; numbers below miss recent spend.`));
  }

  // Headline numbers on both bases.
  if (d.headline.length === 0) blocks.push(text('No cost lines for this month yet.'));
  for (const h of d.headline) {
    blocks.push(fields(field(`${effectiveLabel}, month to date`, formatMoney(h.effective, h.currency)), field(`${billedLabel}, month to date`, formatMoney(h.billed, h.currency))));
  }

  // Budget and forecast, worst first.
  blocks.push(divider(), text(md`*Budget and forecast* (effective cost; projection = FinOps run rate with planned actions), worst first`));
  if (d.budgets.length === 0) blocks.push(context('No budgets or projections for this month.'));
  else {
    blocks.push(projectionTable(d.budgets));
  }

  // What moved.
  blocks.push(divider(), text(md`*What moved* (month to date against the same days of the previous month)`));
  if (d.movers.length === 0) blocks.push(context('Nothing moved.'));
  else {
    blocks.push(
      table(
        [{ header: 'Cost center' }, { header: 'Change', align: 'right' }, { header: 'Components' }],
        d.movers.map((m) => [m.costCenter, signedAmount(m.variance, m.currency), m.components.slice(0, 3).map((c) => `${c.component} ${signedAmount(c.amount, m.currency)}`).join(', ')]),
      ),
    );
  }
  if (d.openVariances.length > 0) {
    blocks.push(text(md`*${d.openVariances.length}* material variances wait for an explanation:`));
    blocks.push(
      list(
        d.openVariances.map((v): ContentBlock[] => [
          text(md`*${v.costCenter}*: `, v.components.map((c) => `${c.component} ${signedAmount(c.amount, v.currency)}`).join(', ')),
          actions(
            button(actionIds.explainVariance, 'Explain', { period: d.period, scope: v.costCenter }, {
              style: 'primary',
              cliHint: `npx costbridge variance explain --period ${d.period} --scope ${v.costCenter} --component ${v.components[0]?.component ?? 'COMPONENT'} --planned|--unplanned --text "..." --as YOU`,
            }),
          ),
        ]),
      ),
    );
  }

  // Unattributed spend (overview only).
  if (d.unattributed !== null) {
    blocks.push(divider());
    if (d.unattributed.length === 0) blocks.push(text(md`*Unattributed spend*: none this month.`));
    for (const u of d.unattributed) {
      blocks.push(
        text(md`*Unattributed spend*: `, bold(formatMoney(u.effective, u.currency)), ` effective (${percent(u.share)} of the month), ${formatMoney(u.billed, u.currency)} billed.`),
        context(`Tag coverage by effective cost: ${u.coverageTrend.map((t) => `${t.period} ${percent(t.share)}`).join(' → ')}`),
      );
      if (u.unknownCostCenters.length > 0) {
        blocks.push(context('Cost-center tag values not in master data: ', u.unknownCostCenters.map((x) => `${x.value} (${formatMoney(x.effective, u.currency)})`).join(', ')));
      }
      if (u.topItems.length > 0) {
        blocks.push(
          list(
            u.topItems.map((i): ContentBlock[] => {
              const where = [i.billingAccountId && `account ${i.billingAccountId}`, i.subAccountId && `sub-account ${i.subAccountId}`].filter(Boolean).join(' · ');
              const item: ContentBlock[] = [text(md`*${i.provider || '(no provider)'} · ${i.service || '(no service)'}*`, where ? ` (${where})` : '', `: ${formatMoney(i.effective, i.currency)} effective, ${formatMoney(i.billed, i.currency)} billed, ${i.lines} lines`)];
              if (i.itemId) {
                item.push(
                  actions(
                    button(actionIds.claimItem, 'Claim', { itemId: i.itemId }, { style: 'primary', cliHint: `npx costbridge claim ${i.itemId} --cost-center CODE --as YOU` }),
                    button(actionIds.notMineItem, 'Not mine', { itemId: i.itemId }, { cliHint: `npx costbridge dismiss ${i.itemId} --reason "..." --as YOU` }),
                  ),
                );
              } else {
                item.push(context(`Claim it once listed: `, code(`npx costbridge unattributed --period ${d.period}`)));
              }
              return item;
            }),
          ),
        );
      }
    }
  }

  // Savings.
  blocks.push(divider(), text(md`*Savings*`));
  if (d.savingsRecognized.length > 0) {
    for (const s of d.savingsRecognized) {
      blocks.push(fields(field(`Recognized for ${d.period}: cost reduction`, formatMoney(s.reduction, s.currency)), field('Cost avoidance', formatMoney(s.avoidance, s.currency))));
    }
  } else blocks.push(context(`No savings recognized for ${d.period}.`));
  if (d.savingsAwaiting.length === 0) blocks.push(context('No savings await sign-off.'));
  else {
    blocks.push(text(md`*${d.savingsAwaiting.length}* savings await ITFM sign-off:`));
    blocks.push(
      list(
        d.savingsAwaiting.map((s): ContentBlock[] => [
          text(md`*${s.title}* `, code(s.id), ` · ${s.costCenter} · ${s.type === 'reduction' ? 'cost reduction' : 'cost avoidance'} · ${formatMoney(s.estimateMonthly, s.currency)} a month (${s.status})`),
          actions(
            button(actionIds.approveSaving, 'Approve', { savingId: s.id }, { style: 'primary', cliHint: `npx costbridge savings approve ${s.id} --amount AMOUNT --from YYYY-MM --as YOU` }),
            button(actionIds.rejectSaving, 'Reject', { savingId: s.id }, { style: 'danger', cliHint: `npx costbridge savings reject ${s.id} --reason "..." --as YOU` }),
          ),
        ]),
      ),
    );
  }

  // New spend.
  if (d.newSpend !== null) {
    blocks.push(divider());
    if (d.newSpend.length === 0) blocks.push(text(md`*New spend*: every vendor this month is known or under contract.`));
    else {
      blocks.push(text(md`*New spend without a contract classification*:`));
      blocks.push(
        list(
          d.newSpend.map((n): ContentBlock[] => [
            text(md`*${n.vendor}*`, ` (${[n.newVendor ? 'new vendor' : 'governed category', n.serviceCategory, n.service].filter(Boolean).join(' · ')}): ${formatMoney(n.effective, n.currency)} effective, ${formatMoney(n.billed, n.currency)} billed`),
            actions(button(actionIds.classifySpend, 'Classify', { vendor: n.vendor, period: d.period }, { style: 'primary', cliHint: 'npx costbridge contracts apply CONTRACT.yaml --as YOU' })),
          ]),
        ),
      );
    }
  }

  // Since the last review.
  const s = d.sinceLast;
  blocks.push(
    divider(),
    text(
      md`*Since the last review*`,
      s.previousReviewAt ? ` (${formatInstant(s.previousReviewAt, d.timezone)})` : ' (this is the first review)',
      `: ${s.decisionCount} decisions recorded.`,
    ),
  );
  if (s.decisions.length > 0) {
    blocks.push(context(s.decisions.map((x) => `${formatInstant(x.at, d.timezone)} ${x.actor} (${x.surface}) ${x.action} ${x.subject}`).join('\n'), s.decisionCount > s.decisions.length ? `\n…and ${s.decisionCount - s.decisions.length} more (npx costbridge review history)` : ''));
  }
  blocks.push(
    context(
      `Still open: ${s.stillOpen.openVariances} variances to explain, ${s.stillOpen.unattributedItems} unattributed items to claim, ${s.stillOpen.savingsAwaiting} savings to sign off, ${s.stillOpen.newSpend} vendors to classify.`,
    ),
  );
  if (options.chart && d.trend) blocks.push(image({ attachment: digestChartAttachment }, digestChartText(d), 'Spend vs budget and projection; variance waterfall'));

  const headline = d.headline.map((h) => `${formatMoney(h.effective, h.currency)} effective / ${formatMoney(h.billed, h.currency)} billed`).join('; ');
  const fallback = `Weekly review ${d.period} to date${scope}${demo}: ${headline || 'no spend yet'}; ${s.stillOpen.openVariances + s.stillOpen.unattributedItems + s.stillOpen.savingsAwaiting + s.stillOpen.newSpend} items need action`;
  return message(fallback, blocks, `unattributed ${d.period}`);
}
