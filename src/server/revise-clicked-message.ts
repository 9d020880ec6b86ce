import { reviseChatMessage } from '../app/revise-chat-message.js';
import type { Message } from '../messages/message-model.js';
import type { ClickedMessage } from './actions/chat-action.js';
import type { ChatRequest } from './chat-request.js';

/**
 * Queues the in-place update of the message a decision was taken from (for everyone in the
 * channel), built from its latest revision. `reason` names the decision, so the same decision
 * reported twice (a retry, a second clicker told who won) updates the message once.
 */
export async function reviseClickedMessage(
  request: ChatRequest,
  origin: ClickedMessage | undefined,
  reason: string,
  revise: (current: Message) => Message | undefined,
): Promise<void> {
  if (!origin) return;
  const r = await reviseChatMessage(request.store, {
    platform: request.requester.surface,
    target: origin.target,
    messageId: origin.messageId,
    reason,
    revise,
    ...(origin.responseUrl ? { responseUrl: origin.responseUrl } : {}),
  });
  if (!r.ok) request.log.info({ target: origin.target, messageId: origin.messageId, reason }, 'decision recorded; the message it came from is not one costbridge delivered, so it is not updated');
}
