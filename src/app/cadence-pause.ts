import type { Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { setCadencePaused } from '../store/review-cadences.js';

/** Pauses or resumes a cadence. A resumed cadence does not catch up on what it missed while paused. */
export async function pauseCadence(
  store: Store,
  r: { name: string; paused: boolean; actor: string; surface: Surface; now: Date },
): Promise<{ ok: true; changed: boolean } | { ok: false; code: 'NOT_FOUND'; message: string }> {
  const before = await setCadencePaused(store.db, r.name.trim(), r.paused, { actor: r.actor, surface: r.surface }, r.now);
  if (!before) return { ok: false, code: 'NOT_FOUND', message: `no cadence named ${JSON.stringify(r.name)}` };
  return { ok: true, changed: before.paused !== r.paused };
}
