-- The joint review cadence: scheduled reviews, their runs (claimed once per cadence and period),
-- one delivery per run and channel, per-channel mutes of alert kinds, and channel subscriptions
-- that route a cost center's items to its owners' channel.

-- A scheduled review. `cron` is a 5- or 6-field cron expression read in `timezone` (IANA).
-- Channels are `slack:CHANNEL_ID` or `teams:CONVERSATION_ID`; an empty `cost_centers` means all.
-- `active_since`: occurrences before it are never run (a new or resumed cadence does not catch up
-- on occurrences from before it existed or while it was paused).
CREATE TABLE review_cadence (
  id           bigserial   PRIMARY KEY,
  name         text        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  kind         text        NOT NULL CHECK (kind IN ('weekly-digest', 'pre-close-handoff', 'monthly-showback', 'unattributed-alert', 'variance-alert')),
  cron         text        NOT NULL CHECK (btrim(cron) <> ''),
  timezone     text        NOT NULL CHECK (btrim(timezone) <> ''),
  channels     text[]      NOT NULL DEFAULT '{}',
  cost_centers text[]      NOT NULL DEFAULT '{}',
  paused       boolean     NOT NULL DEFAULT false,
  active_since timestamptz NOT NULL DEFAULT now(),
  created_by   text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Small facts about the review setup, e.g. that the default cadence was created once (so a
-- removed default stays removed).
CREATE TABLE review_setting (
  key        text        PRIMARY KEY,
  value      jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One run of a cadence for one period (the cron occurrence, as local wall time in the cadence's
-- time zone). The unique key is the claim: whoever inserts (cadence, period, attempt 1) runs it;
-- `--force` re-posts with the next attempt number. `lease_until` lets another process resume a
-- run whose runner died before its messages were queued.
CREATE TABLE review_run (
  id            bigserial   PRIMARY KEY,
  cadence_name  text        NOT NULL,
  kind          text        NOT NULL,
  period_key    text        NOT NULL,
  attempt       integer     NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  trigger       text        NOT NULL CHECK (trigger IN ('schedule', 'catch-up', 'manual', 'forced')),
  scheduled_for timestamptz NOT NULL,
  claimed_by    text        NOT NULL,
  runner        text        NOT NULL,
  surface       text        NOT NULL,
  claimed_at    timestamptz NOT NULL DEFAULT now(),
  lease_until   timestamptz NOT NULL,
  status        text        NOT NULL DEFAULT 'building' CHECK (status IN ('building', 'queued', 'delivered', 'partial', 'quiet', 'failed')),
  outcome       text,
  agenda        jsonb       NOT NULL DEFAULT '[]'::jsonb,
  summary       jsonb,
  finished_at   timestamptz,
  UNIQUE (cadence_name, period_key, attempt)
);
CREATE INDEX review_run_open ON review_run (lease_until) WHERE status IN ('building', 'queued');
CREATE INDEX review_run_recent ON review_run (cadence_name, claimed_at DESC);

-- One message of a run to one channel, through the chat outbox; `message_id` is the Slack ts /
-- Teams activity id it produced. `scope` lists the cost centers of an owner's message ('{}' for
-- the overview). A muted channel gets a row with status 'muted' and no outbox message.
CREATE TABLE review_delivery (
  run_id       bigint      NOT NULL REFERENCES review_run (id),
  channel      text        NOT NULL,
  scope        text[]      NOT NULL DEFAULT '{}',
  outbox_id    bigint      REFERENCES chat_outbox (id),
  status       text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'muted')),
  message_id   text,
  delivered_at timestamptz,
  PRIMARY KEY (run_id, channel)
);

-- A channel muted one alert kind until a time (`/costbridge mute unattributed 7d`).
CREATE TABLE alert_mute (
  channel  text        NOT NULL,
  kind     text        NOT NULL CHECK (kind IN ('unattributed-alert', 'variance-alert', 'pre-close-handoff', 'monthly-showback')),
  until    timestamptz NOT NULL,
  muted_by text        NOT NULL,
  muted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, kind)
);

-- A channel subscribed to a cost center's items ('*' = the joint channel: the overview).
CREATE TABLE channel_subscription (
  channel       text        NOT NULL,
  cost_center   text        NOT NULL,
  subscribed_by text        NOT NULL,
  subscribed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, cost_center)
);
