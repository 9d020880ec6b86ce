import { claimUnattributedItem } from '../../app/claim-unattributed-item.js';
import { booksEffectDetail } from '../../messages/views/books-effect.js';
import { decisionConfirmation } from '../../messages/views/decision-confirmation.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { formIds, optionSources } from '../../messages/views/interaction-ids.js';
import { findUnattributedItem } from '../../store/unattributed-item-lookup.js';
import { alreadyDecidedNote, showItemDecision } from '../actions/unattributed-item-state.js';
import type { ChatForm } from './chat-form.js';
import { formText } from './form-text.js';

/**
 * The claim form's submission: `claimUnattributedItem` as the clicker on the form session's item
 * (one transaction, item row locked: of two claimers exactly one wins; the policy decides who may
 * claim for the chosen cost center and scope), then the alert the form came from is updated in place
 * for everyone and the claimer gets a private confirmation; a later claimer is told privately who won,
 * and a refused claim changes no message.
 */
export const claimItemForm: ChatForm = {
  callbackId: formIds.claimItem,
  requiresPerson: true,
  searchInputs: { costCenter: optionSources.claimableCostCenters },
  validate(s) {
    const errors: Record<string, string> = {};
    if (!formText(s.values.costCenter)) errors.costCenter = 'Pick the cost center that owns this spend.';
    const scope = formText(s.values.scope) ?? 'item';
    if (scope !== 'item' && scope !== 'future') errors.scope = 'Choose this item only, or all future matching spend.';
    return Object.keys(errors).length > 0 ? errors : undefined;
  },
  async submit(s, request, session) {
    const ids = session.subject;
    const itemId = typeof ids.itemId === 'string' && /^\d+$/.test(ids.itemId) ? Number(ids.itemId) : undefined;
    if (itemId === undefined) return { reply: errorMessage({ code: 'INPUT_INVALID', message: 'This form does not say which item it claims; click Claim again.' }) };
    const person = request.requester.person!;
    const optional = (id: string) => {
      const v = formText(s.values[id]);
      return v === undefined ? {} : { [id]: v };
    };
    const result = await claimUnattributedItem(request.store, {
      itemId,
      costCenter: formText(s.values.costCenter)!,
      ...optional('application'),
      ...optional('environment'),
      ...optional('project'),
      ...optional('owner'),
      scope: formText(s.values.scope) === 'future' ? 'future' : 'item',
      actor: person.id,
      surface: request.requester.surface,
      requiredFields: request.config.attribution.requiredFields,
    });
    const row = await findUnattributedItem(request.store.db, itemId);
    if (!result.ok) {
      if (result.code === 'ALREADY_CLAIMED' && row) return { reply: alreadyDecidedNote(row, request.config.timezone), decision: 'conflict' };
      const code = result.code === 'UNKNOWN_COST_CENTER' || result.code === 'CREDIT' ? 'INPUT_INVALID' : result.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'NOT_FOUND';
      return { reply: errorMessage({ code, message: result.message }), decision: 'refused' };
    }
    if (row) await showItemDecision(request, session.origin, row);
    const reply = decisionConfirmation({
      decision: 'Claimed',
      subject: row ? `${row.provider_name} · ${row.service_name}, ${String(row.period).slice(0, 7)} (item ${itemId})` : `item ${itemId}`,
      details: [
        ...Object.entries(result.assigned).map(([field, value]) => ({ label: field.replace(/_/g, ' '), value: String(value) })),
        { label: 'Scope', value: row?.claim_scope === 'future' ? 'this item and future matching spend' : 'this item only' },
        { label: 'Lines re-attributed', value: String(result.linesChanged) },
        booksEffectDetail(result.books),
      ],
      by: result.claimedBy,
      at: result.claimedAt,
      timeZone: request.config.timezone,
    });
    return { reply };
  },
};
