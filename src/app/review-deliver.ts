import type { Store } from '../store/database.js';
import { deliverPending, type DeliveryLog, type DeliveryTransports } from './deliver-pending.js';
import { runDeliveries, settleRunDeliveries, waitingThreadReplies, type ReviewDelivery } from '../store/review-runs.js';

/** How long to keep trying and how to tell time. */
export interface DeliverReviewOptions {
  /** Give up waiting after this long (the rows stay queued for `serve`); default 60 s. */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
  readonly log?: DeliveryLog;
  /** Pause between passes while a row waits for a retry (default 500 ms). */
  readonly pollMs?: number;
}

/** Where a run's deliveries stand after delivering. */
export interface DeliverReviewResult {
  readonly deliveries: readonly ReviewDelivery[];
  /** Deliveries still queued (a platform off, or retries beyond the timeout). */
  readonly waiting: number;
}

/**
 * Delivers the queued messages of some runs through the outbox (6B's `deliverPending`, the same
 * path `serve` uses), with their thread replies, until they are sent or failed or the timeout passes, and records each
 * delivery's message id on the run. Deliveries to a platform without credentials stay queued.
 */
export async function deliverReviewRuns(store: Store, transports: DeliveryTransports, runIds: readonly number[], options: DeliverReviewOptions = {}): Promise<DeliverReviewResult> {
  const now = options.now ?? (() => new Date());
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const platforms = new Set(Object.keys(transports).filter((p) => transports[p as keyof DeliveryTransports] !== undefined));
  for (;;) {
    await settleRunDeliveries(store.db, now());
    const deliveries = await runDeliveries(store.db, runIds);
    const deliverable = deliveries.filter((d) => d.status === 'queued' && platforms.has(d.channel.split(':')[0]!));
    // A digest's thread replies go out after its parent: wait for them too.
    const replies = [...(await waitingThreadReplies(store.db, runIds))].filter(([p]) => platforms.has(p)).reduce((n, [, c]) => n + c, 0);
    if ((deliverable.length === 0 && replies === 0) || Date.now() > deadline) break;
    const report = await deliverPending(store, transports, now(), options.log ? { log: options.log } : {});
    if (report.claimed === 0) await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
  const deliveries = await runDeliveries(store.db, runIds);
  return { deliveries, waiting: deliveries.filter((d) => d.status === 'queued').length };
}
