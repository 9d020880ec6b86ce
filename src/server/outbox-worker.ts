import type { Store } from '../store/database.js';
import { deliverPending, type DeliveryLog, type DeliveryOptions, type DeliveryTransports } from '../app/deliver-pending.js';
import { pruneInboundRequests } from '../store/chat-inbound.js';

/** The background loop of `serve` that empties the outbox. */
export interface OutboxWorker {
  /** Runs a pass now instead of at the next poll (called after a message is queued). */
  nudge(): void;
  /** Stops polling and waits for the pass in progress to finish recording what it sent. */
  stop(): Promise<void>;
}

/** Poll interval and delivery options. */
export interface OutboxWorkerOptions extends DeliveryOptions {
  readonly pollMs?: number;
  readonly now?: () => Date;
}

const inboundKeyRetentionMs = 24 * 3600_000;

/** The transports to deliver with, or a function asked before every pass (a platform still connecting is left out, its rows wait). */
export type TransportsSource = DeliveryTransports | (() => Promise<DeliveryTransports>);

/**
 * Starts delivering: a pass on every nudge or poll tick, back to back while passes find work. A
 * failing pass (database down) is logged and retried at the next tick; messages wait in the table.
 */
export function startOutboxWorker(store: Store, transports: TransportsSource, log: DeliveryLog, options: OutboxWorkerOptions = {}): OutboxWorker {
  const pollMs = options.pollMs ?? 1000;
  const now = options.now ?? (() => new Date());
  let stopping = false;
  let wake: (() => void) | undefined;
  let nudged = false;
  let lastPrune = 0;
  const loop = (async () => {
    while (!stopping) {
      nudged = false;
      let busy = false;
      try {
        const current = typeof transports === 'function' ? await transports() : transports;
        const report = await deliverPending(store, current, now(), { ...options, log });
        busy = report.claimed > 0 && report.claimed === (options.limit ?? 50);
        if (Date.now() - lastPrune > 3600_000) {
          lastPrune = Date.now();
          await pruneInboundRequests(store.db, new Date(now().getTime() - inboundKeyRetentionMs));
        }
      } catch (e) {
        log.error({ err: e }, 'outbox pass failed; retrying at the next poll');
      }
      if (stopping) break;
      if (busy || nudged) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();
  return {
    nudge() {
      nudged = true;
      wake?.();
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
