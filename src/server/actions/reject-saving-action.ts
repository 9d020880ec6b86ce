import { actionIds } from '../../messages/views/interaction-ids.js';
import { rejectSavingForm } from '../../messages/views/reject-saving-form.js';
import type { ChatAction } from './chat-action.js';
import { savingForSignOff } from './saving-sign-off-state.js';

/** **Reject** on a savings sign-off request: itfm people get the reason form (its session holding the saving's version); anyone else a private refusal saying why. */
export const rejectSavingAction: ChatAction = {
  actionId: actionIds.rejectSaving,
  requiresPerson: true,
  async run(payload, request) {
    const found = await savingForSignOff(request, payload.savingId, 'reject');
    if ('reply' in found) return found;
    const s = found.view.saving;
    return { openForm: rejectSavingForm({ savingId: s.id, title: s.title }), subjectVersion: String(s.version) };
  },
};
