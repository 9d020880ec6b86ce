import { authorize } from '../../app/authorization-policy.js';
import { unattributedItemSpend } from '../../app/list-unattributed-spend.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { claimForm } from '../../messages/views/claim-form.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { actionIds } from '../../messages/views/interaction-ids.js';
import { findUnattributedItem } from '../../store/unattributed-item-lookup.js';
import type { ChatAction } from './chat-action.js';
import { alreadyDecidedNote, showItemDecision } from './unattributed-item-state.js';

/** The item id a Claim / Not mine button carries. */
export function itemIdOf(payload: Readonly<Record<string, string>>): number | undefined {
  return payload.itemId && /^\d+$/.test(payload.itemId) ? Number(payload.itemId) : undefined;
}

/**
 * **Claim** on an unattributed-spend item: opens the claim form (cost center from master data,
 * owner prefilled with the clicker) for people who may claim for some cost center (an owner, finops,
 * admin: the `claim` policy row; which cost center is checked again at submit). An item already
 * claimed gets the clicker a private note naming who claimed it, and the alert is brought up to date.
 */
export const claimItemAction: ChatAction = {
  actionId: actionIds.claimItem,
  requiresPerson: true,
  async run(payload, request) {
    const id = itemIdOf(payload);
    const row = id === undefined ? undefined : await findUnattributedItem(request.store.db, id);
    if (!row) return { reply: errorMessage({ code: 'NOT_FOUND', message: `There is no unattributed item ${payload.itemId ?? ''}.` }) };
    if (row.status === 'claimed') {
      await showItemDecision(request, request.clicked, row);
      return { reply: alreadyDecidedNote(row, request.config.timezone) };
    }
    const person = request.requester.person!;
    const allowed = await authorize(request.store.db, {
      action: 'claim',
      actor: person.id,
      surface: request.requester.surface,
      auditAction: 'unattributed.claim',
      subjectType: 'unattributed_item',
      subjectId: String(row.id),
    });
    if (!allowed.ok) return { reply: errorMessage({ code: 'FORBIDDEN', message: allowed.message }) };
    const a = request.config.attribution;
    const period = String(row.period).slice(0, 7);
    // Only this item's lines: a click on a busy alert must not recompute the whole month.
    const spend = await unattributedItemSpend(request.store, row, { period: parseBillingMonth(period), basis: 'effective', requiredFields: a.requiredFields });
    if (spend.credit) {
      return { reply: errorMessage({ code: 'INPUT_INVALID', message: `Item ${row.id} nets to a credit in ${period}: there is no spend to claim.` }) };
    }
    const item = spend.spend;
    if (!item) {
      return { reply: errorMessage({ code: 'NOT_FOUND', message: `Item ${row.id} has no unattributed spend left in ${period}: its lines are attributed now.` }) };
    }
    const f = claimForm({
      itemId: String(row.id),
      provider: row.provider_name || '(no provider)',
      service: row.service_name || '(no service)',
      period,
      effectiveCost: item.effectiveCost,
      billedCost: item.billedCost,
      currency: item.currency,
      clicker: person.email ?? person.id,
    });
    return { openForm: f };
  },
};
