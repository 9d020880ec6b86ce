// Row types of the review area's tables (cadences, runs, deliveries, mutes, subscriptions); merged into `Database` in tables.ts.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type Json = ColumnType<unknown, string | undefined, string>;

/** A scheduled review. */
export interface ReviewCadenceTable {
  id: Generated<number>;
  name: string;
  kind: string;
  cron: string;
  timezone: string;
  channels: TextArray;
  cost_centers: TextArray;
  paused: ColumnType<boolean, boolean | undefined, boolean>;
  active_since: Timestamp;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A fact about the review setup. */
export interface ReviewSettingTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
}

/** One claimed run of a cadence for one period. */
export interface ReviewRunTable {
  id: Generated<number>;
  cadence_name: string;
  kind: string;
  period_key: string;
  attempt: ColumnType<number, number | undefined, number>;
  trigger: 'schedule' | 'catch-up' | 'manual' | 'forced';
  scheduled_for: Timestamp;
  claimed_by: string;
  runner: string;
  surface: string;
  claimed_at: Timestamp;
  lease_until: Timestamp;
  status: ColumnType<ReviewRunStatus, ReviewRunStatus | undefined, ReviewRunStatus>;
  outcome: string | null;
  agenda: Json;
  summary: ColumnType<unknown, string | null | undefined, string | null>;
  finished_at: NullableTimestamp;
}

/** Where a run stands. */
export type ReviewRunStatus = 'building' | 'queued' | 'delivered' | 'partial' | 'quiet' | 'failed';

/** One message of a run to one channel. */
export interface ReviewDeliveryTable {
  run_id: number;
  channel: string;
  scope: TextArray;
  outbox_id: number | null;
  status: ColumnType<'queued' | 'sent' | 'failed' | 'muted', 'queued' | 'muted' | undefined, 'queued' | 'sent' | 'failed' | 'muted'>;
  message_id: string | null;
  delivered_at: NullableTimestamp;
  /** When this delivery's failure was reported once (note or log line). */
  failure_noted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** A channel's mute of an alert kind. */
export interface AlertMuteTable {
  channel: string;
  kind: string;
  until: Timestamp;
  muted_by: string;
  muted_at: Timestamp;
}

/** A channel's subscription to a cost center ('*' for the overview). */
export interface ChannelSubscriptionTable {
  channel: string;
  cost_center: string;
  subscribed_by: string;
  subscribed_at: Timestamp;
}

/** The review area's tables, by table name. */
export interface ReviewTables {
  review_cadence: ReviewCadenceTable;
  review_setting: ReviewSettingTable;
  review_run: ReviewRunTable;
  review_delivery: ReviewDeliveryTable;
  alert_mute: AlertMuteTable;
  channel_subscription: ChannelSubscriptionTable;
}
