import type { DigestBudgetRow, DigestUnattributedItem } from '../../domain/digest.js';
import { formatMoney, Money, sumAmounts } from '../../domain/money.js';
import { billedLabel, effectiveLabel } from '../cost-bases.js';
import { actions, button, context, header, list, message, table, text } from '../message-blocks.js';
import type { ContentBlock, Message, MessageBlock } from '../message-model.js';
import { code, md } from '../rich-text.js';
import { actionIds } from './interaction-ids.js';
import { projectionTable, projectionTotals } from './projection-table.js';
import { overBudgetItems } from '../../domain/digest.js';
import { unattributedScope } from '../../domain/cost-center-rollup.js';

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

/** One cost center of the pre-close handoff as the review message shows it (effective cost). */
export type HandoffMessageRow = Omit<DigestBudgetRow, 'name'>;

/** What the pre-close handoff message shows. */
export interface HandoffMessageView {
  readonly period: string;
  readonly asOf: string;
  readonly handoffDate: string;
  readonly assumptions: readonly string[];
  /** Worst first; only the channel's cost centers in an owner's channel. */
  readonly rows: readonly HandoffMessageRow[];
  /** Cost centers of an owner's channel (empty: the joint overview). */
  readonly scope: readonly string[];
  readonly demo: boolean;
  /** The period close to mention ("October 2026 closed on 2026-11-05 by …"), if any. */
  readonly close?: string | null;
  /** The cost center whose budget the unattributed row is compared with, or null. */
  readonly unattributedCarriedBy?: string | null;
}

/** The pre-close handoff: FinOps' projected period end per cost center against budget and the ITFM forecast, before close. */
export function preCloseHandoffMessage(view: HandoffMessageView): Message {
  const demo = view.demo ? ' [DEMO DATA]' : '';
  const scope = view.scope.length > 0 ? ` · ${view.scope.join(', ')}` : '';
  const over = overBudgetItems(view.rows.map((r) => ({ ...r, name: null })));
  const unattributed = view.rows.find((r) => r.costCenter === unattributedScope);
  const overCenters = over.filter((r) => r.costCenter !== unattributedScope);
  const overUnattributed = over.some((r) => r.costCenter === unattributedScope);
  // Unattributed spend without a carrier has no budget: said first, never hidden behind "nothing over budget".
  const headline =
    overUnattributed && unattributed
      ? [
          md`*${formatMoney(unattributed.projected, unattributed.currency)}* of unattributed spend (its own row) is projected with no budget; `,
          overCenters.length > 0 ? md`*${overCenters.length}* cost centers are projected over budget beyond the materiality thresholds.` : 'beyond it, no cost center is projected materially over budget.',
        ]
      : [overCenters.length > 0 ? md`*${overCenters.length}* cost centers are projected over budget beyond the materiality thresholds.` : 'No cost center is projected materially over budget.'];
  const blocks: MessageBlock[] = [
    header(`Pre-close handoff · ${view.period}${scope}${demo}`),
    text(md`FinOps' projected period end for *${view.period}* (effective cost, data before ${view.asOf}), handed to ITFM on ${view.handoffDate}, before close. `, ...headline),
    ...(view.close ? [context(view.close)] : []),
  ];
  if (view.rows.length === 0) blocks.push(context('No projection, budget or forecast for this month.'));
  else {
    blocks.push(projectionTable(view.rows));
    const totals = projectionTotals(view.rows);
    blocks.push(
      context(
        `Total: ${totals.map((t) => `${formatMoney(t.monthToDate, t.currency)} to date, projected ${formatMoney(t.projected, t.currency)} against budget ${formatMoney(t.budget, t.currency)}`).join('; ')}`,
        view.rows.some((r) => (r.depth ?? 0) > 0) ? ' (indented rows are inside their parent).' : '.',
        unattributed && view.unattributedCarriedBy ? ` ${unattributedScope} is compared with ${view.unattributedCarriedBy}'s budget, as the GL books it.` : '',
      ),
    );
  }
  if (view.assumptions.length > 0) blocks.push(context(`Assumptions: ${view.assumptions.join(' ')}`));
  blocks.push(context('Drivers, planned actions and open variances: ', code(`npx costbridge handoff --period ${view.period} --as-of ${view.asOf}`)));
  const count = overCenters.length + (overUnattributed ? 1 : 0);
  return message(`Pre-close handoff ${view.period}${scope}${demo}: ${view.rows.length} rows, ${count} projected materially over budget`, blocks);
}

