import { rejectSaving } from '../../app/reject-saving.js';
import { decisionConfirmation } from '../../messages/views/decision-confirmation.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { formIds } from '../../messages/views/interaction-ids.js';
import { savingFailureNote, showSavingState } from '../actions/saving-sign-off-state.js';
import type { ChatForm } from './chat-form.js';
import { formText, readFormMetadata } from './form-origin.js';

/** The reject form's submission: `rejectSaving` as the clicker, then the sign-off request shows who rejected it, when and why. */
export const rejectSavingSubmit: ChatForm = {
  callbackId: formIds.rejectSaving,
  requiresPerson: true,
  validate(s) {
    return formText(s.values.reason) ? undefined : { reason: 'Say why: the proposer reads this.' };
  },
  async submit(s, request) {
    const { ids, origin } = readFormMetadata(s.privateMetadata);
    const where = origin ? { replyIn: origin.target } : {};
    const savingId = typeof ids.savingId === 'string' ? ids.savingId : '';
    const result = await rejectSaving(request.store, {
      id: savingId,
      actor: request.requester.person!.id,
      surface: request.requester.surface,
      reason: formText(s.values.reason)!,
    });
    await showSavingState(request, origin, savingId);
    if (!result.ok) return { reply: savingFailureNote(result), ...where };
    if (result.alreadyDone) {
      return { reply: errorMessage({ code: 'CONFLICT', message: `You had already rejected ${result.saving.id}; nothing was recorded twice.` }), ...where };
    }
    const reply = decisionConfirmation({
      decision: 'Rejected',
      subject: `${result.saving.id} ${result.saving.title}`,
      details: [{ label: 'Reason', value: result.saving.rejectReason ?? '' }, ...result.warnings.map((w) => ({ label: 'Note', value: w }))],
      by: result.saving.closedBy ?? request.requester.person!.id,
      at: result.saving.updatedAt,
      timeZone: request.config.timezone,
    });
    return { reply, ...where };
  },
};
