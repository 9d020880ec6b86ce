-- The daily rollup: cost lines summed per billing period, charge day (ChargePeriodStart truncated to
-- the UTC day), the six shared fields, provider, billing account, sub-account, region, service
-- category, service, SKU, price key (SKU, else SKU price id, else description, as variance keys
-- prices), pricing unit, whether it is a quantified Usage line, charge category, currency and
-- whether the line is demo data. Reports that
-- need no line detail (digest totals and unattributed groups, forecast, report spend, handoff and
-- variance totals) read it instead of the lines. It is maintained by the same transaction as every
-- write to cost_line (import, restatement, re-attribution after rules, claims, contracts and master
-- data), by store/cost-rollup.ts; the property test test/store/cost-rollup.property.test.ts holds
-- rollup = lines after any sequence of those writes. A nullable amount sums to 0 when no line has one.
CREATE TABLE cost_rollup (
  billing_period_start timestamptz NOT NULL,
  charge_day           timestamptz NOT NULL,
  billing_currency     text        NOT NULL,
  provider_name        text,
  billing_account_id   text        NOT NULL,
  sub_account_id       text,
  region_id            text,
  service_category     text,
  service_name         text,
  sku_id               text,
  price_key            text,
  pricing_unit         text,
  quantified           boolean     NOT NULL,
  charge_category      text        NOT NULL,
  cost_center          text,
  application          text,
  legal_entity         text,
  environment          text,
  project              text,
  owner                text,
  synthetic            boolean     NOT NULL,
  billed_cost          numeric     NOT NULL,
  effective_cost       numeric     NOT NULL,
  list_cost            numeric     NOT NULL,
  contracted_cost      numeric     NOT NULL,
  pricing_quantity     numeric     NOT NULL,
  consumed_quantity    numeric     NOT NULL,
  line_count           bigint      NOT NULL,
  -- One row per grain (NULL equal to NULL), so a change is added to the row it belongs to.
  CONSTRAINT cost_rollup_grain UNIQUE NULLS NOT DISTINCT (
    billing_period_start, billing_account_id, charge_day, billing_currency, provider_name, sub_account_id, region_id,
    service_category, service_name, sku_id, price_key, pricing_unit, quantified, charge_category, cost_center, application, legal_entity, environment,
    project, owner, synthetic)
);
-- Rows whose lines all moved away (a re-attribution) are removed right after; this finds them.
CREATE INDEX cost_rollup_empty ON cost_rollup (billing_period_start) WHERE line_count = 0;

INSERT INTO cost_rollup
SELECT billing_period_start, (date_trunc('day', charge_period_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'), billing_currency,
       provider_name, billing_account_id, sub_account_id, region_id, service_category, service_name, sku_id,
       coalesce(sku_id, sku_price_id, charge_description), pricing_unit,
       (charge_category = 'Usage' AND pricing_quantity IS NOT NULL AND pricing_quantity <> 0), charge_category,
       cost_center, application, legal_entity, environment, project, owner, coalesce(extra->>'x_Demo' = 'synthetic', false),
       sum(billed_cost), sum(effective_cost), coalesce(sum(list_cost), 0), coalesce(sum(contracted_cost), 0),
       coalesce(sum(pricing_quantity), 0), coalesce(sum(consumed_quantity), 0), count(*)
  FROM cost_line
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21;
