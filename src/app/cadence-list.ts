import { latestOccurrence, nextOccurrence } from '../domain/cadence.js';
import type { Store } from '../store/database.js';
import { listCadences, type StoredCadence } from '../store/review-cadences.js';
import { listRuns, type ReviewRun } from '../store/review-runs.js';

/** A cadence with when it runs next and how its last run went. */
export interface CadenceListing {
  readonly cadence: StoredCadence;
  readonly next: Date | undefined;
  readonly previousOccurrence: Date | undefined;
  readonly lastRun: ReviewRun | undefined;
}

/** Every cadence with its next occurrence and last run. */
export async function listCadenceSchedule(store: Store, request: { now: Date }): Promise<CadenceListing[]> {
  const cadences = await listCadences(store.db);
  const out: CadenceListing[] = [];
  for (const cadence of cadences) {
    const [lastRun] = await listRuns(store.db, { cadenceName: cadence.name, limit: 1 });
    out.push({
      cadence,
      next: cadence.paused ? undefined : nextOccurrence(cadence.cron, cadence.timezone, request.now),
      previousOccurrence: latestOccurrence(cadence.cron, cadence.timezone, request.now),
      lastRun,
    });
  }
  return out;
}
