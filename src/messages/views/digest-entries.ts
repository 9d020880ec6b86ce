import type { DigestNewSpend, DigestOpenVariance, DigestSavingAwaiting, DigestUnattributedItem } from '../../domain/digest.js';
import { formatMoney } from '../../domain/money.js';
import { countOf } from '../count-words.js';
import { actions, button, context, text } from '../message-blocks.js';
import type { ContentBlock } from '../message-model.js';
import { code, md } from '../rich-text.js';
import { actionIds } from './interaction-ids.js';
import { signedAmount } from './projection-table.js';

// One entry per thing a person decides, with its buttons: the digest's "Needs a decision", its
// thread and the View all list build their entries here, so a button means the same everywhere.

/** An unattributed item to claim: where it comes from, what it costs, Claim / Not mine. */
export function unattributedEntry(period: string, i: DigestUnattributedItem): ContentBlock[] {
  const where = [i.billingAccountId && `account ${i.billingAccountId}`, i.subAccountId && `sub-account ${i.subAccountId}`].filter(Boolean).join(' · ');
  const entry: ContentBlock[] = [
    text(md`Claim: *${i.provider || '(no provider)'} · ${i.service || '(no service)'}*`, where ? ` (${where})` : '', `: ${formatMoney(i.effective, i.currency)} effective, ${countOf(i.lines, 'line')}`),
  ];
  if (i.itemId) {
    entry.push(
      actions(
        button(actionIds.claimItem, 'Claim', { itemId: i.itemId }, { style: 'primary', cliHint: `npx costbridge claim ${i.itemId} --cost-center CODE --as YOU` }),
        button(actionIds.notMineItem, 'Not mine', { itemId: i.itemId }, { cliHint: `npx costbridge dismiss ${i.itemId} --reason "..." --as YOU` }),
      ),
    );
  } else {
    entry.push(context('Claim it once listed: ', code(`npx costbridge unattributed --period ${period}`)));
  }
  return entry;
}

/** A saving waiting for ITFM sign-off: Approve / Reject. */
export function savingEntry(s: DigestSavingAwaiting): ContentBlock[] {
  return [
    text(md`Sign off: *${s.title}* `, code(s.id), ` · ${s.costCenter} · ${s.type === 'reduction' ? 'cost reduction' : 'cost avoidance'} · estimate ${formatMoney(s.estimateMonthly, s.currency)} a month (${s.status})`),
    actions(
      button(actionIds.approveSaving, 'Approve', { savingId: s.id }, { style: 'primary', cliHint: `npx costbridge savings approve ${s.id} --amount AMOUNT --from YYYY-MM --as YOU` }),
      button(actionIds.rejectSaving, 'Reject', { savingId: s.id }, { style: 'danger', cliHint: `npx costbridge savings reject ${s.id} --reason "..." --as YOU` }),
    ),
  ];
}

/** A material variance nobody has explained: Explain. */
export function varianceEntry(period: string, v: DigestOpenVariance): ContentBlock[] {
  return [
    text(md`Explain: *${v.costCenter}* `, v.components.map((c) => `${c.component} ${signedAmount(c.amount, v.currency)}`).join(', ')),
    actions(
      button(actionIds.explainVariance, 'Explain', { period, scope: v.costCenter }, {
        style: 'primary',
        cliHint: `npx costbridge variance explain --period ${period} --scope ${v.costCenter} --component ${v.components[0]?.component ?? 'COMPONENT'} --planned|--unplanned --text "..." --as YOU`,
      }),
    ),
  ];
}

/** New spend without a contract classification: Classify. */
export function newSpendEntry(period: string, n: DigestNewSpend): ContentBlock[] {
  return [
    text(md`Classify: *${n.vendor}*`, ` (${[n.newVendor ? 'new vendor' : 'governed category', n.serviceCategory, n.service].filter(Boolean).join(' · ')}): ${formatMoney(n.effective, n.currency)} effective without a contract`),
    actions(button(actionIds.classifySpend, 'Classify', { vendor: n.vendor, period }, { style: 'primary', cliHint: 'npx costbridge contracts apply CONTRACT.yaml --as YOU' })),
  ];
}
