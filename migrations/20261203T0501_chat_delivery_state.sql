-- Chat deliveries people can see and trust: Slack replies through the interaction's response_url,
-- outbox rows parked while a workspace has uninstalled the app, the install state of each
-- workspace, and the one note left when a review delivery is given up.

-- Slack's `response_url` of the interaction a message answers (valid 30 minutes, 5 messages). An
-- 'ephemeral' row with it is sent there (works in private channels and DMs without the bot); an
-- 'update' row with it replaces the ephemeral message clicked (`replace_original`); a 'post' row
-- with it falls back there when Slack refuses the channel (`channel_not_found`, `not_in_channel`).
ALTER TABLE chat_outbox ADD COLUMN response_url text;

-- 'parked': held back because the workspace uninstalled the app or revoked its token; put back to
-- 'pending' when the app is authorized again (see chat_workspace).
ALTER TABLE chat_outbox DROP CONSTRAINT chat_outbox_status_check;
ALTER TABLE chat_outbox ADD CONSTRAINT chat_outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'parked'));
CREATE INDEX chat_outbox_parked ON chat_outbox (platform) WHERE status = 'parked';

-- Whether the app is installed in a chat workspace (Slack team id). `uninstalled` comes from the
-- app_uninstalled / tokens_revoked events; a later successful auth.test for the workspace sets it
-- back to `installed` and releases the parked rows.
CREATE TABLE chat_workspace (
  platform   text        NOT NULL CHECK (platform IN ('slack', 'teams')),
  workspace  text        NOT NULL CHECK (btrim(workspace) <> ''),
  state      text        NOT NULL CHECK (state IN ('installed', 'uninstalled')),
  -- The event or check that set the state: 'app_uninstalled', 'tokens_revoked', 'auth.test'.
  reason     text        NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, workspace)
);

-- When the failure of this delivery was reported (a note in the cadence's joint channel, or an
-- error log line when that channel is the one failing), so it is reported once.
ALTER TABLE review_delivery ADD COLUMN failure_noted_at timestamptz;
