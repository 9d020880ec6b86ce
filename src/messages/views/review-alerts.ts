import type { DigestBudgetRow, DigestUnattributedItem } from '../../domain/digest.js';
import { formatMoney, Money } from '../../domain/money.js';
import { actions, button, context, header, list, message, table, text } from '../message-blocks.js';
import type { ContentBlock, Message } from '../message-model.js';
import { code, md } from '../rich-text.js';
import { actionIds } from './interaction-ids.js';

/** The variance alert: cost centers whose run-rate projection crosses their budget by the materiality thresholds. */
export function varianceAlertMessage(view: { period: string; asOf: string; rows: readonly DigestBudgetRow[]; demo: boolean }): Message {
  const demo = view.demo ? ' [DEMO DATA]' : '';
  return message(`${view.rows.length} cost centers projected over budget for ${view.period}${demo}`, [
    header(`Variance alert · ${view.period}${demo}`),
    text(md`*${view.rows.length}* cost centers are projected to end ${view.period} over budget by more than the materiality thresholds (data before ${view.asOf}, effective cost).`),
    table(
      [{ header: 'Cost center' }, { header: 'Projected', align: 'right' }, { header: 'Budget', align: 'right' }, { header: 'Over by', align: 'right' }],
      view.rows.map((r) => [r.costCenter, formatMoney(r.projected, r.currency), formatMoney(r.budget, r.currency), formatMoney(r.differenceToBudget, r.currency)]),
    ),
    context('Details and drivers: ', code(`npx costbridge handoff --period ${view.period}`)),
  ]);
}

/** The unattributed-spend alert: new items above the thresholds since the last alert. */
export function unattributedAlertMessage(view: { period: string; items: readonly DigestUnattributedItem[]; demo: boolean }): Message {
  const demo = view.demo ? ' [DEMO DATA]' : '';
  const currencies = [...new Set(view.items.map((i) => i.currency))];
  const total = currencies.length === 1 ? ` (${formatMoney(view.items.reduce((s, i) => s.plus(i.effective), new Money(0)).toFixed(), currencies[0]!)} effective)` : '';
  return message(
    `${view.items.length} new unattributed spend items for ${view.period}${total}${demo}`,
    [
      header(`New unattributed spend · ${view.period}${demo}`),
      text(md`*${view.items.length}* new items above the thresholds have spend no cost center or owner accounts for. Claim what is yours.`),
      list(
        view.items.map((i): ContentBlock[] => {
          const blocks: ContentBlock[] = [text(md`*${i.provider || '(no provider)'} · ${i.service || '(no service)'}*`, ` (account ${i.billingAccountId || '?'}): ${formatMoney(i.effective, i.currency)} effective, ${formatMoney(i.billed, i.currency)} billed`)];
          if (i.itemId) {
            blocks.push(
              actions(
                button(actionIds.claimItem, 'Claim', { itemId: i.itemId }, { style: 'primary', cliHint: `npx costbridge claim ${i.itemId} --cost-center CODE --as YOU` }),
                button(actionIds.notMineItem, 'Not mine', { itemId: i.itemId }, { cliHint: `npx costbridge dismiss ${i.itemId} --reason "..." --as YOU` }),
              ),
            );
          }
          return blocks;
        }),
      ),
    ],
    `unattributed ${view.period}`,
  );
}
