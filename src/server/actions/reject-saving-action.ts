import { showSaving } from '../../app/show-saving.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { actionIds } from '../../messages/views/interaction-ids.js';
import { rejectSavingForm } from '../../messages/views/reject-saving-form.js';
import { formFromMessage } from '../forms/form-origin.js';
import type { ChatAction } from './chat-action.js';
import { awaitsSignOff, savingFailureNote, showSavingState, signOffRefusal } from './saving-sign-off-state.js';

/** **Reject** on a savings sign-off request: itfm people get the reason form; anyone else a private refusal saying why. */
export const rejectSavingAction: ChatAction = {
  actionId: actionIds.rejectSaving,
  requiresPerson: true,
  async run(payload, request) {
    const v = await showSaving(request.store, { id: payload.savingId ?? '' });
    if (!v.ok) return { reply: savingFailureNote(v) };
    const s = v.saving;
    if (!awaitsSignOff(s)) {
      await showSavingState(request, request.clicked, s.id);
      return { reply: errorMessage({ code: 'ALREADY_DECIDED', message: `${s.id} is ${s.status} already.` }) };
    }
    const refusal = await signOffRefusal(request, s, request.requester.person!, 'reject');
    if (refusal) return { reply: refusal };
    return { openForm: formFromMessage(rejectSavingForm({ savingId: s.id, title: s.title }), request.clicked) };
  },
};
