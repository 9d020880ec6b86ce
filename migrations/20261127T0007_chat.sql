-- Chat: the outbox every Slack/Teams message leaves through, inbound request keys (Slack retries are
-- processed once), Teams conversation references (for proactive posts), and acknowledgements.

-- One message to deliver. (platform, target, recipient, purpose) is unique, so enqueuing the same
-- message twice (a retried request, a re-run schedule) stores it once. `delivered_id` is the Slack
-- `ts` / Teams activity id the delivery produced: a row with it is never sent again.
CREATE TABLE chat_outbox (
  id              bigserial PRIMARY KEY,
  platform        text        NOT NULL CHECK (platform IN ('slack', 'teams')),
  operation       text        NOT NULL CHECK (operation IN ('post', 'ephemeral', 'update')),
  -- What the message is for, e.g. 'command-reply:<request>' or 'unattributed-alert:2026-10:42'.
  purpose         text        NOT NULL CHECK (btrim(purpose) <> ''),
  -- Slack channel id, or Teams conversation id.
  target          text        NOT NULL CHECK (btrim(target) <> ''),
  -- The Slack user an ephemeral message is shown to; '' otherwise.
  recipient       text        NOT NULL DEFAULT '',
  -- Slack thread_ts / Teams activity id this message replies to.
  reply_to        text,
  -- 'update': the earlier delivery whose message is replaced, or the message id when it was not ours.
  update_of       bigint      REFERENCES chat_outbox (id),
  message_ref     text,
  -- The platform-neutral message (src/messages), rendered for the platform at delivery.
  payload         jsonb       NOT NULL,
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- While 'sending': when the claim lapses (the worker died) and the row may be tried again.
  lease_until     timestamptz,
  last_error      text,
  delivered_id    text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  UNIQUE (platform, target, recipient, purpose),
  CHECK (operation <> 'ephemeral' OR recipient <> ''),
  CHECK (operation <> 'update' OR update_of IS NOT NULL OR message_ref IS NOT NULL),
  CHECK (status <> 'sent' OR delivered_id IS NOT NULL)
);
CREATE INDEX chat_outbox_due ON chat_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX chat_outbox_update_of ON chat_outbox (update_of) WHERE update_of IS NOT NULL;
CREATE INDEX chat_outbox_delivered ON chat_outbox (platform, target, delivered_id) WHERE delivered_id IS NOT NULL;

-- A platform that answered 429: nothing is sent to it before `until` (its Retry-After), by any worker.
CREATE TABLE chat_platform_pause (
  platform text        PRIMARY KEY CHECK (platform IN ('slack', 'teams')),
  until    timestamptz NOT NULL
);

-- One row per inbound request processed (Slack trigger_id / event_id, Teams activity id): a retry
-- of the same request finds its key and is acknowledged without being processed again.
CREATE TABLE chat_inbound (
  platform    text        NOT NULL CHECK (platform IN ('slack', 'teams')),
  request_key text        NOT NULL,
  kind        text        NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, request_key)
);
CREATE INDEX chat_inbound_received ON chat_inbound (received_at);

-- Where the Teams bot can post: the conversation reference of every conversation it was installed
-- in or messaged from, refreshed on each activity.
CREATE TABLE teams_conversation (
  conversation_id   text        PRIMARY KEY,
  conversation_type text,
  tenant_id         text,
  team_id           text,
  service_url       text        NOT NULL,
  reference         jsonb       NOT NULL,
  installed         boolean     NOT NULL DEFAULT true,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- A person acknowledged a delivered message (an alert seen and taken on); once per person.
CREATE TABLE chat_acknowledgement (
  outbox_id  bigint      NOT NULL REFERENCES chat_outbox (id),
  person_id  text        NOT NULL,
  surface    text        NOT NULL CHECK (surface IN ('slack', 'teams')),
  at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (outbox_id, person_id)
);
