-- ITFM imports: how a file was read (the --map renames, the budgets --budget-version for a file without a
-- version column), so that importing the same bytes read differently is not taken for a re-import.
ALTER TABLE import_batch ADD COLUMN read_options jsonb NOT NULL DEFAULT '{}'::jsonb;
