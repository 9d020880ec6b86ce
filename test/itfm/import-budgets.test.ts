import { beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { useTestWorkspace } from '../support/test-workspace.js';
import { listBudgetLines } from '../../src/store/budgets.js';
import { auditOfBatch, batchRow, errorDetails, itfmCounts, itfmFixture, sha256Of } from './itfm-fixtures.js';

describe.each(storeKinds)('import budgets on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  const lines = async (version: 'budget' | 'forecast') =>
    (await listBudgetLines(ws.store.db, version)).map((l) => `${l.cost_center_code}|${l.category}|${l.month}|${l.amount}|${l.currency}`);

  beforeAll(async () => {
    const setup = await cli(ws.tdb, 'import', 'cost-centers', itfmFixture('cost-centers.csv'));
    expect(setup.code).toBe(0);
  });

  it('imports budget and forecast lines with exact amounts, a batch and an audit row', async () => {
    const path = itfmFixture('budgets.csv');
    const run = await cli(ws.tdb, 'import', 'budgets', path, '--as', 'fiona@example.com', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toEqual({
      file: path, sha256: sha256Of(path), kind: 'budgets', rows: 4, skipped: false, batchId: out.batchId, format: 'csv',
      inserted: 4, updated: 0, unchanged: 0, versions: ['budget', 'forecast'], months: ['2025-01', '2025-02'], warnings: [],
    });
    expect(await lines('budget')).toEqual([
      'DATA|Licenses, SaaS|2025-01-01|-150.25|USD',
      'ENG|Cloud|2025-01-01|12000.50|EUR',
      'ENG|Cloud|2025-02-01|12000.5|EUR',
    ]);
    expect(await lines('forecast')).toEqual(['PLAT||2025-01-01|0.000001|EUR']);
    expect(await batchRow(ws.store, out.batchId)).toMatchObject({
      kind: 'budgets', sha256: sha256Of(path), format: 'csv', rows: 4, billing_periods: ['2025-01-01', '2025-02-01'],
      imported_by: 'fiona@example.com',
    });
    const audit = await auditOfBatch(ws.store, out.batchId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'fiona@example.com', surface: 'cli', action: 'import.budgets' });
    expect(audit[0]!.after).toMatchObject({ rows: 4, months: ['2025-01', '2025-02'], versions: ['budget', 'forecast'] });

    const again = await cli(ws.tdb, 'import', 'budgets', path, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ skipped: true, rows: 0, batchId: out.batchId });
  });

  it('upserts by version, cost center, category and month, keeping lines the file does not mention', async () => {
    const before = await itfmCounts(ws.store);
    const run = await cli(ws.tdb, 'import', 'budgets', itfmFixture('budgets-restated.csv'), '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ rows: 3, inserted: 1, updated: 1, unchanged: 1, months: ['2025-01', '2025-02', '2025-03'] });
    expect(await lines('budget')).toEqual([
      'DATA|Licenses, SaaS|2025-01-01|-150.25|USD',
      'ENG|Cloud|2025-01-01|13000.75|EUR',
      'ENG|Cloud|2025-02-01|12000.5|EUR',
      'ENG|Cloud|2025-03-01|11000|EUR',
    ]);
    expect(await lines('forecast')).toEqual(['PLAT||2025-01-01|0.000001|EUR']);
    const changed = (await listBudgetLines(ws.store.db, 'budget')).find((l) => l.month === '2025-01-01' && l.cost_center_code === 'ENG');
    expect(changed!.batch_id).toBe(out.batchId);
    expect(await itfmCounts(ws.store)).toMatchObject({ budget_line: before.budget_line! + 1, import_batch: before.import_batch! + 1 });
  });

  it('needs --budget-version for a file without a version column, and takes the same bytes as another version', async () => {
    const path = itfmFixture('budgets-no-version.csv');
    const missing = await cli(ws.tdb, 'import', 'budgets', path);
    expect(missing.code).toBe(1);
    expect(errorDetails(missing.stderr)).toEqual([`${path}:1: version: required column is missing from the header`]);

    const forecast = await cli(ws.tdb, 'import', 'budgets', path, '--budget-version', 'forecast', '--json');
    expect(forecast.code).toBe(0);
    expect(JSON.parse(forecast.stdout)).toMatchObject({ rows: 2, versions: ['forecast'], inserted: 2 });
    expect(await lines('forecast')).toEqual([
      'CORP||2025-01-01|1.23456789012345678901|EUR',
      'ENG|Cloud|2025-01-01|9000.10|EUR',
      'PLAT||2025-01-01|0.000001|EUR',
    ]);
    // The same bytes read as the other version are a different import, not a re-import.
    const budget = await cli(ws.tdb, 'import', 'budgets', path, '--budget-version', 'budget', '--json');
    expect(budget.code).toBe(0);
    expect(JSON.parse(budget.stdout)).toMatchObject({ skipped: false, versions: ['budget'], inserted: 1, updated: 1 });

    const wrong = await cli(ws.tdb, 'import', 'budgets', path, '--budget-version', 'plan');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Allowed choices are budget, forecast');
  });

  it('rejects a file with bad cells, an unknown cost center and a short row, storing nothing', async () => {
    const before = await itfmCounts(ws.store);
    const path = itfmFixture('budgets-hostile.csv');
    const run = await cli(ws.tdb, 'import', 'budgets', path);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`costbridge: ${path}: nothing imported, 7 error(s) found`);
    expect(errorDetails(run.stderr)).toEqual([
      `${path}:2: amount: is not a decimal number (like 1234.56): "1,200.00"`,
      `${path}:3: month: is not a month (YYYY-MM): "2024-13"`,
      `${path}:4: cost_center: unknown cost center "NOPE" (import it with costbridge import cost-centers first)`,
      `${path}:5: amount: is not a decimal number (like 1234.56): "abc"`,
      `${path}:5: currency: is not a three-letter currency code (like EUR): "eur"`,
      `${path}:6: version: must be budget or forecast; got "plan"`,
      `${path}:7: (row): has 5 cells but the header has 6 columns`,
    ]);
    expect(await itfmCounts(ws.store)).toEqual(before);
  });

  it('rejects two rows for the same version, cost center, category and month', async () => {
    const before = await itfmCounts(ws.store);
    const path = itfmFixture('budgets-duplicate.csv');
    const run = await cli(ws.tdb, 'import', 'budgets', path);
    expect(run.code).toBe(1);
    expect(errorDetails(run.stderr)).toEqual([
      `${path}:4: (row): duplicates line 2 (same version, cost center, category and month: budget, "ENG", "Cloud", 2025-01)`,
    ]);
    expect(await itfmCounts(ws.store)).toEqual(before);
  });

  it('reports an unclosed quote once, on the line where its row starts', async () => {
    const before = await itfmCounts(ws.store);
    const path = await ws.file(
      'unclosed.csv',
      'cost_center,category,month,amount,currency,version\nENG,Cloud,2026-03,1,EUR,budget\nENG,"Cloud,2026-04,1,EUR,budget\nENG,Cloud,2026-05,1,EUR,budget\n',
    );
    const run = await cli(ws.tdb, 'import', 'budgets', path);
    expect(run.code).toBe(1);
    expect(errorDetails(run.stderr)).toEqual([`${path}:3: (row): malformed CSV: Quoted field unterminated`]);
    expect(await itfmCounts(ws.store)).toEqual(before);
  });

  it('names missing header columns on line 1', async () => {
    const path = itfmFixture('budgets-missing-column.csv');
    const run = await cli(ws.tdb, 'import', 'budgets', path);
    expect(run.code).toBe(1);
    expect(errorDetails(run.stderr)).toEqual([`${path}:1: currency: required column is missing from the header`]);
  });

  it('shows the first 20 errors by line, then counts the rest', async () => {
    const before = await itfmCounts(ws.store);
    const rows = Array.from({ length: 25 }, (_, i) => `ENG,Cloud,2026-01,${i}x,EUR,budget`);
    const path = await ws.file('many-errors.csv', ['cost_center,category,month,amount,currency,version', ...rows, 'GHOST,,2026-02,1,EUR,budget'].join('\r\n'));
    const run = await cli(ws.tdb, 'import', 'budgets', path);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path}: nothing imported, 26 error(s) found`);
    const details = errorDetails(run.stderr);
    expect(details).toHaveLength(21);
    expect(details[0]).toBe(`${path}:2: amount: is not a decimal number (like 1234.56): "0x"`);
    expect(details[19]).toBe(`${path}:21: amount: is not a decimal number (like 1234.56): "19x"`);
    expect(details[20]).toBe('... and 6 more error(s)');
    expect(await itfmCounts(ws.store)).toEqual(before);
  });

  it('reads month as YYYY-MM-01, quoted cells and CRLF, and a --map of the amount column', async () => {
    const path = await ws.file(
      'mapped.csv',
      '\uFEFFCC,Category,Month,Budget EUR,currency,version\r\n"ENG","Cloud, reserved",2025-07-01," 42.4200 ",EUR,Budget\r\n',
    );
    const run = await cli(ws.tdb, 'import', 'budgets', path, '--map', 'CC=cost_center', '--map', 'Budget EUR=amount', '--json');
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 1, months: ['2025-07'] });
    expect(await lines('budget')).toContain('ENG|Cloud, reserved|2025-07-01|42.4200|EUR');
  });
});
