// Row types of the chat area's tables (outbox, inbound request keys, Teams conversation references, acknowledgements); merged into `Database` in tables.ts.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string, string>;

/** One message on its way to Slack or Teams. */
export interface ChatOutboxTable {
  id: Generated<number>;
  platform: 'slack' | 'teams';
  operation: 'post' | 'ephemeral' | 'update' | 'home';
  purpose: string;
  target: string;
  recipient: ColumnType<string, string | undefined, string>;
  reply_to: string | null;
  update_of: number | null;
  /** The outbox row this one is a thread reply to, sent once that one is (migration 20261204T0301). */
  reply_of: ColumnType<number | null, number | null | undefined, number | null>;
  message_ref: string | null;
  payload: Json;
  status: ColumnType<OutboxStatus, 'pending' | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  lease_until: NullableTimestamp;
  last_error: string | null;
  delivered_id: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  /** Slack's response_url of the interaction the message answers (migration 20261203T0501). */
  response_url: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Where an outbox row stands; `parked` while its workspace has uninstalled the app. */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'parked';

/** Whether the app is installed in a chat workspace (Slack team). */
export interface ChatWorkspaceTable {
  platform: 'slack' | 'teams';
  workspace: string;
  state: 'installed' | 'uninstalled';
  reason: string;
  changed_at: Timestamp;
}

/** An inbound request already processed (Slack trigger/event id, Teams activity id). */
export interface ChatInboundTable {
  platform: 'slack' | 'teams';
  request_key: string;
  kind: string;
  received_at: Timestamp;
}

/** The stored Bot Framework conversation reference of a Teams conversation. */
export interface TeamsConversationTable {
  conversation_id: string;
  conversation_type: string | null;
  tenant_id: string | null;
  team_id: string | null;
  service_url: string;
  reference: Json;
  installed: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Timestamp;
}

/** A person acknowledged a delivered message. */
export interface ChatAcknowledgementTable {
  outbox_id: number;
  person_id: string;
  surface: 'slack' | 'teams';
  at: Timestamp;
}

/** A platform paused by a 429 until its Retry-After has passed. */
export interface ChatPlatformPauseTable {
  platform: 'slack' | 'teams';
  until: Timestamp;
}

/** A form opened from a button, kept server-side (the platform form carries only its id). */
export interface ChatFormSessionTable {
  id: string;
  kind: string;
  platform: 'slack' | 'teams';
  subject: Json;
  subject_version: string | null;
  origin_target: string;
  origin_message_id: string;
  origin_response_url: string | null;
  person_id: string;
  platform_user_id: string;
  opened_at: Timestamp;
  expires_at: Timestamp;
  submitted_at: NullableTimestamp;
  submitted_request: string | null;
  outcome: string | null;
}

/** The chat area's tables, by table name. */
export interface ChatTables {
  chat_outbox: ChatOutboxTable;
  chat_inbound: ChatInboundTable;
  chat_platform_pause: ChatPlatformPauseTable;
  teams_conversation: TeamsConversationTable;
  chat_acknowledgement: ChatAcknowledgementTable;
  chat_workspace: ChatWorkspaceTable;
  chat_form_session: ChatFormSessionTable;
}
