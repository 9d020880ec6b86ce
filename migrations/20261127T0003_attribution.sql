-- Attribution: contracts (classified at contract time), attribution rules, unattributed items and
-- their claims or dismissals, and on each cost line the layers its six shared fields came from.
--
-- A line's final shared fields (cost_center ... owner) are decided per field, strongest first:
-- a valid tag, then the matching contract (its component before the contract itself), then the
-- active attribution rules by priority (lowest number first, ties to the older rule). The
-- `*_source` column says which: 'tag', 'contract', 'rule:<id>', or NULL when the field is empty.
-- Patterns (`match_*`, `like`) are SQL LIKE patterns with backslash escapes, translated from the
-- glob a person wrote (kept as written in `conditions` / `document`).

ALTER TABLE cost_line
  ADD COLUMN tag_cost_center   text,
  ADD COLUMN tag_application   text,
  ADD COLUMN tag_legal_entity  text,
  ADD COLUMN tag_environment   text,
  ADD COLUMN tag_project       text,
  ADD COLUMN tag_owner         text,
  ADD COLUMN tag_keys          jsonb,
  ADD COLUMN cost_center_source  text,
  ADD COLUMN application_source  text,
  ADD COLUMN legal_entity_source text,
  ADD COLUMN environment_source  text,
  ADD COLUMN project_source      text,
  ADD COLUMN owner_source        text,
  ADD COLUMN contract_id         text,
  ADD COLUMN contract_component  text,
  ADD COLUMN gl_account          text;

