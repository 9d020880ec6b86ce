import type { Transaction } from 'kysely';
import type { Database } from './tables.js';

/**
 * The message as it stands now: the payload of the latest in-place update queued for a delivered
 * message, else the message as first delivered. Call it with the base row locked (see
 * `lockDeliveredMessage`) so that revisions build on each other instead of racing.
 */
export async function currentRevision(trx: Transaction<Database>, base: { id: number; payload: unknown }): Promise<unknown> {
  const latest = await trx
    .selectFrom('chat_outbox')
    .select('payload')
    .where('update_of', '=', base.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return latest ? latest.payload : base.payload;
}