/** One cost center's showback (direct plus allocated shared cost) on both bases. */
export interface ShowbackMessageRow {
  readonly costCenter: string;
  readonly name: string | null;
  readonly currency: string;
  readonly directEffective: string;
  readonly allocatedEffective: string;
  readonly totalEffective: string;
  readonly totalBilled: string;
}

/** What the monthly showback message shows. */
export interface ShowbackMessageView {
  readonly period: string;
  /** Largest effective total first; only the channel's cost centers in an owner's channel. */
  readonly rows: readonly ShowbackMessageRow[];
  /** Per currency: spend no cost center accounts for (overview only). */
  readonly unattributed: readonly { readonly currency: string; readonly effective: string; readonly billed: string }[] | null;
  readonly scope: readonly string[];
  readonly poolsFile: string | null;
  readonly demo: boolean;
  /** The period close to mention ("October 2026 closed on 2026-11-05 by …: figures as closed"), if any. */
  readonly close?: string | null;
}

/** The monthly showback after close: each cost center's cost, direct and allocated, on both bases. */
export function monthlyShowbackMessage(view: ShowbackMessageView): Message {
  const demo = view.demo ? ' [DEMO DATA]' : '';
  const scope = view.scope.length > 0 ? ` · ${view.scope.join(', ')}` : '';
  const blocks: MessageBlock[] = [
    header(`Showback · ${view.period}${scope}${demo}`),
    text(
      md`What each cost center consumed in *${view.period}*: its direct cost plus its share of shared-cost pools`,
      view.poolsFile ? '' : ' (no shared-cost pools configured)',
      '. ',
      `${effectiveLabel} is the FinOps view; ${billedLabel} is what ITFM reconciles to the GL.`,
    ),
    ...(view.close ? [context(view.close)] : []),
  ];
  // The overview lists unattributed spend as its own (bridge) row, so the table sums to the month's spend.
  const bridge = (view.unattributed ?? []).filter((u) => !new Money(u.effective).isZero() || !new Money(u.billed).isZero());
  const rows: ShowbackMessageRow[] = [
    ...view.rows,
    ...bridge.map((u) => ({ costCenter: unattributedScope, name: null, currency: u.currency, directEffective: u.effective, allocatedEffective: '0', totalEffective: u.effective, totalBilled: u.billed })),
  ];
  if (rows.length === 0) blocks.push(context('No cost this month.'));
  else {
    blocks.push(
      table(
        [
          { header: 'Cost center' },
          { header: 'Direct', align: 'right' },
          { header: 'Allocated', align: 'right' },
          { header: 'Total effective', align: 'right' },
          { header: 'Total billed', align: 'right' },
        ],
        rows.map((r) => [r.costCenter, formatMoney(r.directEffective, r.currency), formatMoney(r.allocatedEffective, r.currency), formatMoney(r.totalEffective, r.currency), formatMoney(r.totalBilled, r.currency)]),
      ),
    );
    const currencies = [...new Set(rows.map((r) => r.currency))].sort();
    const total = (currency: string, f: (r: ShowbackMessageRow) => string) => formatMoney(sumAmounts(rows.filter((r) => r.currency === currency), f), currency);
    blocks.push(context(`Total: ${currencies.map((c) => `${total(c, (r) => r.totalEffective)} effective, ${total(c, (r) => r.totalBilled)} billed`).join('; ')}${view.unattributed !== null ? ' (every cost of the month)' : ''}.`));
  }
  if (bridge.length > 0) blocks.push(context(`${unattributedScope}: spend no known cost center accounts for; claim it: `, code(`npx costbridge unattributed --period ${view.period}`)));
  blocks.push(context('Details by GL account and pool: ', code(`npx costbridge showback --period ${view.period}`)));
  return message(`Showback ${view.period}${scope}${demo}: ${view.rows.length} cost centers`, blocks);
}
