-- The rollup also carries the publisher, the invoice issuer and whether a contract covers the line,
-- so the digest's uncontracted (unclassified) spend and its new-publisher check read the rollup
-- instead of scanning the month's lines (the digest's slowest read: 1.7-1.9 s of its 2.6 s over
-- 5,000,000 lines on a loaded machine). A re-attribution that gives a line a contract, or takes it
-- away, moves its amounts like a change of the six shared fields does (store/reattribution.ts).
-- The grain key digests the new columns too (store/cost-rollup.ts `grainKeySql`, same order as
-- below), so the rollup is rebuilt from the lines.
ALTER TABLE cost_rollup ADD COLUMN publisher_name text, ADD COLUMN invoice_issuer_name text, ADD COLUMN contracted boolean;
DELETE FROM cost_rollup;
ALTER TABLE cost_rollup ALTER COLUMN contracted SET NOT NULL;

SET LOCAL work_mem = '64MB';
INSERT INTO cost_rollup (
  billing_period_start, charge_day, billing_currency, provider_name, billing_account_id, sub_account_id, region_id,
  service_category, service_name, sku_id, price_key, pricing_unit, quantified, charge_category, cost_center, application,
  legal_entity, environment, project, owner, synthetic, publisher_name, invoice_issuer_name, contracted,
  billed_cost, effective_cost, list_cost, contracted_cost, pricing_quantity, consumed_quantity, line_count, grain_key)
SELECT g.*, md5(row(
  extract(epoch FROM charge_day)::bigint, billing_currency, provider_name, sub_account_id, region_id, service_category,
  service_name, sku_id, price_key, pricing_unit, quantified, charge_category, cost_center, application, legal_entity,
  environment, project, owner, synthetic, publisher_name, invoice_issuer_name, contracted)::text)::uuid
  FROM (
    SELECT billing_period_start, (date_trunc('day', charge_period_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS charge_day,
           billing_currency, provider_name, billing_account_id, sub_account_id, region_id, service_category, service_name, sku_id,
           coalesce(sku_id, sku_price_id, charge_description) AS price_key, pricing_unit,
           (charge_category = 'Usage' AND pricing_quantity IS NOT NULL AND pricing_quantity <> 0) AS quantified, charge_category,
           cost_center, application, legal_entity, environment, project, owner,
           coalesce(extra->>'x_Demo' = 'synthetic', false) AS synthetic, publisher_name, invoice_issuer_name,
           (contract_id IS NOT NULL) AS contracted,
           sum(billed_cost) AS billed_cost, sum(effective_cost) AS effective_cost, coalesce(sum(list_cost), 0) AS list_cost,
           coalesce(sum(contracted_cost), 0) AS contracted_cost, coalesce(sum(pricing_quantity), 0) AS pricing_quantity,
           coalesce(sum(consumed_quantity), 0) AS consumed_quantity, count(*) AS line_count
      FROM cost_line
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24) g;

-- The uncontracted spend of a month, and whether a publisher was seen before a month.
CREATE INDEX cost_rollup_uncontracted ON cost_rollup (billing_period_start) WHERE NOT contracted;
CREATE INDEX cost_rollup_publisher ON cost_rollup (publisher_name, billing_period_start) WHERE publisher_name IS NOT NULL;
ANALYZE cost_rollup;
