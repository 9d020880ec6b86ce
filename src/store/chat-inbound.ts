import type { Kysely, Transaction } from 'kysely';
import type { Database } from './tables.js';
import type { ChatPlatform } from './chat-outbox.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Records that an inbound request (Slack trigger_id / event_id, Teams activity id) is being
 * processed. True the first time; false for a retry or replay of the same request.
 */
export async function claimInboundRequest(db: Db, request: { platform: ChatPlatform; key: string; kind: string }): Promise<boolean> {
  const row = await db
    .insertInto('chat_inbound')
    .values({ platform: request.platform, request_key: request.key, kind: request.kind })
    .onConflict((oc) => oc.columns(['platform', 'request_key']).doNothing())
    .returning('request_key')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets request keys older than `before` (platforms stop retrying within minutes). Returns how many. */
export async function pruneInboundRequests(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('chat_inbound').where('received_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
