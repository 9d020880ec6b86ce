import { approveSaving } from '../../app/approve-saving.js';
import { formatMoney } from '../../domain/money.js';
import { isPositiveDecimal } from '../../domain/saving.js';
import { decisionConfirmation } from '../../messages/views/decision-confirmation.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { formIds } from '../../messages/views/interaction-ids.js';
import { savingFailureNote, showSavingState } from '../actions/saving-sign-off-state.js';
import type { ChatForm } from './chat-form.js';
import { formText } from './form-text.js';

/**
 * The approve form's submission: `approveSaving` as the clicker on the saving of the form session,
 * at the version the form was opened on (a decision made since is a CONFLICT naming it; nothing
 * changes), validated and recognized in one transaction with the saving row locked (the use case
 * refuses non-itfm people and the proposer); only then does the message the form came from show
 * who approved, when, and the budget revision.
 */
export const approveSavingSubmit: ChatForm = {
  callbackId: formIds.approveSaving,
  requiresPerson: true,
  validate(s) {
    const errors: Record<string, string> = {};
    const amount = formText(s.values.amount);
    if (!amount || !isPositiveDecimal(amount)) errors.amount = 'Enter the recognized amount a month as a positive number, like 1200.50.';
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(formText(s.values.fromPeriod) ?? '')) errors.fromPeriod = 'Pick the month recognition starts.';
    return Object.keys(errors).length > 0 ? errors : undefined;
  },
  async submit(s, request, session) {
    const savingId = session.subject.savingId ?? '';
    const result = await approveSaving(request.store, {
      id: savingId,
      ...(session.subjectVersion !== null ? { expectedVersion: Number(session.subjectVersion) } : {}),
      actor: request.requester.person!.id,
      surface: request.requester.surface,
      amount: formText(s.values.amount)!,
      from: formText(s.values.fromPeriod)!,
      now: request.now,
      timezone: request.config.timezone,
    });
    if (!result.ok) return { reply: savingFailureNote(result), decision: result.code === 'CONFLICT' ? 'conflict' : 'refused' };
    const saving = result.saving;
    if (result.alreadyDone) {
      return { reply: errorMessage({ code: 'CONFLICT', message: `You had already approved ${saving.id}; nothing was recorded twice.` }), decision: 'conflict' };
    }
    await showSavingState(request, session.origin, savingId);
    const reply = decisionConfirmation({
      decision: 'Approved',
      subject: `${saving.id} ${saving.title}`,
      details: [
        { label: 'Recognized a month', value: formatMoney(saving.recognizedMonthly ?? '0', saving.currency) },
        { label: 'From', value: saving.recognizedFrom ?? '?' },
        { label: 'Budget revision rows', value: String(result.revisions.length) },
        ...result.warnings.map((w) => ({ label: 'Note', value: w })),
        ...(result.overlaps.length > 0 ? [{ label: 'Overlaps', value: result.overlaps.join(', ') }] : []),
      ],
      by: saving.recognizedBy ?? request.requester.person!.id,
      at: saving.updatedAt,
      timeZone: request.config.timezone,
    });
    return { reply };
  },
};
