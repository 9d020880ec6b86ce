import type { Store } from '../store/database.js';
import { listClosures, type StoredClosure } from '../store/period-closes.js';

/** Every close, newest month first: the current ones and those reopened since (with who and why). */
export function listPeriods(store: Store): Promise<StoredClosure[]> {
  return listClosures(store.db);
}
