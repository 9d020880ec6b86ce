import { formatMoney, Money } from '../../domain/money.js';
import { formatInstant } from '../cost-bases.js';
import { actions, button, context, field, fields, header, message, table, text } from '../message-blocks.js';
import type { ContentBlock, Message } from '../message-model.js';
import { code, link, md, rich, type RichTextPart } from '../rich-text.js';
import { actionIds } from './interaction-ids.js';

/** A budget revision written when a saving was recognized. */
export interface BudgetRevisionView {
  readonly costCenter: string;
  readonly fromMonth: string;
  readonly toMonth: string;
  /** Amount the budget goes down by each month (positive). */
  readonly monthlyAmount: string;
  readonly currency: string;
}

/** The decision on a saving, once made. */
export interface SavingDecisionView {
  readonly outcome: 'recognized' | 'rejected' | 'withdrawn';
  readonly by: string;
  /** ISO instant. */
  readonly at: string;
  readonly recognizedMonthly?: string;
  readonly fromMonth?: string;
  readonly reason?: string;
  readonly budgetRevision?: BudgetRevisionView;
}

/** A proposed saving as the sign-off request shows it (mapped from the savings use case). */
export interface SavingSignOffView {
  readonly savingId: string;
  readonly title: string;
  readonly lever: string;
  readonly leverKind: 'rate' | 'usage';
  readonly type: 'reduction' | 'avoidance';
  readonly costCenter: string;
  readonly proposer: string;
  readonly currency: string;
  readonly estimateMonthly: string;
  /** Estimate vs measured per month (`measured` null until data exists). */
  readonly months: readonly { readonly month: string; readonly estimate: string; readonly measured: string | null }[];
  /** Over the measured months: estimate, measured, their difference and (usage levers) the price effect, not this saving. */
  readonly totals?: { readonly estimate: string; readonly measured: string; readonly difference: string; readonly priceEffect: string | null };
  readonly overlaps: readonly { readonly savingId: string; readonly title: string }[];
  readonly evidence: readonly { readonly label: string; readonly url?: string }[];
  readonly status: 'proposed' | 'validated' | 'recognized' | 'rejected' | 'withdrawn';
  readonly decision?: SavingDecisionView;
  /** IANA time zone for the decision time (default UTC). */
  readonly timeZone?: string;
}

function decisionBlocks(view: SavingSignOffView, d: SavingDecisionView): ContentBlock[] {
  const when = formatInstant(d.at, view.timeZone);
  if (d.outcome === 'rejected') return [text(md`*Rejected* by @${d.by} on ${when}`, d.reason ? `: ${d.reason}` : '')];
  if (d.outcome === 'withdrawn') return [text(md`*Withdrawn* by @${d.by} on ${when}`)];
  const blocks: ContentBlock[] = [
    text(md`*Approved* by @${d.by} on ${when}: recognized *${formatMoney(d.recognizedMonthly ?? '0', view.currency)}* a month from ${d.fromMonth ?? '?'}.`),
  ];
  const r = d.budgetRevision;
  if (r) blocks.push(context(`Budget revision: ${r.costCenter} lowered by ${formatMoney(r.monthlyAmount, r.currency)} a month, ${r.fromMonth} to ${r.toMonth}.`));
  else if (view.type === 'avoidance') blocks.push(context('Cost avoidance: no budget line is reduced.'));
  return blocks;
}

/** The line a list entry about the saving (a digest's) shows once it is decided; undefined while undecided. */
export function savingDecisionLine(view: SavingSignOffView): ContentBlock | undefined {
  return view.decision ? decisionBlocks(view, view.decision)[0] : undefined;
}

/** **Approve** / **Reject** of a saving waiting for sign-off (the same wherever the saving is shown). */
export function savingSignOffButtons(savingId: string): ContentBlock {
  return actions(
    button(actionIds.approveSaving, 'Approve', { savingId }, { style: 'primary', cliHint: `npx costbridge savings approve ${savingId} --amount AMOUNT --from YYYY-MM --as YOU` }),
    button(actionIds.rejectSaving, 'Reject', { savingId }, { style: 'danger', cliHint: `npx costbridge savings reject ${savingId} --reason "..." --as YOU` }),
  );
}

/** A saving waiting for ITFM sign-off: estimate vs measured by month, overlaps, evidence, **Approve** / **Reject**; after a decision, who decided, when, and the budget revision. */
export function savingsSignOffRequest(view: SavingSignOffView): Message {
  const money = (amount: string) => formatMoney(amount, view.currency);
  const blocks: ContentBlock[] = [
    header(`Savings sign-off: ${view.title}`),
    fields(
      field('Saving', code(view.savingId)),
      field('Cost center', view.costCenter),
      field('Lever', `${view.lever} (${view.leverKind})`),
      field('Type', view.type === 'reduction' ? 'Cost reduction' : 'Cost avoidance'),
      field('Proposed by', `@${view.proposer}`),
      field('Estimate', `${money(view.estimateMonthly)} a month`),
    ),
  ];
  if (view.months.length > 0) {
    const difference = (m: { estimate: string; measured: string | null }) => (m.measured === null ? '' : money(new Money(m.measured).minus(m.estimate).toFixed()));
    const rows = view.months.map((m) => [m.month, money(m.estimate), m.measured === null ? 'not measured yet' : money(m.measured), difference(m)]);
    if (view.totals) rows.push(['Total', money(view.totals.estimate), money(view.totals.measured), money(view.totals.difference)]);
    blocks.push(
      table(
        [{ header: 'Month' }, { header: 'Estimate', align: 'right' }, { header: 'Measured', align: 'right' }, { header: 'Difference', align: 'right' }],
        rows,
      ),
    );
  }
  if (view.totals?.priceEffect && !new Money(view.totals.priceEffect).isZero()) {
    blocks.push(context(`Price effect (not this saving): ${money(view.totals.priceEffect)}. Usage savings are measured at the baseline unit price, so a price change does not count for or against them.`));
  }
  if (view.overlaps.length > 0) {
    const parts: RichTextPart[] = [];
    view.overlaps.forEach((o, i) => parts.push(i > 0 ? ', ' : '', code(o.savingId), ` ${o.title}`));
    blocks.push(text(md`⚠ *Overlaps* with `, ...parts, ': the same spend may be counted twice.'));
  }
  if (view.evidence.length > 0) {
    const parts: RichTextPart[] = [];
    view.evidence.forEach((e, i) => parts.push(i > 0 ? ' · ' : '', e.url ? link(e.label, e.url) : e.label));
    blocks.push(context(rich('Evidence: ', ...parts)));
  }
  if (view.decision) blocks.push(...decisionBlocks(view, view.decision));
  else if (view.status === 'proposed' || view.status === 'validated') {
    blocks.push(savingSignOffButtons(view.savingId));
  }
  const fallback = view.decision
    ? `Saving ${view.savingId} "${view.title}" ${view.decision.outcome} by @${view.decision.by}`
    : `Saving ${view.savingId} "${view.title}" needs sign-off: estimate ${money(view.estimateMonthly)} a month`;
  return message(fallback, blocks);
}
