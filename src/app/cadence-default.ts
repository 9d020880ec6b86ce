import type { Store } from '../store/database.js';
import { ensureDefaultCadence } from '../store/review-cadences.js';

/** The default cadence every new database gets: the weekly digest, Monday 09:00 in the configured zone. */
export const defaultCadence = { name: 'weekly-digest', kind: 'weekly-digest', cron: '0 9 * * 1' } as const;

/**
 * Creates the default cadence on a database that never had it (once: removing it later is
 * respected). Called by every cadence command, `review run`, `serve` and `start`, because a
 * migration cannot read the configured time zone. Returns true when it was created now.
 */
export function ensureDefaultReviewCadence(store: Store, request: { timezone: string; now: Date }): Promise<boolean> {
  return ensureDefaultCadence(
    store.db,
    { ...defaultCadence, timezone: request.timezone, channels: [], costCenters: [] },
    { actor: 'system', surface: 'system' },
    request.now,
  );
}
