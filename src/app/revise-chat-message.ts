import { canonicalJson } from '../domain/canonical-json.js';
import type { Message } from '../messages/message-model.js';
import type { Store } from '../store/database.js';
import { lockDeliveredMessage } from '../store/chat-acknowledgements.js';
import { enqueueOutboxMessage, type ChatPlatform } from '../store/chat-outbox.js';
import { currentRevision } from '../store/chat-message-revisions.js';

/** An in-place change of a message the bot delivered (a decision shown where it was taken). */
export interface ReviseChatMessageRequest {
  readonly platform: ChatPlatform;
  /** Channel / conversation and the platform's id of the message (Slack ts, Teams activity id). */
  readonly target: string;
  readonly messageId: string;
  /** What the revision is for (`claim:42`); queuing the same one twice for a message stores it once. */
  readonly reason: string;
  /** The new message from the current one; undefined leaves it as it is. */
  readonly revise: (current: Message) => Message | undefined;
  /** Slack: the click's response_url, for a message that can only be replaced through it (an ephemeral one). */
  readonly responseUrl?: string;
}

/** `queued` false: the revision was already queued, or it would not change the message. */
export type ReviseChatMessageResult =
  | { readonly ok: true; readonly queued: boolean; readonly outboxId: number }
  | { readonly ok: false; readonly code: 'NOT_FOUND'; readonly message: string };

/**
 * Queues an in-place update of a delivered message, built from its latest revision with the base
 * row locked: two decisions on the same message (two items of one alert) each see the other's
 * revision, and the last update delivered shows both.
 */
export async function reviseChatMessage(store: Store, request: ReviseChatMessageRequest): Promise<ReviseChatMessageResult> {
  return store.db.transaction().execute(async (trx): Promise<ReviseChatMessageResult> => {
    const base = await lockDeliveredMessage(trx, { platform: request.platform, target: request.target, deliveredId: request.messageId });
    if (!base) return { ok: false, code: 'NOT_FOUND', message: 'this message was not sent by costbridge, or is no longer known' };
    // Sent through a response_url (only its reader sees it): it changes from a click on it, not from elsewhere.
    if (request.messageId.startsWith('response:') && !request.responseUrl) return { ok: true, queued: false, outboxId: base.id };
    const current = (await currentRevision(trx, base)) as Message;
    const revised = request.revise(current);
    if (!revised || canonicalJson(revised) === canonicalJson(current)) return { ok: true, queued: false, outboxId: base.id };
    const queued = await enqueueOutboxMessage(trx, {
      platform: request.platform,
      operation: 'update',
      purpose: `revision:${base.id}:${request.reason}`,
      target: request.target,
      updateOf: base.id,
      payload: revised,
      ...(request.responseUrl ? { responseUrl: request.responseUrl } : {}),
    });
    return { ok: true, queued: queued.created, outboxId: base.id };
  });
}
