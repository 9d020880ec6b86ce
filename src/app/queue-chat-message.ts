import type { Message } from '../messages/message-model.js';
import type { Store } from '../store/database.js';
import { enqueueOutboxMessage, type OutboxMessage } from '../store/chat-outbox.js';

/** A message for the outbox whose payload is the neutral model. */
export type ChatMessageToQueue = Omit<OutboxMessage, 'payload'> & { readonly payload: Message };

/**
 * Queues a neutral message for delivery through the outbox (posted, shown privately, or replacing
 * an earlier message). Queuing the same purpose for the same target twice stores it once.
 */
export async function queueChatMessage(store: Store, m: ChatMessageToQueue): Promise<{ id: number; created: boolean }> {
  if (!Array.isArray(m.payload.blocks) || typeof m.payload.fallback !== 'string') {
    throw new TypeError(`queueChatMessage(${m.purpose}): payload is not a message`);
  }
  return enqueueOutboxMessage(store.db, m);
}
