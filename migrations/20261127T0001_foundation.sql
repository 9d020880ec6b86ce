-- Foundation schema: FOCUS cost lines, import batches, ITFM master data, budgets, GL, tag aliases, audit.
-- Money is numeric everywhere; no float column holds an amount.

CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor        text        NOT NULL,
  surface      text        NOT NULL CHECK (surface IN ('cli', 'slack', 'teams', 'schedule', 'system')),
  action       text        NOT NULL,
  subject_type text        NOT NULL,
  subject_id   text        NOT NULL,
  before       jsonb,
  after        jsonb
);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE import_batch (
  id             bigserial PRIMARY KEY,
  kind           text        NOT NULL CHECK (kind IN ('focus', 'cost-centers', 'budgets', 'gl')),
  file_name      text        NOT NULL,
  sha256         text        NOT NULL,
  format         text        NOT NULL,
  focus_version  text,
  rows           integer     NOT NULL,
  rejected_rows  integer     NOT NULL DEFAULT 0,
  billing_periods text[]     NOT NULL DEFAULT '{}',
  warnings       jsonb       NOT NULL DEFAULT '[]',
  imported_by    text        NOT NULL,
  surface        text        NOT NULL,
  imported_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_batch_sha ON import_batch (kind, sha256);

-- One row per (billing account, billing period) a FOCUS import wrote; a later import of the same
-- slice supersedes it (FOCUS exports are restated).
CREATE TABLE import_slice (
  batch_id             bigint      NOT NULL REFERENCES import_batch (id),
  billing_account_id   text        NOT NULL,
  billing_period_start timestamptz NOT NULL,
  rows                 integer     NOT NULL,
  superseded_by        bigint      REFERENCES import_batch (id),
  PRIMARY KEY (batch_id, billing_account_id, billing_period_start)
);
CREATE INDEX import_slice_current ON import_slice (billing_account_id, billing_period_start) WHERE superseded_by IS NULL;

-- Cost lines are partitioned by BillingPeriodStart (one partition per billing period, created on
-- import), so a restated month is replaced or read without touching the others.
CREATE SEQUENCE cost_line_id_seq AS bigint;
CREATE TABLE cost_line (
  id                       bigint      NOT NULL DEFAULT nextval('cost_line_id_seq'),
  batch_id                 bigint      NOT NULL,
  source_line              integer     NOT NULL,
  billing_account_id       text        NOT NULL,
  billing_account_name     text,
  billing_account_type     text,
  billing_currency         text        NOT NULL,
  billing_period_start     timestamptz NOT NULL,
  billing_period_end       timestamptz NOT NULL,
  charge_period_start      timestamptz NOT NULL,
  charge_period_end        timestamptz NOT NULL,
  charge_category          text        NOT NULL,
  charge_class             text,
  charge_description       text,
  charge_frequency         text,
  billed_cost              numeric     NOT NULL,
  effective_cost           numeric     NOT NULL,
  list_cost                numeric,
  contracted_cost          numeric,
  list_unit_price          numeric,
  contracted_unit_price    numeric,
  pricing_quantity         numeric,
  pricing_unit             text,
  pricing_category         text,
  consumed_quantity        numeric,
  consumed_unit            text,
  pricing_currency         text,
  pricing_currency_contracted_unit_price numeric,
  pricing_currency_effective_cost        numeric,
  pricing_currency_list_unit_price       numeric,
  commitment_discount_id       text,
  commitment_discount_name     text,
  commitment_discount_category text,
  commitment_discount_type     text,
  commitment_discount_status   text,
  commitment_discount_quantity numeric,
  commitment_discount_unit     text,
  capacity_reservation_id      text,
  capacity_reservation_status  text,
  invoice_id               text,
  invoice_issuer_name      text,
  provider_name            text,
  publisher_name           text,
  service_provider_name    text,
  host_provider_name       text,
  region_id                text,
  region_name              text,
  availability_zone        text,
  resource_id              text,
  resource_name            text,
  resource_type            text,
  service_category         text,
  service_subcategory      text,
  service_name             text,
  sku_id                   text,
  sku_price_id             text,
  sku_meter                text,
  sku_price_details        jsonb,
  sub_account_id           text,
  sub_account_name         text,
  sub_account_type         text,
  allocated_method_id      text,
  allocated_method_details jsonb,
  allocated_resource_id    text,
  allocated_resource_name  text,
  allocated_tags           jsonb,
  contract_applied         jsonb,
  tags                     jsonb,
  extra                    jsonb,
  cost_center              text,
  application              text,
  legal_entity             text,
  environment              text,
  project                  text,
  owner                    text,
  PRIMARY KEY (billing_period_start, id)
) PARTITION BY LIST (billing_period_start);

CREATE TABLE cost_center (
  code         text PRIMARY KEY,
  name         text NOT NULL,
  parent_code  text REFERENCES cost_center (code) DEFERRABLE INITIALLY DEFERRED,
  owner        text,
  legal_entity text,
  chat_channel text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE budget_line (
  id               bigserial PRIMARY KEY,
  version          text    NOT NULL CHECK (version IN ('budget', 'forecast')),
  cost_center_code text    NOT NULL REFERENCES cost_center (code),
  category         text    NOT NULL DEFAULT '',
  month            date    NOT NULL CHECK (extract(day FROM month) = 1),
  amount           numeric NOT NULL,
  currency         text    NOT NULL,
  batch_id         bigint  REFERENCES import_batch (id),
  UNIQUE (version, cost_center_code, category, month)
);

CREATE TABLE gl_actual (
  id               bigserial PRIMARY KEY,
  period           date    NOT NULL CHECK (extract(day FROM period) = 1),
  cost_center_code text    NOT NULL REFERENCES cost_center (code),
  gl_account       text    NOT NULL,
  vendor           text,
  invoice_id       text,
  amount           numeric NOT NULL,
  currency         text    NOT NULL,
  description      text,
  batch_id         bigint  REFERENCES import_batch (id)
);
CREATE INDEX gl_actual_period ON gl_actual (period, cost_center_code);
CREATE INDEX gl_actual_invoice ON gl_actual (invoice_id) WHERE invoice_id IS NOT NULL;

-- Tag keys (trimmed, lower-cased) that mean one of the six shared fields. When a line carries
-- several keys for one field, the lowest priority number wins.
CREATE TABLE tag_alias (
  tag_key    text PRIMARY KEY CHECK (tag_key = lower(btrim(tag_key)) AND tag_key <> ''),
  field      text NOT NULL CHECK (field IN ('cost_center', 'application', 'legal_entity', 'environment', 'project', 'owner')),
  priority   integer NOT NULL DEFAULT 50,
  created_by text NOT NULL DEFAULT 'system',
  created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO tag_alias (tag_key, field, priority) VALUES
  ('costcenter', 'cost_center', 10), ('cost-center', 'cost_center', 10), ('cost_center', 'cost_center', 10),
  ('cost center', 'cost_center', 10), ('costcentre', 'cost_center', 10), ('cost-centre', 'cost_center', 10),
  ('cost_centre', 'cost_center', 10), ('cc', 'cost_center', 15), ('cost department', 'cost_center', 20),
  ('costdepartment', 'cost_center', 20), ('department', 'cost_center', 30), ('business_unit', 'cost_center', 40),
  ('business-unit', 'cost_center', 40), ('businessunit', 'cost_center', 40), ('business unit', 'cost_center', 40),
  ('application', 'application', 10), ('app', 'application', 20), ('application-name', 'application', 20),
  ('app_name', 'application', 20), ('service', 'application', 40), ('product', 'application', 40),
  ('legal_entity', 'legal_entity', 10), ('legal-entity', 'legal_entity', 10), ('legalentity', 'legal_entity', 10),
  ('legal entity', 'legal_entity', 10), ('entity', 'legal_entity', 30), ('company', 'legal_entity', 30),
  ('environment', 'environment', 10), ('env', 'environment', 20), ('stage', 'environment', 30),
  ('project', 'project', 10), ('project-id', 'project', 10), ('project_id', 'project', 10), ('projectid', 'project', 10),
  ('owner', 'owner', 10), ('owner-email', 'owner', 10), ('owner_email', 'owner', 10), ('team', 'owner', 20),
  ('contact', 'owner', 40);
