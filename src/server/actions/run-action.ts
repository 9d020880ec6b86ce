import { recordRefusal } from '../../app/authorization-policy.js';
import { isButtonOnDeliveredMessage } from '../../app/check-clicked-button.js';
import { openFormSession } from '../../app/form-session.js';
import { openDecisionListSession } from '../../app/decision-list.js';
import { form } from '../../messages/form-model.js';
import { errorMessage } from '../../messages/views/error-message.js';
import type { ChatRequest } from '../chat-request.js';
import { refuseUnknownUser } from '../commands/access-refusal.js';
import type { ActionOutcome, ChatAction, ClickedMessage } from './chat-action.js';

/**
 * One button press, as both adapters run it: people costbridge does not know are told how to get
 * access; the button must be one costbridge put on that very message (same action and ids, checked
 * against the outbox) or the press is refused and audited; then the action runs, and a form it
 * opens is stored as a form session whose id alone goes to the platform.
 */
export async function runChatAction(
  action: ChatAction,
  payload: Readonly<Record<string, string>>,
  request: ChatRequest & { readonly clicked: ClickedMessage },
  /** Set when the click came from a View all list and `checkDecisionListClick` found the button on it (`clicked` is then the digest message the list was opened from). */
  options: { readonly checkedOnList?: true } = {},
): Promise<ActionOutcome> {
  const person = request.requester.person;
  if (action.requiresPerson && !person) return { reply: await refuseUnknownUser(request) };
  const clicked = { platform: request.requester.surface, target: request.clicked.target, messageId: request.clicked.messageId, actionId: action.actionId, payload };
  if (!options.checkedOnList && !(await isButtonOnDeliveredMessage(request.store, clicked))) {
    const reason = `the button ${action.actionId} ${JSON.stringify(payload)} is not on message ${clicked.messageId} in ${clicked.target} as costbridge posted it`;
    request.log.warn({ ...clicked, user: request.requester.userId }, 'chat button refused: not on a message costbridge delivered');
    await recordRefusal(request.store.db, {
      actor: person?.id ?? `${request.requester.surface}:${request.requester.userId}`,
      surface: request.requester.surface,
      action: 'chat.button',
      subjectType: 'chat_message',
      subjectId: `${clicked.target}:${clicked.messageId}`,
      reason,
      attempt: { actionId: action.actionId, payload },
    });
    return { reply: errorMessage({ code: 'NOT_FOUND', message: 'This button is not on a message costbridge posted here, so nothing was done. Use the buttons on costbridge\'s own messages.' }) };
  }
  const outcome = await action.run(payload, request);
  if (outcome.openList && person) {
    const sessionId = await openDecisionListSession(request.store, {
      spec: outcome.openList.spec,
      platform: request.requester.surface,
      origin: request.clicked,
      personId: person.id,
      platformUserId: request.requester.userId,
      now: request.now,
    });
    return { ...outcome, openList: { ...outcome.openList, sessionId } };
  }
  if (!outcome.openForm || !person) return outcome;
  const f = outcome.openForm;
  const subject = JSON.parse(f.privateMetadata) as Record<string, string>;
  const id = await openFormSession(request.store, {
    kind: f.callbackId,
    platform: request.requester.surface,
    subject,
    ...(outcome.subjectVersion !== undefined ? { subjectVersion: outcome.subjectVersion } : {}),
    origin: request.clicked,
    personId: person.id,
    platformUserId: request.requester.userId,
    now: request.now,
  });
  return { ...outcome, openForm: form({ ...f, privateMetadata: id }) };
}
