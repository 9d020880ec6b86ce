import { formatMoney } from '../../domain/money.js';
import { formatInstant } from '../cost-bases.js';
import { context, divider, field, fields, header, list, message, table, text } from '../message-blocks.js';
import type { ContentBlock, Message, MessageBlock } from '../message-model.js';
import { code, command, md } from '../rich-text.js';
import { savingSignOffButtons, type SavingSignOffView } from './savings-sign-off-request.js';
import { unattributedItemBlocks, type UnattributedItemView } from './unattributed-spend-alert.js';
import { explainButton, type VarianceExplanationRequestView } from './variance-explanation-request.js';

/** One cost center's month as the home's digest table shows it. */
export interface CostCenterMonthView {
  readonly costCenter: string;
  readonly currency: string;
  readonly actual: string;
  readonly previous: string;
  readonly change: string;
}

/** A person's open decisions, mapped from `listOpenDecisions`. */
export interface OpenDecisionsHomeView {
  /** How the person is named (`@bo`). */
  readonly person: string;
  /** Their roles in words (`owner for CC-100`). */
  readonly roles: readonly string[];
  readonly period: string | undefined;
  readonly claimable: readonly UnattributedItemView[];
  readonly claimableTotal: number;
  readonly signOffs: readonly SavingSignOffView[];
  readonly signOffsTotal: number;
  readonly variances: readonly VarianceExplanationRequestView[];
  readonly variancesTotal: number;
  readonly costCenters: readonly CostCenterMonthView[];
  /** ISO instant the view was built at, and the zone to show it in. */
  readonly at: string;
  readonly timeZone: string;
}

function signOffEntry(s: SavingSignOffView): ContentBlock[] {
  return [
    text(md`*${s.title}* `, code(s.savingId)),
    fields(field('Cost center', s.costCenter), field('Proposed by', `@${s.proposer}`), field('Estimate', `${formatMoney(s.estimateMonthly, s.currency)} a month`)),
    savingSignOffButtons(s.savingId),
  ];
}

function varianceEntry(v: VarianceExplanationRequestView): ContentBlock[] {
  const money = (a: string) => formatMoney(a, v.currency);
  const parts = v.components.map((c) => `${c.component} ${money(c.amount)}`).join(' · ');
  return [
    text(md`*${v.costCenter}* · ${v.period}: ${money(v.actual)} against ${money(v.comparison)} the month before (${money(v.variance)})`),
    ...(parts ? [context('Still to explain: ', parts)] : []),
    explainButton(v.period, v.costCenter),
  ];
}

function section(title: string, shown: number, total: number, entries: readonly ContentBlock[][], more: string | undefined): MessageBlock[] {
  if (total === 0) return [];
  const blocks: MessageBlock[] = [divider(), text(md`*${title}* (${total})`), list(entries)];
  if (total > shown && more) blocks.push(context(`${total - shown} more not shown here: `, command(more)));
  return blocks;
}

/**
 * A person's own view of costbridge (Slack App Home, the Teams personal chat): what they may claim,
 * the sign-offs and variance explanations waiting for them, and their cost centers' month, with the
 * same buttons as the alerts, digests and requests (a click is checked against this very view).
 */
export function openDecisionsHome(view: OpenDecisionsHomeView): Message {
  const count = view.claimableTotal + view.signOffsTotal + view.variancesTotal;
  const blocks: MessageBlock[] = [
    header('Your open decisions'),
    context(
      md`${view.person}${view.roles.length > 0 ? ` · ${view.roles.join(', ')}` : ''}${view.period ? ` · ${view.period}` : ''} · updated ${formatInstant(view.at, view.timeZone)}`,
    ),
  ];
  if (count === 0) blocks.push(text(view.period ? 'Nothing is waiting for you: no spend to claim, no sign-off, no variance to explain.' : 'No cost data is imported yet, so nothing is waiting for you.'));
  blocks.push(
    ...section('To claim', view.claimable.length, view.claimableTotal, view.claimable.map(unattributedItemBlocks), view.period ? `unattributed ${view.period}` : undefined),
    ...section('Sign-offs waiting for you', view.signOffs.length, view.signOffsTotal, view.signOffs.map(signOffEntry), 'savings'),
    ...section('Variances waiting for your explanation', view.variances.length, view.variancesTotal, view.variances.map(varianceEntry), view.period ? `variance ${view.period}` : undefined),
  );
  if (view.costCenters.length > 0) {
    blocks.push(
      divider(),
      text(md`*Your cost centers* · ${view.period ?? ''}`),
      table(
        [{ header: 'Cost center' }, { header: 'Actual', align: 'right' }, { header: 'Previous', align: 'right' }, { header: 'Change', align: 'right' }],
        view.costCenters.map((c) => [c.costCenter, formatMoney(c.actual, c.currency), formatMoney(c.previous, c.currency), formatMoney(c.change, c.currency)]),
      ),
    );
  }
  const fallback = count === 0 ? 'Nothing is waiting for your decision.' : `${count} decisions wait for you: ${view.claimableTotal} to claim, ${view.signOffsTotal} sign-offs, ${view.variancesTotal} variances to explain.`;
  return message(fallback, blocks);
}
