import { acknowledgeMessage, type AcknowledgementState } from '../../app/acknowledge-message.js';
import { button, context, message } from '../../messages/message-blocks.js';
import type { Button, Message } from '../../messages/message-model.js';
import type { ChatAction } from './chat-action.js';

/** The action id of the Acknowledge button. */
export const acknowledgeActionId = 'acknowledge';

/** An Acknowledge button for any message the bot delivers (its payload is empty: the message itself is the subject). */
export function acknowledgeButton(): Button {
  return button(acknowledgeActionId, 'Acknowledge', {});
}

/** The delivered message with one line listing everyone who acknowledged it. */
export function acknowledgedMessage(state: AcknowledgementState): Message {
  const original = state.original as Message;
  const names = state.by.map((b) => b.name ?? b.personId).join(', ');
  return message(original.fallback, [...original.blocks, context(`Acknowledged by ${names}`)], original.moreCommand);
}

/**
 * Acknowledge: records that the clicker saw and took on a delivered message (once per person, with an
 * audit row) and updates the message in place for everyone, in the same transaction.
 */
export const acknowledgeAction: ChatAction = {
  actionId: acknowledgeActionId,
  requiresPerson: true,
  async run(_payload, request) {
    const person = request.requester.person!;
    const surface = request.requester.surface;
    const result = await acknowledgeMessage(request.store, {
      platform: surface,
      target: request.clicked.target,
      messageId: request.clicked.messageId,
      personId: person.id,
      surface,
      updateMessage: (state) => ({
        platform: surface,
        operation: 'update',
        purpose: `acknowledged:${state.outboxId}:${person.id}`,
        target: request.clicked.target,
        updateOf: state.outboxId,
        payload: acknowledgedMessage(state),
        ...(request.clicked.responseUrl ? { responseUrl: request.clicked.responseUrl } : {}),
      }),
    });
    if (!result.ok) return { reply: message(result.message, [context(result.message)]) };
    if (!result.recorded) return { reply: message('You had already acknowledged this message.', [context('You had already acknowledged this message.')]) };
    return {};
  },
};
