-- Re-attribution touches only what a rule can match: the columns rules match on most narrowly get
-- indexes, so a rule's constant patterns (store/reattribution.ts, narrowedByRule) find its lines
-- without reading the billing period. A claim's rule names one item's sub-account and service;
-- a rule on resources names resource ids. text_pattern_ops serves LIKE prefixes ('nb-prod-%') and
-- equality whatever the database collation. Every index is kept up by each COPY of an import, so
-- only these two (their cost is part of `bench -- ingest`).
CREATE INDEX cost_line_rule_match ON cost_line (sub_account_id text_pattern_ops, service_name text_pattern_ops);
CREATE INDEX cost_line_resource ON cost_line (resource_id text_pattern_ops);
