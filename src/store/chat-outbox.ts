import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Which chat platform a message goes to. */
export type ChatPlatform = 'slack' | 'teams';

/** A message to put in the outbox; see migrations/20261127T0007_chat.sql for the columns. */
export interface OutboxMessage {
  readonly platform: ChatPlatform;
  readonly operation: 'post' | 'ephemeral' | 'update' | 'home';
  /** What the message is for; with platform, target and recipient it makes the dedupe key. */
  readonly purpose: string;
  /** Slack channel id or Teams conversation id. */
  readonly target: string;
  /** The Slack user an ephemeral message is shown to. */
  readonly recipient?: string;
  /** Slack thread_ts / Teams activity id to reply to. */
  readonly replyTo?: string;
  /** ...or the outbox row to reply to: sent once that row is delivered, in its thread. */
  readonly replyOf?: number;
  /** For 'update': the outbox delivery whose message is replaced... */
  readonly updateOf?: number;
  /** ...or the message's Slack ts / Teams activity id when it was not delivered through the outbox. */
  readonly messageRef?: string;
  /**
   * Slack's `response_url` of the interaction this message answers: an ephemeral message is sent
   * there, an update replaces the clicked ephemeral message through it, a post falls back to it
   * when Slack refuses the channel.
   */
  readonly responseUrl?: string;
  /** JSON-serializable message (the neutral model), rendered per platform at delivery. */
  readonly payload: unknown;
}

