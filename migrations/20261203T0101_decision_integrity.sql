-- Decisions nobody can forge, reverse or misattribute (issue 12).

-- A refused attempt is audited too: who tried what, from where, and why it was refused.
ALTER TABLE audit_log ADD COLUMN outcome text NOT NULL DEFAULT 'recorded' CHECK (outcome IN ('recorded', 'refused'));
CREATE INDEX audit_log_refused ON audit_log (at) WHERE outcome = 'refused';

-- The workspace / tenant a person's chat id was bound in (null: set by an admin through the CLI).
ALTER TABLE person ADD COLUMN slack_team_id text;
ALTER TABLE person ADD COLUMN teams_tenant_id text;

-- A form opened from a button: what it is about and for whom is kept here, never in the platform
-- form (which carries only `id`). A submission is accepted from `platform_user_id` only, before
-- `expires_at`, once (`submitted_at`); subject, version and origin message are read from this row.
CREATE TABLE chat_form_session (
  id                text        PRIMARY KEY CHECK (length(id) >= 20),
  -- The form's callback id (`saving.approve.submit` ...): a session only answers its own form.
  kind              text        NOT NULL,
  platform          text        NOT NULL CHECK (platform IN ('slack', 'teams')),
  -- The ids of the subject (`{"savingId":"SAV-0001"}`) and the version the opener saw.
  subject           jsonb       NOT NULL,
  subject_version   text,
  -- The message whose button opened the form, checked to carry that button when it was opened.
  origin_target     text        NOT NULL,
  origin_message_id text        NOT NULL,
  -- Slack: the click's response_url when the origin is an ephemeral message (replaced only through it).
  origin_response_url text,
  person_id         text        NOT NULL REFERENCES person (id),
  platform_user_id  text        NOT NULL,
  opened_at         timestamptz NOT NULL DEFAULT now(),
  expires_at        timestamptz NOT NULL,
  submitted_at      timestamptz,
  -- The platform request that submitted it, and what came of it (recorded, refused, conflict, failed).
  submitted_request text,
  outcome           text
);
CREATE INDEX chat_form_session_expires ON chat_form_session (expires_at);

-- A reversed recognition (savings reverse) leaves its rows, linked to their reversals; the saving may
-- be recognized again, so "one recognition row per saving and month" counts standing rows only.
DROP INDEX budget_revision_once;
CREATE UNIQUE INDEX budget_revision_once ON budget_revision (saving_id, month) WHERE reverses IS NULL AND reversed_by IS NULL;
