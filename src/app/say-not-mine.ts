import { recordAudit, type Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { findUnattributedItem } from '../store/unattributed-item-lookup.js';
import { authorize } from './authorization-policy.js';

/** Someone says an unattributed item is not theirs, and why (whose it is, if they know). */
export interface NotMineRequest {
  readonly itemId: number;
  readonly reason: string;
  readonly actor: string;
  readonly surface: Surface;
  readonly now: Date;
}

/** The note recorded, or why not. */
export type NotMineResult =
  | { readonly ok: true; readonly itemId: number; readonly by: string; readonly at: string; readonly reason: string }
  | { readonly ok: false; readonly code: 'NOT_FOUND' | 'FORBIDDEN' | 'INPUT_INVALID' | 'ALREADY_DECIDED'; readonly message: string };

/**
 * Records that a person says an open item is not theirs (an audit row `unattributed.not-mine`, the
 * `not-mine` policy row: anyone holding a role). Unlike a dismissal it changes nothing about the
 * item: it stays open and claimable, and the note tells FinOps and the real owner.
 */
export async function sayNotMine(store: Store, r: NotMineRequest): Promise<NotMineResult> {
  const reason = r.reason.trim();
  if (reason === '') return { ok: false, code: 'INPUT_INVALID', message: 'say why it is not yours (and whose it is, if you know)' };
  const item = await findUnattributedItem(store.db, r.itemId);
  if (!item) return { ok: false, code: 'NOT_FOUND', message: `no unattributed item ${r.itemId}` };
  const allowed = await authorize(store.db, {
    action: 'not-mine',
    actor: r.actor,
    surface: r.surface,
    auditAction: 'unattributed.not-mine',
    subjectType: 'unattributed_item',
    subjectId: String(item.id),
    attempt: { reason },
  });
  if (!allowed.ok) return allowed;
  if (item.status !== 'open') return { ok: false, code: 'ALREADY_DECIDED', message: `item ${item.id} is ${item.status} already` };
  await recordAudit(store.db, {
    actor: allowed.person.id,
    surface: r.surface,
    action: 'unattributed.not-mine',
    subjectType: 'unattributed_item',
    subjectId: String(item.id),
    after: { reason },
  });
  return { ok: true, itemId: item.id, by: allowed.person.id, at: r.now.toISOString(), reason };
}
