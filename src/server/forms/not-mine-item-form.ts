import { mayDo } from '../../app/authorization-policy.js';
import { dismissUnattributedItem } from '../../app/dismiss-unattributed-item.js';
import { sayNotMine } from '../../app/say-not-mine.js';
import { booksEffectDetail } from '../../messages/views/books-effect.js';
import { decisionConfirmation } from '../../messages/views/decision-confirmation.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { actionIds, formIds } from '../../messages/views/interaction-ids.js';
import { notMineNote } from '../../messages/views/unattributed-spend-alert.js';
import { findUnattributedItem } from '../../store/unattributed-item-lookup.js';
import { alreadyDecidedNote, showItemDecision } from '../actions/unattributed-item-state.js';
import { reviseClickedMessage } from '../revise-clicked-message.js';
import { withEntryNote } from '../view-inputs/decided-entry.js';
import type { ChatForm } from './chat-form.js';
import { formText } from './form-text.js';

/** Marks the reasons that came from chat's **Not mine**, so FinOps sees it was routed back to them. */
export const notMineReasonPrefix = 'Not mine: ';

/**
 * The **Not mine** form's submission. From finops or admin (who may dismiss) the item goes back to
 * FinOps as a dismissal with the reason (its lines stay unattributed and its real owner can still
 * claim it), audited, and the alert shows it in place of the buttons. From anyone else (an owner of
 * another cost center) it is a note on the alert — who says it is not theirs, and why — while the item
 * stays open with its buttons; the note is audited too.
 */
export const notMineItemForm: ChatForm = {
  callbackId: formIds.notMineItem,
  requiresPerson: true,
  validate(s) {
    return formText(s.values.reason) ? undefined : { reason: 'Say why it is not yours (and whose it is, if you know).' };
  },
  async submit(s, request, session) {
    const ids = session.subject;
    const itemId = typeof ids.itemId === 'string' && /^\d+$/.test(ids.itemId) ? Number(ids.itemId) : undefined;
    if (itemId === undefined) return { reply: errorMessage({ code: 'INPUT_INVALID', message: 'This form does not say which item it is about; click Not mine again.' }), decision: 'refused' };
    const person = request.requester.person!;
    const reason = formText(s.values.reason)!;
    if (!mayDo(person, 'dismiss')) {
      const noted = await sayNotMine(request.store, { itemId, reason, actor: person.id, surface: request.requester.surface, now: request.now });
      if (!noted.ok) {
        const row = noted.code === 'ALREADY_DECIDED' ? await findUnattributedItem(request.store.db, itemId) : undefined;
        if (row) return { reply: alreadyDecidedNote(row, request.config.timezone), decision: 'conflict' };
        return { reply: errorMessage({ code: noted.code === 'ALREADY_DECIDED' ? 'CONFLICT' : noted.code, message: noted.message }), decision: 'refused' };
      }
      const isItem = (b: { actionId: string; payload: Readonly<Record<string, string>> }) =>
        (b.actionId === actionIds.claimItem || b.actionId === actionIds.notMineItem) && b.payload.itemId === String(itemId);
      await reviseClickedMessage(request, session.origin, `not-mine:${itemId}:${person.id}`, (current) => withEntryNote(current, isItem, notMineNote(person.id, reason)));
      const reply = decisionConfirmation({
        decision: 'Noted: not yours',
        subject: `item ${itemId}`,
        details: [
          { label: 'Reason', value: reason },
          { label: 'Next', value: 'The item stays open for its owner; FinOps sees your note on the alert.' },
        ],
        by: noted.by,
        at: noted.at,
        timeZone: request.config.timezone,
      });
      return { reply };
    }
    const result = await dismissUnattributedItem(request.store, {
      itemId,
      reason: `${notMineReasonPrefix}${reason}`,
      actor: person.id,
      surface: request.requester.surface,
    });
    const row = await findUnattributedItem(request.store.db, itemId);
    if (!result.ok) {
      if ((result.code === 'ALREADY_CLAIMED' || result.code === 'ALREADY_DISMISSED') && row) return { reply: alreadyDecidedNote(row, request.config.timezone), decision: 'conflict' };
      return { reply: errorMessage({ code: result.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'NOT_FOUND', message: result.message }), decision: 'refused' };
    }
    if (row) await showItemDecision(request, session.origin, row);
    const reply = decisionConfirmation({
      decision: 'Sent back to FinOps',
      subject: row ? `${row.provider_name} · ${row.service_name}, ${String(row.period).slice(0, 7)} (item ${itemId})` : `item ${itemId}`,
      details: [{ label: 'Reason', value: reason }, booksEffectDetail(result.books)],
      by: result.dismissedBy,
      at: result.dismissedAt,
      timeZone: request.config.timezone,
    });
    return { reply };
  },
};
