import { showSaving, type SavingView } from '../../app/show-saving.js';
import type { SavingFailure } from '../../app/saving-decision.js';
import { describeGrant, holdsRole, type Person } from '../../domain/people.js';
import type { Saving } from '../../domain/saving.js';
import type { Message } from '../../messages/message-model.js';
import { errorMessage, type ChatErrorCode } from '../../messages/views/error-message.js';
import { savingsSignOffRequest } from '../../messages/views/savings-sign-off-request.js';
import { costCenterChain } from '../../store/people.js';
import type { ChatRequest } from '../chat-request.js';
import { reviseClickedMessage } from '../revise-clicked-message.js';
import { savingSignOffView } from '../view-inputs/saving-sign-off-view.js';
import type { ClickedMessage } from './chat-action.js';

/**
 * Why this person may not approve or reject this saving, checked when the button is pressed so
 * nobody fills a form only to be refused: the same rule the savings use case enforces again when
 * the decision is submitted (itfm for the saving's cost center; the proposer never approves).
 */
export async function signOffRefusal(request: ChatRequest, saving: Saving, person: Person, action: 'approve' | 'reject'): Promise<Message | undefined> {
  const chain = await costCenterChain(request.store.db, saving.costCenter);
  if (!holdsRole(person, 'itfm', chain)) {
    const held = person.roles.length > 0 ? person.roles.map(describeGrant).join(', ') : 'no role';
    return errorMessage({ code: 'FORBIDDEN', message: `Only itfm may ${action} a saving of ${saving.costCenter}; you (${person.id}) hold ${held}.`, details: ['FORBIDDEN'] });
  }
  if (action === 'approve' && person.id === saving.proposer) {
    return errorMessage({
      code: 'FORBIDDEN',
      message: `You proposed ${saving.id}, so another itfm person must approve it (segregation of duties).`,
      details: ['SEGREGATION_OF_DUTIES'],
    });
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

/** Brings the sign-off request a button was pressed on up to date: the decision, who made it, when, the budget revision. */
export async function showSavingState(request: ChatRequest, origin: ClickedMessage | undefined, savingId: string): Promise<void> {
  if (!origin) return;
  const v = await showSaving(request.store, { id: savingId });
  if (!v.ok) return;
  const s = v.saving;
  const updated = savingsSignOffRequest(savingSignOffView(v, request.config.timezone));
  await reviseClickedMessage(request, origin, `saving:${s.id}:${s.status}:${s.version}`, () => updated);
}

/**
 * The saving an Approve or Reject button was pressed on, or the private reply saying why its form
 * does not open (unknown saving, decided already — the request is brought up to date — or not this
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
  const refusal = await signOffRefusal(request, s, request.requester.person!, action);
  return refusal ? { reply: refusal } : { view: v };
}
