import { rejectSaving } from '../../app/reject-saving.js';
import { decisionConfirmation } from '../../messages/views/decision-confirmation.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { formIds } from '../../messages/views/interaction-ids.js';
import { savingFailureNote, showSavingState } from '../actions/saving-sign-off-state.js';
import type { ChatForm } from './chat-form.js';
import { formText } from './form-text.js';

/**
 * The reject form's submission: `rejectSaving` as the clicker on the form session's saving at the
 * version the form was opened on (a stale Reject after an approval is a CONFLICT and changes
 * nothing); only a recorded rejection updates the message it came from (who, when, why).
 */
export const rejectSavingSubmit: ChatForm = {
  callbackId: formIds.rejectSaving,
  requiresPerson: true,
  validate(s) {
    return formText(s.values.reason) ? undefined : { reason: 'Say why: the proposer reads this.' };
  },
  async submit(s, request, session) {
    const savingId = session.subject.savingId ?? '';
    const result = await rejectSaving(request.store, {
      id: savingId,
      ...(session.subjectVersion !== null ? { expectedVersion: Number(session.subjectVersion) } : {}),
      actor: request.requester.person!.id,
      surface: request.requester.surface,
      reason: formText(s.values.reason)!,
    });
    if (!result.ok) return { reply: savingFailureNote(result), decision: result.code === 'CONFLICT' ? 'conflict' : 'refused' };
    if (result.alreadyDone) {
      return { reply: errorMessage({ code: 'CONFLICT', message: `You had already rejected ${result.saving.id}; nothing was recorded twice.` }), decision: 'conflict' };
    }
    await showSavingState(request, session.origin, savingId);
    const reply = decisionConfirmation({
      decision: 'Rejected',
      subject: `${result.saving.id} ${result.saving.title}`,
      details: [{ label: 'Reason', value: result.saving.rejectReason ?? '' }, ...result.warnings.map((w) => ({ label: 'Note', value: w }))],
      by: result.saving.closedBy ?? request.requester.person!.id,
      at: result.saving.updatedAt,
      timeZone: request.config.timezone,
    });
    return { reply };
  },
};
