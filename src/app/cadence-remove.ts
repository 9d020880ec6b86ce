import type { Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { deleteCadence } from '../store/review-cadences.js';

/** Removes a cadence (its past runs stay in the history); NOT_FOUND when there is none. */
export async function removeCadence(store: Store, r: { name: string; actor: string; surface: Surface }): Promise<{ ok: true } | { ok: false; code: 'NOT_FOUND'; message: string }> {
  const removed = await deleteCadence(store.db, r.name.trim(), { actor: r.actor, surface: r.surface });
  return removed ? { ok: true } : { ok: false, code: 'NOT_FOUND', message: `no cadence named ${JSON.stringify(r.name)}` };
}
