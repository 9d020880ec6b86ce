import type { Store } from '../store/database.js';
import {
  claimDueDeliveries,
  failOrphanedUpdates,
  markDelivered,
  markFailed,
  pausePlatform,
  recordAttachmentUpload,
  rescheduleDelivery,
  type ChatPlatform,
  type ClaimedDelivery,
} from '../store/chat-outbox.js';

/** What one delivery attempt came to, as a platform transport reports it. */
export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly messageId: string }
  /** The platform said 429: nothing more to it before `retryAfterMs`. */
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number; readonly error: string }
  /** A 5xx, a timeout or a network error: try again later. */
  | { readonly kind: 'transient'; readonly error: string }
  /** The platform refused the message for good (unknown channel, revoked token, invalid blocks). */
  | { readonly kind: 'permanent'; readonly error: string };

/** What a transport may record while it delivers a row. */
export interface DeliveryRecorder {
  /** Records an uploaded attachment's platform file id on the row before the message is sent, so a retry reuses it. */
  recordUpload(name: string, fileId: string): Promise<void>;
}

/** Sends one claimed outbox row to its platform (Slack Web API, Bot Connector). */
export interface DeliveryTransport {
  deliver(delivery: ClaimedDelivery, recorder?: DeliveryRecorder): Promise<DeliveryOutcome>;
}

/** The transports of the platforms that are on; rows of other platforms wait. */
export type DeliveryTransports = Partial<Record<ChatPlatform, DeliveryTransport>>;

/** Where delivery problems are reported (a pino logger fits). */
export interface DeliveryLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Retry timing: exponential backoff on transient failures, capped, given up after `maxAttempts`. */
export interface DeliveryOptions {
  readonly limit?: number;
  readonly leaseMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** Attempts before a row failing transiently is given up as failed (default 20: about two hours with the default backoff). */
  readonly maxAttempts?: number;
  readonly log?: DeliveryLog;
}

/** What a delivery pass did. */
export interface DeliveryReport {
  readonly claimed: number;
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
  /** Platforms that answered 429, with when they may be called again. */
  readonly rateLimited: Partial<Record<ChatPlatform, Date>>;
}

const defaults = { limit: 50, leaseMs: 5 * 60_000, backoffBaseMs: 2_000, backoffMaxMs: 10 * 60_000, maxAttempts: 20 };

/** Delay before attempt `attempt + 1` after `attempt` transient failures: base x 2^(attempt-1), capped. */
export function backoffDelayMs(attempt: number, baseMs = defaults.backoffBaseMs, maxMs = defaults.backoffMaxMs): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
}

/**
 * One pass of the outbox: claims the due messages and sends them, each platform in order, recording
 * the Slack ts / Teams activity id of every delivery. A 429 pauses that platform for its Retry-After
 * (the row and everything due before then waits); a transient failure backs the row off
 * exponentially, until `maxAttempts` have failed and it is given up; a permanent one marks it
 * failed. A failed row keeps its reason for people to see, and a row with a
 * recorded delivery is never sent again. The only window for a duplicate is a crash after the
 * platform accepted a message and before its id was recorded: that row's lease lapses and it is
 * sent again (logged as `resumed`).
 */
export async function deliverPending(
  store: Store,
  transports: DeliveryTransports,
  now: Date,
  options: DeliveryOptions = {},
): Promise<DeliveryReport> {
  const o = { ...defaults, ...options };
  const platforms = (Object.keys(transports) as ChatPlatform[]).filter((p) => transports[p] !== undefined);
  await failOrphanedUpdates(store.db);
  const claimed = await claimDueDeliveries(store.db, { now, limit: o.limit, leaseMs: o.leaseMs, platforms });
  const counts = { delivered: 0, retrying: 0, failed: 0 };
  const rateLimited: Partial<Record<ChatPlatform, Date>> = {};
  await Promise.all(
    platforms.map(async (platform) => {
      const transport = transports[platform]!;
      const rows = claimed.filter((d) => d.platform === platform);
      for (let i = 0; i < rows.length; i++) {
        const d = rows[i]!;
        const paused = rateLimited[platform];
        if (paused) {
          await rescheduleDelivery(store.db, d, { nextAttemptAt: paused, error: null, attempted: false });
          counts.retrying++;
          continue;
        }
        if (d.resumed) {
          o.log?.warn({ outboxId: d.id, platform, purpose: d.purpose }, 'resending a message whose earlier send was interrupted; it may appear twice');
        }
        const outcome = await deliverOne(transport, d, {
          async recordUpload(name, fileId) {
            if (!(await recordAttachmentUpload(store.db, d, name, fileId))) throw new Error(`outbox row ${d.id}: claim lapsed while uploading ${name}`);
          },
        });
        switch (outcome.kind) {
          case 'delivered':
            if (await markDelivered(store.db, d, outcome.messageId, now)) counts.delivered++;
            else o.log?.warn({ outboxId: d.id, platform }, 'delivered after the claim lapsed; another worker took the row over');
            break;
          case 'rate-limited': {
            const until = new Date(now.getTime() + Math.max(outcome.retryAfterMs, 1000));
            rateLimited[platform] = until;
            await rescheduleDelivery(store.db, d, { nextAttemptAt: until, error: outcome.error, attempted: true });
            await pausePlatform(store.db, platform, until);
            counts.retrying++;
            o.log?.warn({ outboxId: d.id, platform, retryAfterMs: outcome.retryAfterMs }, 'rate limited; pausing deliveries');
            break;
          }
          case 'transient': {
            if (d.attempt >= o.maxAttempts) {
              const error = `gave up after ${d.attempt} attempts: ${outcome.error}`;
              await markFailed(store.db, d, error);
              counts.failed++;
              o.log?.error({ outboxId: d.id, platform, purpose: d.purpose, attempts: d.attempt, error: outcome.error }, 'delivery given up after its retries');
              break;
            }
            const delay = backoffDelayMs(d.attempt, o.backoffBaseMs, o.backoffMaxMs);
            await rescheduleDelivery(store.db, d, { nextAttemptAt: new Date(now.getTime() + delay), error: outcome.error, attempted: true });
            counts.retrying++;
            o.log?.warn({ outboxId: d.id, platform, attempt: d.attempt, retryInMs: delay, error: outcome.error }, 'delivery failed; will retry');
            break;
          }
          case 'permanent':
            await markFailed(store.db, d, outcome.error);
            counts.failed++;
            o.log?.error({ outboxId: d.id, platform, purpose: d.purpose, error: outcome.error }, 'delivery refused by the platform; not retried');
            break;
        }
      }
    }),
  );
  return { claimed: claimed.length, ...counts, rateLimited };
}

async function deliverOne(transport: DeliveryTransport, d: ClaimedDelivery, recorder: DeliveryRecorder): Promise<DeliveryOutcome> {
  try {
    return await transport.deliver(d, recorder);
  } catch (e) {
    // A transport bug or an unexpected error must not lose the row: treat it as transient.
    return { kind: 'transient', error: (e as Error)?.message ?? String(e) };
  }
}
