-- Savings recognition: people and their roles, the savings ledger, and the budget revisions a
-- recognized cost reduction makes. Amounts are numeric; nothing here is ever a float.

-- A person, identified by any of their chat identities or their email.
CREATE TABLE person (
  id            text PRIMARY KEY CHECK (btrim(id) <> ''),
  name          text,
  email         text,
  slack_user_id text,
  teams_aad_id  text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX person_email ON person (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX person_slack ON person (slack_user_id) WHERE slack_user_id IS NOT NULL;
CREATE UNIQUE INDEX person_teams ON person (teams_aad_id) WHERE teams_aad_id IS NOT NULL;

-- A role a person holds, everywhere ('' cost center) or for one cost center and its descendants.
CREATE TABLE person_role (
  person_id        text NOT NULL REFERENCES person (id),
  role             text NOT NULL CHECK (role IN ('finops', 'itfm', 'owner', 'admin')),
  cost_center_code text NOT NULL DEFAULT '',
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, role, cost_center_code)
);

CREATE SEQUENCE saving_number_seq AS bigint;

-- One saving: proposed by FinOps, measured from the FOCUS lines in its scope, validated and
-- recognized (or rejected) by ITFM. `version` grows by one per transition (optimistic concurrency).
CREATE TABLE saving (
  id                 text PRIMARY KEY,
  title              text NOT NULL CHECK (btrim(title) <> ''),
  lever              text NOT NULL CHECK (lever IN ('commitment-discount', 'negotiated-price', 'license-harvest',
                                                    'rightsizing', 'cleanup', 'scheduling', 'architecture')),
  lever_kind         text NOT NULL CHECK (lever_kind IN ('rate', 'usage')),
  type               text NOT NULL CHECK (type IN ('reduction', 'avoidance')),
  cost_center_code   text NOT NULL REFERENCES cost_center (code),
  -- The budget category recognition lowers ('' = the cost center's uncategorised budget).
  category           text NOT NULL DEFAULT '',
  -- {"service": ["Compute Engine"], "commitment-discount-id": ["ri-1"]}: values of one field are alternatives.
  filters            jsonb NOT NULL DEFAULT '{}'::jsonb,
  effective_date     date NOT NULL,
  -- Last day the saving applies (inclusive); null = open-ended.
  end_date           date,
  -- Usage levers: the inclusive window whose daily run rate is the baseline.
  baseline_start     date,
  baseline_end       date,
  -- Usage levers: 'effective' or 'billed'; rate levers: the reference price 'list' or 'contracted'.
  basis              text CHECK (basis IN ('effective', 'billed')),
  reference_cost     text CHECK (reference_cost IN ('list', 'contracted')),
  estimate_monthly   numeric NOT NULL CHECK (estimate_monthly > 0),
  currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  evidence           text,
  proposer           text NOT NULL REFERENCES person (id),
  status             text NOT NULL DEFAULT 'proposed'
                       CHECK (status IN ('proposed', 'validated', 'recognized', 'rejected', 'withdrawn')),
  recognized_monthly numeric CHECK (recognized_monthly > 0),
  recognized_from    date CHECK (extract(day FROM recognized_from) = 1),
  approver           text REFERENCES person (id),
  validated_at       timestamptz,
  recognized_by      text REFERENCES person (id),
  recognized_at      timestamptz,
  closed_by          text REFERENCES person (id),
  closed_at          timestamptz,
  reject_reason      text,
  -- A client-supplied key (a chat interaction id) so a proposal submitted twice is stored once.
  request_key        text UNIQUE,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  version            integer NOT NULL DEFAULT 1,
  CHECK (baseline_end IS NULL OR baseline_start <= baseline_end),
  CHECK (end_date IS NULL OR effective_date <= end_date),
  CHECK (status NOT IN ('validated', 'recognized') OR (recognized_monthly IS NOT NULL AND approver IS NOT NULL)),
  CHECK (status <> 'recognized' OR (recognized_from IS NOT NULL AND recognized_by IS NOT NULL))
);
CREATE INDEX saving_status ON saving (status);
CREATE INDEX saving_cost_center ON saving (cost_center_code);

-- The budget revisions recognition writes: one row per month, amount < 0 lowering the budget of
-- (cost center, category, month). The original budget_line is never changed; the revised budget is
-- budget_line.amount + sum(budget_revision.amount). Rejecting or withdrawing a recognized saving
-- adds a reversal row per month (same month, opposite amount, `reverses` = the original row) and
-- sets the original's `reversed_by`, so the sum returns to the original budget and history stays.
CREATE TABLE budget_revision (
  id               bigserial PRIMARY KEY,
  saving_id        text    NOT NULL REFERENCES saving (id),
  cost_center_code text    NOT NULL REFERENCES cost_center (code),
  category         text    NOT NULL DEFAULT '',
  month            date    NOT NULL CHECK (extract(day FROM month) = 1),
  amount           numeric NOT NULL,
  currency         text    NOT NULL,
  reverses         bigint  UNIQUE REFERENCES budget_revision (id),
  reversed_by      bigint  UNIQUE REFERENCES budget_revision (id),
  created_by       text    NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
-- One recognition row per saving and month, whatever races happen.
CREATE UNIQUE INDEX budget_revision_once ON budget_revision (saving_id, month) WHERE reverses IS NULL;
CREATE INDEX budget_revision_budget ON budget_revision (cost_center_code, category, month);
