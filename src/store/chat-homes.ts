import { sql, type Kysely, type Transaction } from 'kysely';
import type { ChatPlatform } from './chat-outbox.js';
import type { Database } from './tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The outbox purpose of a person's home published on a platform: `home:<platform user id>:<request>`. */
export function homePurpose(platformUserId: string, requestKey: string): string {
  return `home:${platformUserId}:${requestKey}`;
}

/**
 * The person's current home on a platform: the latest home the outbox published (or is publishing)
 * for that platform user and its target (Slack user id, Teams personal conversation). A home whose
 * delivery failed for good is skipped, so the next one starts afresh.
 */
export async function currentHome(db: Db, platform: ChatPlatform, platformUserId: string): Promise<{ id: number; target: string } | undefined> {
  const row = await db
    .selectFrom('chat_outbox')
    .select(['id', 'target'])
    .where('platform', '=', platform)
    .where('operation', 'in', ['home', 'post'])
    // LIKE on an escaped prefix, so the partial index chat_outbox_home serves it.
    .where(sql<boolean>`purpose LIKE ${`${`home:${platformUserId}:`.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} AND purpose LIKE 'home:%'`)
    .where('status', '<>', 'failed')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: Number(row.id), target: row.target } : undefined;
}
