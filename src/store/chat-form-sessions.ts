import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from './tables.js';
import type { ChatFormSessionTable } from './tables-chat.js';
import type { ChatPlatform } from './chat-outbox.js';

/** A stored form session (see migrations/20261203T0101_decision_integrity.sql). */
export interface StoredFormSession {
  readonly id: string;
  readonly kind: string;
  readonly platform: ChatPlatform;
  readonly subject: Readonly<Record<string, string>>;
  readonly subjectVersion: string | null;
  readonly origin: { readonly target: string; readonly messageId: string; readonly responseUrl?: string };
  readonly personId: string;
  readonly platformUserId: string;
  readonly openedAt: Date;
  readonly expiresAt: Date;
  readonly submittedAt: Date | null;
  readonly submittedRequest: string | null;
  readonly outcome: string | null;
}

function toSession(r: Selectable<ChatFormSessionTable>): StoredFormSession {
  const subject = (typeof r.subject === 'string' ? JSON.parse(r.subject) : r.subject) as Record<string, string>;
  return {
    id: r.id,
    kind: r.kind,
    platform: r.platform,
    subject,
    subjectVersion: r.subject_version,
    origin: { target: r.origin_target, messageId: r.origin_message_id, ...(r.origin_response_url ? { responseUrl: r.origin_response_url } : {}) },
    personId: r.person_id,
    platformUserId: r.platform_user_id,
    openedAt: new Date(r.opened_at),
    expiresAt: new Date(r.expires_at),
    submittedAt: r.submitted_at === null ? null : new Date(r.submitted_at),
    submittedRequest: r.submitted_request,
    outcome: r.outcome,
  };
}

/** Stores a new session; sessions expired for a week are pruned on the way (they are kept that long to answer late submits). */
export async function insertFormSession(
  db: Kysely<Database>,
  s: Omit<StoredFormSession, 'openedAt' | 'submittedAt' | 'submittedRequest' | 'outcome'> & { openedAt: Date },
): Promise<void> {
  await db.deleteFrom('chat_form_session').where('expires_at', '<', sql<Date>`now() - interval '7 days'`).execute();
  await db
    .insertInto('chat_form_session')
    .values({
      id: s.id,
      kind: s.kind,
      platform: s.platform,
      subject: JSON.stringify(s.subject),
      subject_version: s.subjectVersion,
      origin_target: s.origin.target,
      origin_message_id: s.origin.messageId,
      origin_response_url: s.origin.responseUrl ?? null,
      person_id: s.personId,
      platform_user_id: s.platformUserId,
      opened_at: s.openedAt,
      expires_at: s.expiresAt,
    })
    .execute();
}

/**
 * Marks a session submitted, atomically: only the session of this id and form, opened for this
 * platform user, not expired at `now`, not submitted before. Undefined when any of that fails (of two
 * concurrent submits exactly one gets the session).
 */
export async function takeFormSession(
  db: Kysely<Database>,
  k: { id: string; kind: string; platform: ChatPlatform; platformUserId: string; now: Date; requestKey: string },
): Promise<StoredFormSession | undefined> {
  const row = await db
    .updateTable('chat_form_session')
    .set({ submitted_at: k.now, submitted_request: k.requestKey })
    .where('id', '=', k.id)
    .where('kind', '=', k.kind)
    .where('platform', '=', k.platform)
    .where('platform_user_id', '=', k.platformUserId)
    .where('expires_at', '>', k.now)
    .where('submitted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row ? toSession(row) : undefined;
}

/** One session by id (to say why a submission was refused). */
export async function findFormSession(db: Kysely<Database>, id: string): Promise<StoredFormSession | undefined> {
  const row = await db.selectFrom('chat_form_session').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toSession(row) : undefined;
}

/** Records what a submitted session came to (recorded, refused, conflict, failed). */
export async function setFormSessionOutcome(db: Kysely<Database>, id: string, outcome: string): Promise<void> {
  await db.updateTable('chat_form_session').set({ outcome }).where('id', '=', id).execute();
}
