import type { Kysely, Transaction } from 'kysely';
import type { Database } from './tables.js';
import { deliveredBaseId } from './chat-outbox.js';

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

/**
 * The versions of a message costbridge delivered that a click can come from: as first sent (every
 * button it ever had: updates only mark decisions on it) and as it stands now (a refreshed home may
 * carry new ones). Not every revision in between: a busy alert collects one per decision, and reading
 * them all on every click made each click cost more than the last. Empty when no outbox delivery
 * produced this platform message.
 */
export async function deliveredMessageVersions(
  db: Kysely<Database>,
  key: { platform: 'slack' | 'teams'; target: string; deliveredId: string },
): Promise<unknown[]> {
  const id = await deliveredBaseId(db, key);
  const base = id === undefined ? undefined : await db.selectFrom('chat_outbox').select(['id', 'payload']).where('id', '=', id).executeTakeFirst();
  if (!base) return [];
  const latest = await db.selectFrom('chat_outbox').select('payload').where('update_of', '=', base.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return latest ? [base.payload, latest.payload] : [base.payload];
}
