-- Period close: a closed billing month's figures are frozen, later changes are post-close
-- adjustments, and chargeback entries are issued once (adjusting entries hold the differences).

-- One close of one billing month. A month has at most one current close (reopened_at IS NULL);
-- a reopened close is kept, with its frozen figures, for the record.
CREATE TABLE period_close (
  id            bigserial   PRIMARY KEY,
  period        date        NOT NULL CHECK (extract(day FROM period) = 1),
  closed_at     timestamptz NOT NULL DEFAULT now(),
  closed_by     text        NOT NULL,
  surface       text        NOT NULL,
  -- The shared-cost pools in force at close (their definitions), so the closed showback and
  -- chargeback are recomputed exactly as they stood; and the file they came from.
  pools         jsonb       NOT NULL DEFAULT '[]'::jsonb,
  pools_file    text,
  -- Budget and ITFM forecast amounts of the month at close ([{version, costCenter, category, currency, amount}]).
  plans         jsonb       NOT NULL DEFAULT '[]'::jsonb,
  -- Per currency: lines, billed and effective totals at close, for listings and the audit trail.
  totals        jsonb       NOT NULL DEFAULT '[]'::jsonb,
  reopened_at   timestamptz,
  reopened_by   text,
  reopen_reason text,
  CHECK ((reopened_at IS NULL) = (reopened_by IS NULL))
);
CREATE UNIQUE INDEX period_close_current ON period_close (period) WHERE reopened_at IS NULL;

-- The frozen figures of a close, summed at a grain every report of a month reads: the daily rollup
-- grain (billing period, charge day, six shared fields, provider, service, SKU, charge category,
-- currency) plus what spend, showback, chargeback and variance group or filter by.
--   kind 'actual':      the closed month's lines as they stood;
--   kind 'comparative': the month before, restated under the attribution in force for the closed
--                       month (what month-on-month variance compares with);
--   kind 'restatement': comparative minus the month before as it was reported at close (signed).
-- charge_period_start holds the charge day (UTC midnight); price_key is SkuId, else SkuPriceId,
-- else ChargeDescription; showback_cost_center is the cost center known to master data and pool the
-- shared-cost pool the lines belonged to at close.
CREATE TABLE closed_cost (
  closure_id           bigint      NOT NULL REFERENCES period_close (id),
  kind                 text        NOT NULL CHECK (kind IN ('actual', 'comparative', 'restatement')),
  billing_period_start timestamptz NOT NULL,
  charge_period_start  timestamptz NOT NULL,
  billing_currency     text        NOT NULL,
  provider_name        text,
  service_category     text,
  service_name         text,
  sub_account_id       text,
  billing_account_id   text,
  region_id            text,
  charge_category      text        NOT NULL,
  price_key            text,
  pricing_unit         text,
  quantified           boolean     NOT NULL,
  cost_center          text,
  application          text,
  legal_entity         text,
  environment          text,
  project              text,
  owner                text,
  gl_account           text,
  invoice_id           text,
  showback_cost_center text,
  pool                 text,
  billed_cost          numeric     NOT NULL,
  effective_cost       numeric     NOT NULL,
  list_cost            numeric,
  contracted_cost      numeric,
  pricing_quantity     numeric,
  line_count           bigint      NOT NULL
);
CREATE INDEX closed_cost_closure ON closed_cost (closure_id, kind);

-- A chargeback journal entry as issued: `CB-2026-10-USD` first, then `CB-2026-10-USD-A1`, `-A2` ...
-- holding only differences. Issued entries never change.
CREATE TABLE chargeback_entry (
  entry        text        PRIMARY KEY,
  period       date        NOT NULL CHECK (extract(day FROM period) = 1),
  currency     text        NOT NULL,
  sequence     integer     NOT NULL CHECK (sequence >= 0),
  basis        text        NOT NULL CHECK (basis IN ('billed', 'effective')),
  debit_total  numeric     NOT NULL,
  credit_total numeric     NOT NULL,
  not_charged  numeric     NOT NULL,
  issued_at    timestamptz NOT NULL DEFAULT now(),
  issued_by    text        NOT NULL,
  surface      text        NOT NULL,
  UNIQUE (period, currency, sequence),
  CHECK (debit_total = credit_total)
);

-- The lines of an issued entry. `books_period` is the month whose figures the line books: the
-- entry's own period, or a closed month whose post-close adjustment this open month carries
-- (`closure_id` then names that month's close).
CREATE TABLE chargeback_entry_line (
  entry        text    NOT NULL REFERENCES chargeback_entry (entry),
  line         integer NOT NULL,
  account      text    NOT NULL,
  cost_center  text,
  debit        numeric,
  credit       numeric,
  memo         text    NOT NULL,
  books_period date    NOT NULL,
  closure_id   bigint  REFERENCES period_close (id),
  PRIMARY KEY (entry, line),
  CHECK ((debit IS NULL) <> (credit IS NULL))
);
CREATE INDEX chargeback_entry_line_books ON chargeback_entry_line (books_period);

INSERT INTO glossary_term (term_key, term, definition) VALUES
  ('period close', 'period close',
   'Finance closing a billing month: from then on its figures do not move. costbridge period close freezes the month''s figures; reports of a closed month answer with them and show later changes beside them as post-close adjustments.'),
  ('post-close adjustment', 'post-close adjustment',
   'A change to a closed month that arrived after its close (a restatement, a claim or rule re-attributing its lines, a contract, an alias change): kept and shown beside the closed figures, and booked once as adjusting lines in the first open month''s chargeback.'),
  ('restated comparatives', 'restated comparatives',
   'The comparison period of a variance restated under the attribution in force for the current period, so a re-mapping (a claim, rule or contract) is never read as a change in spend; the restatement is reported beside the components.');
INSERT INTO glossary_name (name_key, name, term_key, is_alias) VALUES
  ('period close', 'period close', 'period close', false),
  ('close', 'close', 'period close', true),
  ('month-end close', 'month-end close', 'period close', true),
  ('post-close adjustment', 'post-close adjustment', 'post-close adjustment', false),
  ('restated comparatives', 'restated comparatives', 'restated comparatives', false),
  ('restated comparative', 'restated comparative', 'restated comparatives', true);
