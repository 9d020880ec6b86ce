import { costBasisFields } from '../cost-bases.js';
import { actions, button, context, field, fields, header, list, message, text } from '../message-blocks.js';
import type { ContentBlock, Message } from '../message-model.js';
import { code, md, rich } from '../rich-text.js';
import { actionIds } from './interaction-ids.js';

/** New spend from a vendor with no contract classification (mapped from the unclassified-spend use case). */
export interface UnclassifiedSpendView {
  readonly vendor: string;
  readonly serviceCategory?: string;
  readonly service?: string;
  readonly effectiveCost: string;
  readonly billedCost: string;
  readonly currency: string;
  readonly lines: number;
}

/** The alert: a billing month's unclassified new spend, per vendor. */
export interface UnclassifiedNewSpendAlertView {
  readonly period: string;
  readonly items: readonly UnclassifiedSpendView[];
}

function itemBlocks(period: string, item: UnclassifiedSpendView): ContentBlock[] {
  const what = [item.serviceCategory, item.service].filter((x): x is string => Boolean(x)).join(' · ');
  return [
    text(md`*${item.vendor}*`, what ? ` (${what})` : ''),
    fields(...costBasisFields(item.effectiveCost, item.billedCost, item.currency), field('Lines', String(item.lines))),
    actions(
      button(actionIds.classifySpend, 'Classify', { vendor: item.vendor, period }, { style: 'primary', cliHint: 'npx costbridge contracts apply CONTRACT.yaml --as YOU' }),
    ),
  ];
}

/** A classification recorded from the alert (the contract the **Classify** form created). */
export interface SpendClassificationView {
  readonly by: string;
  readonly contractId: string;
  readonly category: string;
  readonly glAccount: string;
  readonly costCenter: string;
}

/** The line a classified vendor shows in place of **Classify**. */
export function spendClassificationOutcome(c: SpendClassificationView): ContentBlock {
  return context(md`Classified by *@${c.by}* as *${c.category}*: contract `, code(c.contractId), md`, GL ${c.glAccount}, cost center *${c.costCenter}*`);
}

/** New spend no contract classifies: vendor, amounts on both bases, and **Classify**. */
export function unclassifiedNewSpendAlert(view: UnclassifiedNewSpendAlertView): Message {
  return message(`${view.items.length} vendors with unclassified new spend in ${view.period}`, [
    header(`Unclassified new spend · ${view.period}`),
    text('These vendors billed spend no contract classifies yet. Classify each so its invoices land with a GL account, category and owner.'),
    list(view.items.map((item) => itemBlocks(view.period, item))),
    context(rich('Everything: ', code(`npx costbridge unclassified --period ${view.period}`))),
  ]);
}
