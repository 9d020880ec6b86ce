import { CostbridgeError } from '../domain/costbridge-error.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { itemForUpdate, markItemDismissed } from '../store/unattributed-items.js';
import { authorize } from './authorization-policy.js';
import { addMonths, booksReach, type BooksReach } from '../domain/period-close.js';
import { closedMonths } from '../store/period-closes.js';

/** Why an item is set aside, and optionally the shared-cost pool that allocates it. */
export interface DismissRequest {
  readonly itemId: number;
  readonly reason: string;
  readonly sharedPool?: string;
  readonly actor: string;
  readonly surface: Surface;
}

/** The outcome of a dismissal; the chat front end renders exactly this. */
export type DismissResult =
  | {
      ok: true;
      itemId: number;
      dismissedBy: string;
      dismissedAt: string;
      sharedPool: string | null;
      /** From which month the dismissal reaches the books (a closed item month keeps its showback). */
      books: BooksReach;
    }
  | { ok: false; code: 'ALREADY_CLAIMED' | 'ALREADY_DISMISSED' | 'NOT_FOUND' | 'FORBIDDEN'; message: string; claimedBy?: string; claimedAt?: string };

/**
 * Dismisses an unattributed item with a reason (for example shared platform cost, into a
 * shared-cost pool that showback allocates), with an audit row, in one transaction. Its lines stay
 * unattributed; a claimed item cannot be dismissed. Only finops or admin may dismiss (the `dismiss` policy row).
 */
export async function dismissUnattributedItem(store: Store, request: DismissRequest): Promise<DismissResult> {
  const reason = request.reason.trim();
  if (reason === '') throw new CostbridgeError('INPUT_INVALID', 'a dismissal needs a reason (--reason "shared platform cost, allocate it")');
  return store.db.transaction().execute(async (trx): Promise<DismissResult> => {
    const item = await itemForUpdate(trx, request.itemId);
    if (!item) return { ok: false, code: 'NOT_FOUND', message: `no unattributed item ${request.itemId}` };
    const allowed = await authorize(trx, {
      action: 'dismiss',
      actor: request.actor,
      surface: request.surface,
      auditAction: 'unattributed.dismiss',
      subjectType: 'unattributed_item',
      subjectId: String(item.id),
      attempt: { reason, sharedPool: request.sharedPool ?? null },
    });
    if (!allowed.ok) return allowed;
    const actor = allowed.person.id;
    if (item.status === 'claimed') {
      const at = item.claimed_at!.toISOString();
      return {
        ok: false,
        code: 'ALREADY_CLAIMED',
        message: `item ${item.id} was already claimed by ${item.claimed_by} on ${at}; it cannot be dismissed`,
        claimedBy: item.claimed_by!,
        claimedAt: at,
      };
    }
    if (item.status === 'dismissed') {
      return {
        ok: false,
        code: 'ALREADY_DISMISSED',
        message: `item ${item.id} was already dismissed by ${item.dismissed_by} on ${item.dismissed_at!.toISOString()}: ${item.dismiss_reason}`,
      };
    }
    const sharedPool = request.sharedPool?.trim() || null;
    const at = await markItemDismissed(trx, item.id, { by: actor, reason, sharedPool });
    const month = String(item.period).slice(0, 7);
    const books = booksReach(month, addMonths(month, 1), await closedMonths(trx));
    await recordAudit(trx, {
      actor,
      surface: request.surface,
      action: 'unattributed.dismiss',
      subjectType: 'unattributed_item',
      subjectId: String(item.id),
      before: { status: item.status },
      after: { status: 'dismissed', reason, sharedPool, effectiveFrom: books.from, closedMonths: books.closedMonths },
    });
    return { ok: true, itemId: item.id, dismissedBy: actor, dismissedAt: at.toISOString(), sharedPool, books };
  });
}
