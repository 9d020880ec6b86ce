-- Variance: who explained which component of which variance (planned or not, and by what action),
-- and per-cost-center materiality thresholds that override the configured ones.

CREATE TABLE variance_explanation (
  id          bigserial   PRIMARY KEY,
  period      date        NOT NULL CHECK (extract(day FROM period) = 1),
  -- What the scope is a value of (`cost-center`, `provider`, ...) and the value itself.
  scope_field text        NOT NULL,
  scope       text        NOT NULL,
  component   text        NOT NULL CHECK (component IN ('rate', 'volume', 'new', 'discontinued', 'mix', 'purchases', 'credits',
                                                      'tax', 'adjustments', 'unquantified', 'baselineGap')),
  planned     boolean     NOT NULL,
  text        text        NOT NULL CHECK (btrim(text) <> ''),
  -- A planned component names its action: a savings record, or an engineering change in free text.
  saving_id   text,
  change_ref  text,
  author      text        NOT NULL,
  surface     text        NOT NULL CHECK (surface IN ('cli', 'slack', 'teams', 'schedule', 'system')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT planned OR saving_id IS NOT NULL OR change_ref IS NOT NULL)
);
CREATE INDEX variance_explanation_scope ON variance_explanation (period, scope_field, scope);

CREATE TABLE variance_threshold (
  cost_center_code text        PRIMARY KEY REFERENCES cost_center (code),
  amount           numeric     NOT NULL CHECK (amount >= 0),
  share            numeric     NOT NULL CHECK (share >= 0),
  updated_by       text        NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
