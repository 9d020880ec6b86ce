import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './tables.js';
import { deliveredBaseId } from './chat-outbox.js';

/**
 * Locks the outbox delivery that produced a platform message and returns its id with the message as
 * it stands now: the payload of the latest in-place update queued for it, else the message as first
 * delivered. With the row locked, concurrent revisions build on each other instead of racing.
 * Undefined when no outbox delivery produced it.
 */
export async function lockCurrentRevision(
  trx: Transaction<Database>,
  key: { platform: 'slack' | 'teams'; target: string; deliveredId: string },
): Promise<{ id: number; payload: unknown } | undefined> {
  const id = await deliveredBaseId(trx, key);
  if (id === undefined) return undefined;
  const r = await sql<{ id: number | string; payload: unknown }>`
    SELECT b.id, coalesce((SELECT u.payload FROM chat_outbox u WHERE u.update_of = b.id ORDER BY u.id DESC LIMIT 1), b.payload) AS payload
      FROM chat_outbox b WHERE b.id = ${id} FOR UPDATE OF b`.execute(trx);
  const row = r.rows[0];
  return row ? { id: Number(row.id), payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload } : undefined;
}

/**
 * Whether a message costbridge delivered carries a button with this action id and exactly this
 * payload, as first sent (every button it ever had: updates only mark decisions on it) or as it
 * stands now (a refreshed home may carry new ones); not every revision in between, since a busy alert
 * collects one per decision. Postgres looks inside the stored messages (actions blocks, top-level
 * or in list entries), so a click costs the same whatever the size of the message it came from,
 * instead of reading and parsing two copies of it. False when no outbox delivery produced it.
 */
export async function deliveredMessageCarriesButton(
  db: Kysely<Database>,
  key: { platform: 'slack' | 'teams'; target: string; deliveredId: string },
  button: { actionId: string; payload: Readonly<Record<string, string>> },
): Promise<boolean> {
  const id = await deliveredBaseId(db, key);
  if (id === undefined) return false;
  const r = await sql<{ found: boolean }>`
    SELECT EXISTS (
      SELECT 1
        FROM chat_outbox m
       CROSS JOIN LATERAL (
             SELECT jsonb_path_query(m.payload, '$.blocks[*] ? (@.kind == "actions").buttons[*]') AS b
             UNION ALL
             SELECT jsonb_path_query(m.payload, '$.blocks[*] ? (@.kind == "list").items[*][*] ? (@.kind == "actions").buttons[*]')) x
       WHERE (m.id = ${id} OR m.id = (SELECT max(u.id) FROM chat_outbox u WHERE u.update_of = ${id}))
         AND x.b->>'actionId' = ${button.actionId}
         AND x.b->'payload' = ${JSON.stringify(button.payload)}::jsonb
    ) AS found`.execute(db);
  return r.rows[0]?.found === true;
}
