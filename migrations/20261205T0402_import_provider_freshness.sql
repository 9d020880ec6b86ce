-- What each import file holds per slice and provider, for the digest's data freshness: whether the
-- provider bills usage as it happens, its latest usage charge start and its latest charge start.
-- Written by the FOCUS import in the same transaction as the lines (store/import-provider-freshness.ts)
-- and dropped with them when a slice is restated, so freshness reads a few rows per file instead of
-- every stored line (2.5-3.7 s of the weekly digest over 5 million lines).
CREATE TABLE import_provider_freshness (
  batch_id             bigint      NOT NULL REFERENCES import_batch (id) ON DELETE CASCADE,
  billing_account_id   text        NOT NULL,
  billing_period_start timestamptz NOT NULL,
  provider_name        text,
  usage_based          boolean,
  last_usage           timestamptz,
  last_charge          timestamptz NOT NULL,
  CONSTRAINT import_provider_freshness_key UNIQUE NULLS NOT DISTINCT (batch_id, billing_account_id, billing_period_start, provider_name)
);
CREATE INDEX import_provider_freshness_slice ON import_provider_freshness (billing_period_start, billing_account_id);

INSERT INTO import_provider_freshness
SELECT batch_id, billing_account_id, billing_period_start, provider_name,
       bool_or(charge_frequency = 'Usage-Based'),
       max(charge_period_start) FILTER (WHERE charge_category = 'Usage'),
       max(charge_period_start)
  FROM cost_line
 GROUP BY batch_id, billing_account_id, billing_period_start, provider_name;
