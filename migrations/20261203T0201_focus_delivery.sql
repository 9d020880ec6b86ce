-- FOCUS imports are deliveries: every file of one `import focus` run (or one provider manifest) is one
-- delivery. Each slice (billing account, billing period) the delivery touches is replaced once by the
-- union of its rows (mode replace) or gets the rows added (mode append, for incremental providers).
-- import_batch stays one row per file (cost_line.batch_id + source_line still point at file and line).

CREATE TABLE import_delivery (
  id           bigserial   PRIMARY KEY,
  mode         text        NOT NULL CHECK (mode IN ('replace', 'append')),
  -- sha256 over the mode, the encoding and the sorted sha256 of the files: the same delivery imported
  -- again has the same fingerprint.
  fingerprint  text        NOT NULL,
  -- The provider manifest the files were selected by ({"provider","path",...}), null for none.
  manifest     jsonb,
  files        integer     NOT NULL,
  rows         integer     NOT NULL,
  rejected_rows integer    NOT NULL DEFAULT 0,
  imported_by  text        NOT NULL,
  surface      text        NOT NULL,
  imported_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_delivery_fingerprint ON import_delivery (fingerprint);

ALTER TABLE import_batch ADD COLUMN delivery_id bigint REFERENCES import_delivery (id);
CREATE INDEX import_batch_delivery ON import_batch (delivery_id) WHERE delivery_id IS NOT NULL;

-- What a delivery did to each slice it touched: the mode it applied and the slice's rows and totals
-- (per billing currency) before and after, so a shrinking month stays visible afterwards.
CREATE TABLE import_delivery_slice (
  delivery_id          bigint      NOT NULL REFERENCES import_delivery (id),
  billing_account_id   text        NOT NULL,
  billing_period_start timestamptz NOT NULL,
  mode                 text        NOT NULL CHECK (mode IN ('replace', 'append')),
  rows_before          integer     NOT NULL,
  rows_after           integer     NOT NULL,
  totals_before        jsonb       NOT NULL,
  totals_after         jsonb       NOT NULL,
  PRIMARY KEY (delivery_id, billing_account_id, billing_period_start)
);
CREATE INDEX import_delivery_slice_slice ON import_delivery_slice (billing_account_id, billing_period_start);

-- Every FOCUS file imported before this migration was its own delivery (that was the semantics).
INSERT INTO import_delivery (id, mode, fingerprint, manifest, files, rows, rejected_rows, imported_by, surface, imported_at)
SELECT b.id, 'replace',
       encode(sha256(convert_to('replace' || chr(10) || 'utf-8' || chr(10) || b.sha256, 'UTF8')), 'hex'),
       NULL, 1, b.rows, b.rejected_rows, b.imported_by, b.surface, b.imported_at
  FROM import_batch b
 WHERE b.kind = 'focus';
UPDATE import_batch SET delivery_id = id WHERE kind = 'focus';
SELECT setval(pg_get_serial_sequence('import_delivery', 'id'), COALESCE((SELECT max(id) FROM import_delivery), 0) + 1, false);
