import { authorize, recordRefusal } from '../../app/authorization-policy.js';
import { showSaving, type SavingView } from '../../app/show-saving.js';
import type { SavingFailure } from '../../app/saving-decision.js';
import type { Saving } from '../../domain/saving.js';
import type { Button, Message } from '../../messages/message-model.js';
import { errorMessage, type ChatErrorCode } from '../../messages/views/error-message.js';
import { actionIds } from '../../messages/views/interaction-ids.js';
import { savingDecisionLine, savingsSignOffRequest } from '../../messages/views/savings-sign-off-request.js';
import type { ChatRequest } from '../chat-request.js';
import { reviseClickedMessage } from '../revise-clicked-message.js';
import { hasTopLevelButton, withEntryDecided } from '../view-inputs/decided-entry.js';
import { savingSignOffView } from '../view-inputs/saving-sign-off-view.js';
import type { ClickedMessage } from './chat-action.js';

/**
 * Why this person may not approve or reject this saving, checked when the button is pressed so
 * nobody fills a form only to be refused: the policy the savings use case enforces again when the
 * decision is submitted (itfm for the saving's cost center; the proposer never approves). A
 * refusal leaves a `refused` audit row.
 */
export async function signOffRefusal(request: ChatRequest, saving: Saving, action: 'approve' | 'reject'): Promise<Message | undefined> {
  const person = request.requester.person!;
  const allowed = await authorize(request.store.db, {
    action: 'sign-off-saving',
    actor: person.id,
    surface: request.requester.surface,
    costCenter: saving.costCenter,
    auditAction: `saving.${action}`,
    subjectType: 'saving',
    subjectId: saving.id,
  });
  if (!allowed.ok) return errorMessage({ code: 'FORBIDDEN', message: allowed.message, details: ['FORBIDDEN'] });
  if (action === 'approve' && person.id === saving.proposer) {
    const reason = `You proposed ${saving.id}, so another itfm person must approve it (segregation of duties).`;
    await recordRefusal(request.store.db, { actor: person.id, surface: request.requester.surface, action: 'saving.approve', subjectType: 'saving', subjectId: saving.id, reason });
    return errorMessage({ code: 'FORBIDDEN', message: reason, details: ['SEGREGATION_OF_DUTIES'] });
  }
  return undefined;
}

/** A savings use case's refusal as a private note (its stable code kept in the note). */
export function savingFailureNote(f: SavingFailure): Message {
  const code: ChatErrorCode =
    f.code === 'SEGREGATION_OF_DUTIES' ? 'FORBIDDEN' : f.code === 'ILLEGAL_TRANSITION' ? 'ALREADY_DECIDED' : f.code === 'CURRENCY_MISMATCH' ? 'INPUT_INVALID' : f.code;
  return errorMessage({ code, message: f.message, details: [f.code] });
}

/** Whether a saving still waits for sign-off. */
export function awaitsSignOff(s: Saving): boolean {
  return s.status === 'proposed' || s.status === 'validated';
}

const isSavingButton = (savingId: string) => (b: Button) =>
  (b.actionId === actionIds.approveSaving || b.actionId === actionIds.rejectSaving) && b.payload.savingId === savingId;

/**
 * Brings a message a sign-off button was pressed on up to date: a sign-off request (its buttons
 * outside any list) is replaced by the request with the decision, who made it, when and the budget
 * revision; a list entry about the saving (a digest's) shows the decision instead of its buttons, the
 * rest of the message as it was.
 */
export async function showSavingState(request: ChatRequest, origin: ClickedMessage | undefined, savingId: string): Promise<void> {
  if (!origin) return;
  const v = await showSaving(request.store, { id: savingId });
  if (!v.ok) return;
  const s = v.saving;
  const view = savingSignOffView(v, request.config.timezone);
  const updated = savingsSignOffRequest(view);
  const line = savingDecisionLine(view);
  await reviseClickedMessage(request, origin, `saving:${s.id}:${s.status}:${s.version}`, (current) => {
    if (hasTopLevelButton(current, isSavingButton(s.id))) return updated;
    return line ? withEntryDecided(current, isSavingButton(s.id), line) : undefined;
  });
}

/**
 * The saving an Approve or Reject button was pressed on, or the private reply saying why its form
 * does not open (unknown saving, decided already — the message is brought up to date — or not this
 * person's to decide).
 */
export async function savingForSignOff(
  request: ChatRequest & { readonly clicked: ClickedMessage },
  savingId: string | undefined,
  action: 'approve' | 'reject',
): Promise<{ readonly view: SavingView } | { readonly reply: Message }> {
  const v = await showSaving(request.store, { id: savingId ?? '' });
  if (!v.ok) return { reply: savingFailureNote(v) };
  const s = v.saving;
  if (!awaitsSignOff(s)) {
    await showSavingState(request, request.clicked, s.id);
    return { reply: errorMessage({ code: 'ALREADY_DECIDED', message: `${s.id} is ${s.status} already.` }) };
  }
  const refusal = await signOffRefusal(request, s, action);
  return refusal ? { reply: refusal } : { view: v };
}