/** Puts a message in the outbox once: enqueuing the same (platform, target, recipient, purpose) again returns the first row. */
export async function enqueueOutboxMessage(db: Db, m: OutboxMessage): Promise<{ id: number; created: boolean }> {
  const inserted = await db
    .insertInto('chat_outbox')
    .values({
      platform: m.platform,
      operation: m.operation,
      purpose: m.purpose,
      target: m.target,
      recipient: m.recipient ?? '',
      reply_to: m.replyTo ?? null,
      update_of: m.updateOf ?? null,
      reply_of: m.replyOf ?? null,
      message_ref: m.messageRef ?? null,
      response_url: m.responseUrl ?? null,
      payload: JSON.stringify(m.payload),
    })
    .onConflict((oc) => oc.columns(['platform', 'target', 'recipient', 'purpose']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('chat_outbox')
    .select('id')
    .where('platform', '=', m.platform)
    .where('target', '=', m.target)
    .where('recipient', '=', m.recipient ?? '')
    .where('purpose', '=', m.purpose)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** An outbox row claimed for one delivery attempt. */
export interface ClaimedDelivery {
  readonly id: number;
  readonly platform: ChatPlatform;
  readonly operation: 'post' | 'ephemeral' | 'update' | 'home';
  readonly purpose: string;
  readonly target: string;
  readonly recipient: string;
  readonly replyTo: string | null;
  /** For updates: the Slack ts / Teams activity id of the message to replace. */
  readonly messageId: string | null;
  /** For updates: the outbox row of the message replaced. */
  readonly updateOf: number | null;
  /**
   * For updates of a message posted as several Teams cards: the activity id of each card after the
   * first, in order (the first is `messageId`). Empty otherwise.
   */
  readonly messageParts: readonly string[];
  /** See `OutboxMessage.responseUrl`. */
  readonly responseUrl: string | null;
  readonly payload: unknown;
  /** This attempt's number (1 for the first); fences the result against a lapsed claim. */
  readonly attempt: number;
  /** True when an earlier claim lapsed mid-send (the sender died): the message may already be out. */
  readonly resumed: boolean;
}

/**
 * Claims up to `limit` due deliveries for a lease, in due order. Rows locked by another worker are
 * skipped (FOR UPDATE SKIP LOCKED), so concurrent workers never claim the same row. Nothing is
 * claimed for a platform paused by a 429 (chat_platform_pause). An update waits
 * until the message it replaces is delivered and until earlier updates of that message are done.
 */
export async function claimDueDeliveries(
  db: Kysely<Database>,
  request: { now: Date; limit: number; leaseMs: number; platforms: readonly ChatPlatform[] },
): Promise<ClaimedDelivery[]> {
  if (request.platforms.length === 0) return [];
  const leaseUntil = new Date(request.now.getTime() + request.leaseMs);
  const platforms = sql.join(request.platforms.map((p) => sql`${p}`));
  const rows = await sql<{
    id: number;
    platform: ChatPlatform;
    operation: 'post' | 'ephemeral' | 'update' | 'home';
    purpose: string;
    target: string;
    recipient: string;
    reply_to: string | null;
    message_ref: string | null;
    update_of: number | string | null;
    response_url: string | null;
    base_delivered_id: string | null;
    base_uploads: Record<string, string> | string | null;
    payload: unknown;
    attempts: number;
    was: string;
  }>`
    WITH due AS (
      SELECT o.id, o.status AS was
        FROM chat_outbox o
       WHERE o.platform IN (${platforms})
         AND ((o.status = 'pending' AND o.next_attempt_at <= ${request.now})
           OR (o.status = 'sending' AND o.lease_until <= ${request.now}))
         AND NOT EXISTS (SELECT 1 FROM chat_platform_pause p WHERE p.platform = o.platform AND p.until > ${request.now})
         AND (o.update_of IS NULL
           OR EXISTS (SELECT 1 FROM chat_outbox b WHERE b.id = o.update_of AND b.status = 'sent'))
         AND (o.reply_of IS NULL
           OR EXISTS (SELECT 1 FROM chat_outbox t WHERE t.id = o.reply_of AND t.status = 'sent'))
         AND NOT EXISTS (SELECT 1 FROM chat_outbox e
                          WHERE o.update_of IS NOT NULL AND e.update_of = o.update_of AND e.id < o.id
                            AND e.status IN ('pending', 'sending'))
       ORDER BY o.next_attempt_at, o.id
       LIMIT ${request.limit}
       FOR UPDATE OF o SKIP LOCKED
    )
    UPDATE chat_outbox c
       SET status = 'sending', attempts = c.attempts + 1, lease_until = ${leaseUntil}
      FROM due
     WHERE c.id = due.id
    RETURNING c.id, c.platform, c.operation, c.purpose, c.target, c.recipient,
              coalesce(c.reply_to, (SELECT t.delivered_id FROM chat_outbox t WHERE t.id = c.reply_of)) AS reply_to, c.message_ref, c.update_of, c.response_url, c.payload,
              c.attempts, due.was,
              (SELECT b.delivered_id FROM chat_outbox b WHERE b.id = c.update_of) AS base_delivered_id,
              (SELECT b.payload->'uploads' FROM chat_outbox b WHERE b.id = c.update_of) AS base_uploads`.execute(db);
  return rows.rows
    .map((r) => ({
      id: Number(r.id),
      platform: r.platform,
      operation: r.operation,
      purpose: r.purpose,
      target: r.target,
      recipient: r.recipient,
      replyTo: r.reply_to,
      messageId: r.operation === 'update' ? (r.base_delivered_id ?? r.message_ref) : null,
      updateOf: r.update_of === null ? null : Number(r.update_of),
      messageParts: cardParts(typeof r.base_uploads === 'string' ? (JSON.parse(r.base_uploads) as Record<string, string>) : r.base_uploads),
      responseUrl: r.response_url,
      payload: r.payload,
      attempt: r.attempts,
      resumed: r.was === 'sending',
    }))
    .sort((a, b) => a.id - b.id);
}

/** Records a delivery; false when the claim had lapsed and another worker owns the row now. */
export async function markDelivered(db: Db, d: ClaimedDelivery, deliveredId: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('chat_outbox')
    // A response_url is a capability (valid 30 minutes): nothing keeps it once it has served.
    .set({ status: 'sent', delivered_id: deliveredId, sent_at: now, lease_until: null, last_error: null, response_url: null })
    .where('id', '=', d.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', d.attempt)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Puts a claimed row back to pending for `nextAttemptAt`; `attempted: false` gives the attempt back (it was never sent). */
export async function rescheduleDelivery(
  db: Db,
  d: ClaimedDelivery,
  request: { nextAttemptAt: Date; error: string | null; attempted: boolean },
): Promise<void> {
  await db
    .updateTable('chat_outbox')
    .set({
      status: 'pending',
      next_attempt_at: request.nextAttemptAt,
      lease_until: null,
      attempts: request.attempted ? d.attempt : d.attempt - 1,
      ...(request.error !== null ? { last_error: request.error } : {}),
    })
    .where('id', '=', d.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', d.attempt)
    .execute();
}

/** Gives up on a row the platform refused for good (unknown channel, revoked token); it stays for people to see. */
export async function markFailed(db: Db, d: ClaimedDelivery, error: string): Promise<void> {
  await db
    .updateTable('chat_outbox')
    .set({ status: 'failed', lease_until: null, last_error: error, response_url: null })
    .where('id', '=', d.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', d.attempt)
    .execute();
}

/** Fails pending updates whose original message failed (nothing to update), and thread replies whose parent failed (no thread). Returns how many. */
export async function failOrphanedUpdates(db: Db): Promise<number> {
  const r = await sql`
    UPDATE chat_outbox o
       SET status = 'failed', last_error = 'the message it updates was never delivered'
     WHERE o.status = 'pending' AND o.update_of IS NOT NULL
       AND EXISTS (SELECT 1 FROM chat_outbox b WHERE b.id = o.update_of AND b.status = 'failed')`.execute(db);
  const replies = await sql`
    UPDATE chat_outbox o
       SET status = 'failed', last_error = 'the message whose thread it replies in was never delivered'
     WHERE o.status = 'pending' AND o.reply_of IS NOT NULL
       AND EXISTS (SELECT 1 FROM chat_outbox t WHERE t.id = o.reply_of AND t.status = 'failed')`.execute(db);
  return Number(r.numAffectedRows ?? 0n) + Number(replies.numAffectedRows ?? 0n);
}

/** A delivered outbox row, found by the message id the platform gave it. */
export interface DeliveredMessage {
  readonly id: number;
  readonly purpose: string;
  readonly target: string;
  readonly payload: unknown;
}

/** The outbox delivery that produced a platform message (Slack ts / Teams activity id) in a channel or conversation. */
export async function findDeliveredMessage(
  db: Db,
  key: { platform: ChatPlatform; target: string; deliveredId: string },
): Promise<DeliveredMessage | undefined> {
  const row = await db
    .selectFrom('chat_outbox')
    .select(['id', 'purpose', 'target', 'payload'])
    .where('platform', '=', key.platform)
    .where('target', '=', key.target)
    .where('delivered_id', '=', key.deliveredId)
    .where('operation', '<>', 'update')
    .orderBy('id')
    .executeTakeFirst();
  return row ? { id: row.id, purpose: row.purpose, target: row.target, payload: row.payload } : undefined;
}

/** The outbox row as it stands (for the CLI and tests). */
export async function outboxRow(db: Db, id: number) {
  return db.selectFrom('chat_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Pauses a platform until `until` (a 429's Retry-After), or keeps a later pause already set. */
export async function pausePlatform(db: Db, platform: ChatPlatform, until: Date): Promise<void> {
  await sql`
    INSERT INTO chat_platform_pause (platform, until) VALUES (${platform}, ${until})
    ON CONFLICT (platform) DO UPDATE SET until = greatest(chat_platform_pause.until, excluded.until)`.execute(db);
}

/** A file a queued message carries (the digest chart), stored with the message so every attempt sends the same bytes. */
export interface OutboxAttachment {
  /** The name the message's image block refers to (`{ attachment: name }`). */
  readonly name: string;
  readonly filename: string;
  readonly title: string;
  readonly mediaType: 'image/png';
  readonly width: number;
  readonly height: number;
  readonly base64: string;
}

/** The outbox payload: the neutral message, the files it carries, and what each platform already did with them. */
export interface OutboxPayloadExtras {
  readonly attachments?: readonly OutboxAttachment[];
  /**
   * What a retry must not do again: attachment name -> platform file id once uploaded, and
   * `card:N` -> the Teams activity id of the Nth extra card of a message split into several.
   */
  readonly uploads?: Readonly<Record<string, string>>;
}

/**
 * The outbox row that delivered a platform message: the one whose delivered id it is (indexed), else,
 * on Teams, the message split into several cards that includes a card with this activity id (so a
 * click on any of its cards finds the message). Looked up only when the first answer is empty, so
 * every other click costs one index lookup.
 */
export async function deliveredBaseId(db: Db, key: { platform: ChatPlatform; target: string; deliveredId: string }): Promise<number | undefined> {
  const direct = await db
    .selectFrom('chat_outbox')
    .select('id')
    .where('platform', '=', key.platform)
    .where('target', '=', key.target)
    .where('delivered_id', '=', key.deliveredId)
    .where('operation', '<>', 'update')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (direct) return Number(direct.id);
  if (key.platform !== 'teams') return undefined;
  const card = await db
    .selectFrom('chat_outbox')
    .select('id')
    .where('platform', '=', 'teams')
    .where('target', '=', key.target)
    .where('operation', '=', 'post')
    .where('status', '=', 'sent')
    .where(sql<boolean>`payload ? 'uploads' AND EXISTS (SELECT 1 FROM jsonb_each_text(payload->'uploads') AS u(k, v) WHERE u.k LIKE 'card:%' AND u.v = ${key.deliveredId})`)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return card ? Number(card.id) : undefined;
}

/** The upload key under which the activity id of a message's `i`th Teams card (from 1) is recorded. */
export function cardPartKey(i: number): string {
  return `card:${i}`;
}

/** The recorded activity ids of a message's Teams cards after the first, in order. */
export function cardParts(uploads: Readonly<Record<string, string>> | null | undefined): string[] {
  const parts: string[] = [];
  for (let i = 1; uploads?.[cardPartKey(i)] !== undefined; i++) parts.push(uploads[cardPartKey(i)]!);
  return parts;
}

/**
 * Records that an attachment of a claimed row was uploaded (Slack file id), before the message that
 * shows it is sent: a retry of the row reuses the file instead of uploading it again. Fenced by the
 * claim like `markDelivered`; false when the claim lapsed.
 */
export async function recordAttachmentUpload(db: Db, d: ClaimedDelivery, name: string, fileId: string): Promise<boolean> {
  const r = await sql`
    UPDATE chat_outbox
       SET payload = jsonb_set(payload, '{uploads}', coalesce(payload->'uploads', '{}'::jsonb) || jsonb_build_object(${name}::text, ${fileId}::text))
     WHERE id = ${d.id} AND status = 'sending' AND attempts = ${d.attempt}`.execute(db);
  return Number(r.numAffectedRows ?? 0n) > 0;
}

/**
 * Parks a platform's pending rows: the workspace uninstalled the app, so nothing is sent until it is
 * authorized again. A row being sent right now finishes (its claim fences the result). Returns how many.
 */
export async function parkPlatformDeliveries(db: Db, platform: ChatPlatform, reason: string): Promise<number> {
  const r = await db
    .updateTable('chat_outbox')
    .set({ status: 'parked', lease_until: null, last_error: reason })
    .where('platform', '=', platform)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Puts a platform's parked rows back in the queue, due now, oldest first as before. Returns how many. */
export async function releaseParkedDeliveries(db: Db, platform: ChatPlatform, now: Date): Promise<number> {
  const r = await db
    .updateTable('chat_outbox')
    .set({ status: 'pending', next_attempt_at: now, last_error: null })
    .where('platform', '=', platform)
    .where('status', '=', 'parked')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** What waits in the outbox: rows not yet delivered, the oldest one's age, and rows parked. */
export interface OutboxBacklog {
  readonly pending: number;
  /** When the oldest pending or sending row was queued; null when nothing waits. */
  readonly oldestPendingAt: Date | null;
  readonly parked: number;
}

/** The outbox backlog, for `GET /healthz` (both counts read partial indexes, not the delivered history). */
export async function outboxBacklog(db: Db): Promise<OutboxBacklog> {
  const waiting = await sql<{ n: string; oldest: Date | string | null }>`
    SELECT count(*)::text AS n, min(created_at) AS oldest FROM chat_outbox WHERE status IN ('pending', 'sending')`.execute(db);
  const parked = await sql<{ n: string }>`SELECT count(*)::text AS n FROM chat_outbox WHERE status = 'parked'`.execute(db);
  const w = waiting.rows[0]!;
  return { pending: Number(w.n), oldestPendingAt: w.oldest === null ? null : new Date(w.oldest), parked: Number(parked.rows[0]!.n) };
}
