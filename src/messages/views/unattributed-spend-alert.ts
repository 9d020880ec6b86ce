import { formatMoney, Money } from '../../domain/money.js';
import { costBasisFields } from '../cost-bases.js';
import { actions, button, context, field, fields, header, list, message, text } from '../message-blocks.js';
import type { ContentBlock, Message } from '../message-model.js';
import { bold, md } from '../rich-text.js';
import { actionIds } from './interaction-ids.js';

/** One unattributed-spend item as the alert shows it (mapped from the attribution use case). */
export interface UnattributedItemView {
  readonly id: string;
  readonly provider: string;
  readonly billingAccountId: string;
  readonly subAccountId: string | null;
  readonly service: string;
  /** Exact decimal strings. */
  readonly effectiveCost: string;
  readonly billedCost: string;
  readonly currency: string;
  readonly lines: number;
  readonly reason: string;
  /** Largest resources by effective cost. */
  readonly topResources: readonly { readonly resourceId: string; readonly cost: string }[];
  readonly status: 'open' | 'claimed' | 'dismissed';
  readonly claimedBy?: string;
  readonly claimedCostCenter?: string;
  readonly dismissedBy?: string;
  readonly dismissReason?: string;
}

/** An unattributed item that nets to a credit (≤ 0 on both bases): shown apart, never claimable. */
export interface UnattributedCreditView {
  readonly id: string;
  readonly provider: string;
  readonly service: string;
  /** Exact decimal strings. */
  readonly effectiveCost: string;
  readonly billedCost: string;
  readonly currency: string;
}

/** The alert: a billing month's unattributed items, and its unattributed credits apart. */
export interface UnattributedSpendAlertView {
  readonly period: string;
  readonly items: readonly UnattributedItemView[];
  readonly credits?: readonly UnattributedCreditView[];
}

const shownCredits = 5;

/**
 * The month's unattributed credits in one line per currency, as the CLI lists them: not spend to
 * claim (they net to ≤ 0), but part of the unattributed total finance bridges to the books.
 */
function unattributedCreditsBlocks(period: string, credits: readonly UnattributedCreditView[]): ContentBlock[] {
  const currencies = [...new Set(credits.map((c) => c.currency))].sort();
  return currencies.map((currency) => {
    const mine = credits.filter((c) => c.currency === currency);
    const shown = mine.slice(0, shownCredits).map((c) => `${c.provider} · ${c.service} ${formatMoney(c.effectiveCost, currency)}`);
    const more = mine.length > shownCredits ? ` and ${mine.length - shownCredits} more (\`npx costbridge unattributed --period ${period}\`)` : '';
    return context(
      bold(`Unattributed credits (${mine.length}, ${formatMoney(sum(mine.map((c) => c.effectiveCost)), currency)} effective)`),
      `: net cost ≤ 0 on both bases, so not spend to claim: ${shown.join(' · ')}${more}`,
    );
  });
}

const shownResources = 5;

/** One item's entry: what it is, its cost on both bases, top resources, and **Claim** / **Not mine** while open (else its outcome). */
export function unattributedItemBlocks(item: UnattributedItemView): ContentBlock[] {
  const where = item.subAccountId ? `account ${item.billingAccountId} · sub-account ${item.subAccountId}` : `account ${item.billingAccountId}`;
  const blocks: ContentBlock[] = [
    text(md`*${item.provider} · ${item.service}*`, ` (${where})`),
    fields(...costBasisFields(item.effectiveCost, item.billedCost, item.currency), field('Lines', String(item.lines)), field('Reason', item.reason)),
  ];
  if (item.topResources.length > 0) {
    const top = item.topResources.slice(0, shownResources).map((r) => `${r.resourceId} ${formatMoney(r.cost, item.currency)}`);
    blocks.push(context('Top resources (effective): ', top.join(' · ')));
  }
  const outcome = unattributedItemOutcome(item);
  if (outcome) {
    blocks.push(outcome);
  } else {
    blocks.push(
      actions(
        button(actionIds.claimItem, 'Claim', { itemId: item.id }, { style: 'primary', cliHint: `npx costbridge claim ${item.id} --cost-center CODE --as YOU` }),
        button(actionIds.notMineItem, 'Not mine', { itemId: item.id }, { cliHint: `npx costbridge dismiss ${item.id} --reason "..." --as YOU` }),
      ),
    );
  }
  return blocks;
}

/** The line a decided item shows in place of its buttons (who claimed it, or who sent it back and why); undefined while open. */
export function unattributedItemOutcome(
  item: Pick<UnattributedItemView, 'status' | 'claimedBy' | 'claimedCostCenter' | 'dismissedBy' | 'dismissReason'>,
): ContentBlock | undefined {
  if (item.status === 'claimed') return context(md`Claimed by *@${item.claimedBy ?? 'someone'}* for *${item.claimedCostCenter ?? '?'}*`);
  if (item.status === 'dismissed') return context(bold(`Sent back to FinOps${item.dismissedBy ? ` by @${item.dismissedBy}` : ''}`), item.dismissReason ? `: ${item.dismissReason}` : '');
  return undefined;
}

/** The note an open item shows when someone says it is not theirs (it stays open, with its buttons). */
export function notMineNote(by: string, reason: string): ContentBlock {
  return context(md`Not mine, says *@${by}*: `, reason);
}

/** The alert's summary line: how many items, how many still open. */
export function unattributedAlertSummary(items: number, open: number): ContentBlock {
  return text(md`*${items}* items have spend no cost center or owner accounts for; *${open}* still open. Claim what is yours, or send it back to FinOps.`);
}

/** Unattributed spend for a month, one entry per item with **Claim** / **Not mine** while open. */
export function unattributedSpendAlert(view: UnattributedSpendAlertView): Message {
  const open = view.items.filter((i) => i.status === 'open').length;
  const currencies = [...new Set(view.items.map((i) => i.currency))];
  const fallback = `${view.items.length} unattributed spend items for ${view.period} (${open} open)${currencies.length === 1 ? `, ${formatMoney(sum(view.items.map((i) => i.effectiveCost)), currencies[0]!)} effective` : ''}`;
  return message(
    fallback,
    [
      header(`Unattributed spend · ${view.period}`),
      unattributedAlertSummary(view.items.length, open),
      list(view.items.map(unattributedItemBlocks)),
      ...unattributedCreditsBlocks(view.period, view.credits ?? []),
    ],
    `unattributed ${view.period}`,
  );
}

function sum(amounts: readonly string[]): string {
  return amounts.reduce((total, a) => total.plus(a), new Money(0)).toFixed();
}
