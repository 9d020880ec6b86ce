import { sql, type Transaction } from 'kysely';
import type { Database } from './tables.js';
import { deliveredBaseId } from './chat-outbox.js';
import type { ChatPlatform } from './chat-outbox.js';

/** Locks and returns the outbox delivery that produced a platform message, or undefined. */
export async function lockDeliveredMessage(
  trx: Transaction<Database>,
  key: { platform: ChatPlatform; target: string; deliveredId: string },
): Promise<{ id: number; payload: unknown } | undefined> {
  const id = await deliveredBaseId(trx, key);
  if (id === undefined) return undefined;
  return trx.selectFrom('chat_outbox').select(['id', 'payload']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Stores an acknowledgement once per (message, person); true when it is new. */
export async function insertAcknowledgement(
  trx: Transaction<Database>,
  a: { outboxId: number; personId: string; surface: ChatPlatform },
): Promise<boolean> {
  const row = await trx
    .insertInto('chat_acknowledgement')
    .values({ outbox_id: a.outboxId, person_id: a.personId, surface: a.surface })
    .onConflict((oc) => oc.columns(['outbox_id', 'person_id']).doNothing())
    .returning('person_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Who acknowledged a message, first first, with their names when costbridge knows them. */
export async function listAcknowledgements(
  trx: Transaction<Database>,
  outboxId: number,
): Promise<{ personId: string; name: string | null }[]> {
  const r = await sql<{ person_id: string; name: string | null }>`
    SELECT a.person_id, p.name FROM chat_acknowledgement a LEFT JOIN person p ON p.id = a.person_id
     WHERE a.outbox_id = ${outboxId} ORDER BY a.at, a.person_id`.execute(trx);
  return r.rows.map((x) => ({ personId: x.person_id, name: x.name }));
}
