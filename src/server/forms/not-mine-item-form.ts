import { dismissUnattributedItem } from '../../app/dismiss-unattributed-item.js';
import { booksEffectDetail } from '../../messages/views/books-effect.js';
import { decisionConfirmation } from '../../messages/views/decision-confirmation.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { formIds } from '../../messages/views/interaction-ids.js';
import { findUnattributedItem } from '../../store/unattributed-item-lookup.js';
import { alreadyDecidedNote, showItemDecision } from '../actions/unattributed-item-state.js';
import type { ChatForm } from './chat-form.js';
import { formText, readFormMetadata } from './form-origin.js';

/** Marks the reasons that came from chat's **Not mine**, so FinOps sees it was routed back to them. */
export const notMineReasonPrefix = 'Not mine: ';

/**
 * The **Not mine** form's submission: the item goes back to FinOps as a dismissal with the reason
 * (its lines stay unattributed and it can still be claimed by its real owner), audited; the alert is
 * updated in place.
 */
export const notMineItemForm: ChatForm = {
  callbackId: formIds.notMineItem,
  requiresPerson: true,
  validate(s) {
    return formText(s.values.reason) ? undefined : { reason: 'Say why it is not yours (and whose it is, if you know).' };
  },
  async submit(s, request) {
    const { ids, origin } = readFormMetadata(s.privateMetadata);
    const where = origin ? { replyIn: origin.target } : {};
    const itemId = typeof ids.itemId === 'string' && /^\d+$/.test(ids.itemId) ? Number(ids.itemId) : undefined;
    if (itemId === undefined) return { reply: errorMessage({ code: 'INPUT_INVALID', message: 'This form does not say which item it is about; click Not mine again.' }) };
    const person = request.requester.person!;
    const result = await dismissUnattributedItem(request.store, {
      itemId,
      reason: `${notMineReasonPrefix}${formText(s.values.reason)!}`,
      actor: person.id,
      surface: request.requester.surface,
    });
    const row = await findUnattributedItem(request.store.db, itemId);
    if (row) await showItemDecision(request, origin, row);
    if (!result.ok) {
      if (result.code !== 'NOT_FOUND' && row) return { reply: alreadyDecidedNote(row, request.config.timezone), ...where };
      return { reply: errorMessage({ code: 'NOT_FOUND', message: result.message }), ...where };
    }
    const reply = decisionConfirmation({
      decision: 'Sent back to FinOps',
      subject: row ? `${row.provider_name} · ${row.service_name}, ${String(row.period).slice(0, 7)} (item ${itemId})` : `item ${itemId}`,
      details: [{ label: 'Reason', value: formText(s.values.reason)! }, booksEffectDetail(result.books)],
      by: result.dismissedBy,
      at: result.dismissedAt,
      timeZone: request.config.timezone,
    });
    return { reply, ...where };
  },
};
