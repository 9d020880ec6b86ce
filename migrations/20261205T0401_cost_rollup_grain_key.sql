-- The rollup's one-row-per-grain key becomes a 16-byte digest of the grain beside the billing period
-- and account, instead of a unique index over all 21 grain columns. Every import and re-attribution
-- upserts into this index, and on resource-level data (about one rollup row per 1.4 lines) the wide
-- index was as large as half the table and cost more than the rows themselves: the re-attribution
-- benchmark's rollup upsert took 60 s with it and 36 s with this key in the same run. The digest is
-- computed by store/cost-rollup.ts (`grainKeySql`) from values whose text form does not depend on
-- session settings (the charge day as epoch seconds; text and booleans as stored).
ALTER TABLE cost_rollup ADD COLUMN grain_key uuid;
UPDATE cost_rollup SET grain_key = md5(row(
  extract(epoch FROM charge_day)::bigint, billing_currency, provider_name, sub_account_id, region_id, service_category,
  service_name, sku_id, price_key, pricing_unit, quantified, charge_category, cost_center, application, legal_entity,
  environment, project, owner, synthetic)::text)::uuid;
ALTER TABLE cost_rollup ALTER COLUMN grain_key SET NOT NULL;
ALTER TABLE cost_rollup DROP CONSTRAINT cost_rollup_grain;
ALTER TABLE cost_rollup ADD CONSTRAINT cost_rollup_grain UNIQUE (billing_period_start, billing_account_id, grain_key);
