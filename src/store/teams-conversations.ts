import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A Teams conversation the bot can post to, with the Bot Framework reference to reach it. */
export interface TeamsConversation {
  readonly conversationId: string;
  readonly conversationType: string | null;
  readonly tenantId: string | null;
  readonly teamId: string | null;
  readonly serviceUrl: string;
  /** The Bot Framework ConversationReference, as JSON. */
  readonly reference: Record<string, unknown>;
  readonly installed: boolean;
}

/** Inserts or refreshes a conversation reference (keyed by conversation id). */
export async function saveTeamsConversation(db: Db, c: TeamsConversation): Promise<void> {
  const values = {
    conversation_type: c.conversationType,
    tenant_id: c.tenantId,
    team_id: c.teamId,
    service_url: c.serviceUrl,
    reference: JSON.stringify(c.reference),
    installed: c.installed,
  };
  await db
    .insertInto('teams_conversation')
    .values({ conversation_id: c.conversationId, ...values })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ ...values, updated_at: sql`now()` as never }))
    .execute();
}

/** The stored reference of a conversation, or undefined when the bot never heard from it. */
export async function findTeamsConversation(db: Db, conversationId: string): Promise<TeamsConversation | undefined> {
  const r = await db.selectFrom('teams_conversation').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
  return r
    ? {
        conversationId: r.conversation_id,
        conversationType: r.conversation_type,
        tenantId: r.tenant_id,
        teamId: r.team_id,
        serviceUrl: r.service_url,
        reference: r.reference as Record<string, unknown>,
        installed: r.installed,
      }
    : undefined;
}
