import { createHash } from 'node:crypto';
import { sameJson } from '../domain/canonical-json.js';
import type { Message } from '../messages/message-model.js';
import type { Store } from '../store/database.js';
import { enqueueOutboxMessage, type ChatPlatform } from '../store/chat-outbox.js';
import { lockCurrentRevision } from '../store/chat-message-revisions.js';

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

interface Waiting {
  readonly request: ReviseChatMessageRequest;
  readonly resolve: (r: ReviseChatMessageResult) => void;
  readonly reject: (e: unknown) => void;
}

// Revisions waiting per message, per store: while one transaction revises a message, the decisions
// taken on it meanwhile wait here and are then applied together, as one revision.
const queues = new WeakMap<Store, Map<string, Waiting[]>>();

/**
 * Queues an in-place update of a delivered message, built from its latest revision with the base
 * row locked: two decisions on the same message (two items of one alert) each see the other's
 * revision, and the last update delivered shows both. Resolves once the revision is in the outbox.
 *
 * Decisions on one message that arrive while its previous revision is being written are applied
 * together in the next transaction and stored as one revision: a busy alert (hundreds of items
 * claimed within seconds) costs one read, one rewrite and one chat update per batch instead of per
 * decision, and its decisions no longer queue one by one on the row lock, each holding a database
 * connection. A lone decision is revised at once, as before.
 */
export function reviseChatMessage(store: Store, request: ReviseChatMessageRequest): Promise<ReviseChatMessageResult> {
  const key = JSON.stringify([request.platform, request.target, request.messageId, request.responseUrl ?? '']);
  let perStore = queues.get(store);
  if (!perStore) queues.set(store, (perStore = new Map()));
  const waiting = perStore.get(key);
  return new Promise((resolve, reject) => {
    if (waiting) {
      waiting.push({ request, resolve, reject });
      return;
    }
    const queue: Waiting[] = [{ request, resolve, reject }];
    perStore.set(key, queue);
    void drain(store, perStore, key, queue);
  });
}

async function drain(store: Store, perStore: Map<string, Waiting[]>, key: string, queue: Waiting[]): Promise<void> {
  try {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      try {
        const results = await reviseTogether(store, batch.map((w) => w.request));
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (e) {
        if (batch.length === 1) {
          batch[0]!.reject(e);
          continue;
        }
        // One failing revision must not take the others down with it: each is tried alone.
        for (const w of batch) await reviseTogether(store, [w.request]).then((r) => w.resolve(r[0]!), w.reject);
      }
    }
  } finally {
    perStore.delete(key);
  }
}

/** Applies `requests` (same message) in order on its current revision and stores the result as one revision. */
async function reviseTogether(store: Store, requests: readonly ReviseChatMessageRequest[]): Promise<ReviseChatMessageResult[]> {
  const first = requests[0]!;
  return store.db.transaction().execute(async (trx): Promise<ReviseChatMessageResult[]> => {
    const base = await lockCurrentRevision(trx, { platform: first.platform, target: first.target, deliveredId: first.messageId });
    if (!base) return requests.map(() => ({ ok: false, code: 'NOT_FOUND', message: 'this message was not sent by costbridge, or is no longer known' }));
    const unchanged = { ok: true, queued: false, outboxId: base.id } as const;
    // Sent through a response_url (only its reader sees it): it changes from a click on it, not from elsewhere.
    if (first.messageId.startsWith('response:') && !first.responseUrl) return requests.map(() => unchanged);
    let current = base.payload as Message;
    const applied: number[] = [];
    requests.forEach((r, i) => {
      const revised = r.revise(current);
      if (!revised || sameJson(revised, current)) return;
      current = revised;
      applied.push(i);
    });
    if (applied.length === 0) return requests.map(() => unchanged);
    const reasons = applied.map((i) => requests[i]!.reason);
    // One decision keeps its readable purpose (the same decision queued again is stored once); several
    // are named by their set, so a batch replayed as a whole is stored once too.
    const purpose =
      reasons.length === 1
        ? `revision:${base.id}:${reasons[0]}`
        : `revision:${base.id}:${reasons.length} decisions:${createHash('sha256').update(reasons.join('\n')).digest('hex').slice(0, 24)}`;
    const queued = await enqueueOutboxMessage(trx, {
      platform: first.platform,
      operation: 'update',
      purpose,
      target: first.target,
      updateOf: base.id,
      payload: current,
      ...(first.responseUrl ? { responseUrl: first.responseUrl } : {}),
    });
    return requests.map((_, i) => (applied.includes(i) ? { ok: true, queued: queued.created, outboxId: base.id } : unchanged));
  });
}