-- Lines imported before this migration hold tag-resolved values in the six fields: keep them as
-- the tag layer, and recover the winning tag key of each field from the alias table.
WITH resolved AS (
  SELECT c.billing_period_start, c.id,
         jsonb_strip_nulls(jsonb_build_object(
           'cost_center',  (array_agg(t.key ORDER BY a.priority, t.key COLLATE "C") FILTER (WHERE a.field = 'cost_center'))[1],
           'application',  (array_agg(t.key ORDER BY a.priority, t.key COLLATE "C") FILTER (WHERE a.field = 'application'))[1],
           'legal_entity', (array_agg(t.key ORDER BY a.priority, t.key COLLATE "C") FILTER (WHERE a.field = 'legal_entity'))[1],
           'environment',  (array_agg(t.key ORDER BY a.priority, t.key COLLATE "C") FILTER (WHERE a.field = 'environment'))[1],
           'project',      (array_agg(t.key ORDER BY a.priority, t.key COLLATE "C") FILTER (WHERE a.field = 'project'))[1],
           'owner',        (array_agg(t.key ORDER BY a.priority, t.key COLLATE "C") FILTER (WHERE a.field = 'owner'))[1]
         )) AS keys
    FROM cost_line c
    JOIN LATERAL jsonb_each(c.tags) t(key, v)
      ON jsonb_typeof(t.v) IN ('string', 'number', 'boolean') AND btrim(t.v #>> '{}') <> ''
    JOIN tag_alias a ON a.tag_key = lower(btrim(t.key))
   WHERE c.tags IS NOT NULL
   GROUP BY c.billing_period_start, c.id
)
UPDATE cost_line c
   SET tag_keys = r.keys
  FROM resolved r
 WHERE c.billing_period_start = r.billing_period_start AND c.id = r.id;

UPDATE cost_line SET
  tag_cost_center = cost_center, tag_application = application, tag_legal_entity = legal_entity,
  tag_environment = environment, tag_project = project, tag_owner = owner,
  cost_center_source  = CASE WHEN cost_center  IS NOT NULL THEN 'tag' END,
  application_source  = CASE WHEN application  IS NOT NULL THEN 'tag' END,
  legal_entity_source = CASE WHEN legal_entity IS NOT NULL THEN 'tag' END,
  environment_source  = CASE WHEN environment  IS NOT NULL THEN 'tag' END,
  project_source      = CASE WHEN project      IS NOT NULL THEN 'tag' END,
  owner_source        = CASE WHEN owner        IS NOT NULL THEN 'tag' END;

-- With cost-center master data present, a tag value it does not know does not count.
UPDATE cost_line c SET cost_center = NULL, cost_center_source = NULL
 WHERE c.tag_cost_center IS NOT NULL
   AND EXISTS (SELECT 1 FROM cost_center)
   AND NOT EXISTS (SELECT 1 FROM cost_center x WHERE x.code = c.tag_cost_center);

-- A contract: a deal classified when it was signed, before its first invoice.
CREATE TABLE contract (
  id                      text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
  category                text NOT NULL CHECK (category IN ('cloud', 'saas', 'ai', 'license', 'data-platform', 'on-premises')),
  match_invoice_issuer    text,
  match_publisher         text,
  match_provider          text,
  match_billing_account   text,
  match_sub_account       text,
  match_sku               text,
  match_charge_description text,
  start_date              date NOT NULL,
  end_date                date,
  expected_monthly_amount numeric,
  currency                text,
  gl_account              text NOT NULL,
  cost_pool               text,
  tower                   text,
  set_cost_center         text,
  set_application         text,
  set_legal_entity        text,
  set_environment         text,
  set_project             text,
  set_owner               text,
  document                jsonb NOT NULL,
  source_file             text,
  applied_by              text NOT NULL,
  applied_at              timestamptz NOT NULL DEFAULT now(),
  created_at              timestamptz NOT NULL DEFAULT now(),
  CHECK (match_invoice_issuer IS NOT NULL OR match_publisher IS NOT NULL OR match_provider IS NOT NULL),
  CHECK (end_date IS NULL OR end_date >= start_date)
);

-- A part of a contract with its own GL account and attribution (the token cost inside a license).
CREATE TABLE contract_component (
  contract_id              text    NOT NULL REFERENCES contract (id) ON DELETE CASCADE,
  position                 integer NOT NULL,
  name                     text    NOT NULL,
  match_pricing_unit       text,
  match_sku                text,
  match_charge_description text,
  match_service_subcategory text,
  gl_account               text,
  set_cost_center          text,
  set_application          text,
  set_legal_entity         text,
  set_environment          text,
  set_project              text,
  set_owner                text,
  PRIMARY KEY (contract_id, position),
  UNIQUE (contract_id, name)
);

-- An attribution rule. Removed rules are kept (removed_at) so claims and the audit trail can name them.
CREATE TABLE attribution_rule (
  id                    bigserial PRIMARY KEY,
  match_provider        text,
  match_billing_account text,
  match_sub_account     text,
  match_service         text,
  match_service_category text,
  match_sku             text,
  match_region          text,
  match_resource_id     text,
  tag_conditions        jsonb   NOT NULL DEFAULT '[]'::jsonb,
  conditions            jsonb   NOT NULL,
  set_cost_center       text,
  set_application       text,
  set_legal_entity      text,
  set_environment       text,
  set_project           text,
  set_owner             text,
  priority              integer NOT NULL,
  effective_from        timestamptz NOT NULL,
  effective_until       timestamptz,
  origin                text    NOT NULL CHECK (origin IN ('contract', 'claim', 'manual', 'import')),
  author                text    NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  removed_at            timestamptz,
  removed_by            text,
  CHECK (coalesce(set_cost_center, set_application, set_legal_entity, set_environment, set_project, set_owner) IS NOT NULL),
  CHECK (effective_until IS NULL OR effective_until > effective_from)
);
CREATE INDEX attribution_rule_active ON attribution_rule (priority, id) WHERE removed_at IS NULL;

-- Unattributed spend of one period, grouped; the id is stable so people can claim or dismiss it.
-- Missing grouping values are stored as '' so the unique key holds.
CREATE TABLE unattributed_item (
  id                 bigserial PRIMARY KEY,
  period             date NOT NULL CHECK (extract(day FROM period) = 1),
  provider_name      text NOT NULL DEFAULT '',
  billing_account_id text NOT NULL DEFAULT '',
  sub_account_id     text NOT NULL DEFAULT '',
  service_name       text NOT NULL DEFAULT '',
  status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claimed', 'dismissed')),
  claimed_by         text,
  claimed_at         timestamptz,
  claim_cost_center  text,
  claim_scope        text CHECK (claim_scope IN ('item', 'future')),
  rule_id            bigint REFERENCES attribution_rule (id),
  dismissed_by       text,
  dismissed_at       timestamptz,
  dismiss_reason     text,
  shared_pool        text,
  first_seen_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (period, provider_name, billing_account_id, sub_account_id, service_name)
);
