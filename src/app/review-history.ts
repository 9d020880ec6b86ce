import type { Store } from '../store/database.js';
import { listRuns, runDeliveries, settleRunDeliveries, type ReviewDelivery, type ReviewRun } from '../store/review-runs.js';

/** A past run with its deliveries. */
export interface ReviewHistoryEntry {
  readonly run: ReviewRun;
  readonly deliveries: readonly ReviewDelivery[];
}

/** Past review runs, newest first, with where each message went and the message id it produced. */
export async function reviewHistory(store: Store, request: { cadence?: string | undefined; limit?: number | undefined; now: Date }): Promise<ReviewHistoryEntry[]> {
  await settleRunDeliveries(store.db, request.now);
  const runs = await listRuns(store.db, { cadenceName: request.cadence, limit: request.limit ?? 20 });
  const deliveries = await runDeliveries(store.db, runs.map((r) => r.id));
  return runs.map((run) => ({ run, deliveries: deliveries.filter((d) => d.runId === run.id) }));
}
