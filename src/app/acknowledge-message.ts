import type { Store } from '../store/database.js';
import { recordAudit } from '../store/audit-log.js';
import { enqueueOutboxMessage, type ChatPlatform, type OutboxMessage } from '../store/chat-outbox.js';
import { insertAcknowledgement, listAcknowledgements, lockDeliveredMessage } from '../store/chat-acknowledgements.js';

/** Who has acknowledged a delivered message so far, in order. */
export interface AcknowledgementState {
  readonly outboxId: number;
  /** The message as it was first delivered (the neutral model). */
  readonly original: unknown;
  readonly by: readonly { readonly personId: string; readonly name: string | null }[];
}

/** A person acknowledging a message the bot delivered (an alert seen and taken on). */
export interface AcknowledgeRequest {
  readonly platform: ChatPlatform;
  /** Channel / conversation and the platform's id of the clicked message. */
  readonly target: string;
  readonly messageId: string;
  readonly personId: string;
  readonly surface: ChatPlatform;
  /** Builds the in-place update of the message from the new state; enqueued in the same transaction. */
  readonly updateMessage?: (state: AcknowledgementState) => OutboxMessage | undefined;
}

/** The acknowledgement result: `recorded` false means this person had already acknowledged it. */
export type AcknowledgeResult =
  | { readonly ok: true; readonly recorded: boolean; readonly state: AcknowledgementState }
  | { readonly ok: false; readonly code: 'NOT_FOUND'; readonly message: string };

/**
 * Records that a person acknowledged a delivered message, once per person: the acknowledgement, its
 * audit row and the message update are one transaction, and the message row is locked so that
 * concurrent acknowledgements are listed in full by the last update.
 */
export async function acknowledgeMessage(store: Store, request: AcknowledgeRequest): Promise<AcknowledgeResult> {
  return store.db.transaction().execute(async (trx) => {
    const base = await lockDeliveredMessage(trx, { platform: request.platform, target: request.target, deliveredId: request.messageId });
    if (!base) {
      return { ok: false as const, code: 'NOT_FOUND' as const, message: 'this message was not sent by costbridge, or is no longer known' };
    }
    const recorded = await insertAcknowledgement(trx, { outboxId: base.id, personId: request.personId, surface: request.surface });
    const state: AcknowledgementState = { outboxId: base.id, original: base.payload, by: await listAcknowledgements(trx, base.id) };
    if (recorded) {
      await recordAudit(trx, {
        actor: request.personId,
        surface: request.surface,
        action: 'message.acknowledge',
        subjectType: 'chat_message',
        subjectId: String(base.id),
        after: { platform: request.platform, target: request.target, messageId: request.messageId },
      });
      const update = request.updateMessage?.(state);
      if (update) await enqueueOutboxMessage(trx, update);
    }
    return { ok: true as const, recorded, state };
  });
}
