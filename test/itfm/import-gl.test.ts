import { beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { storeKinds } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { useTestWorkspace } from '../support/test-workspace.js';
import { listGlActuals } from '../../src/store/gl-actuals.js';
import { auditOfBatch, batchRow, errorDetails, itfmCounts, itfmFixture, sha256Of } from './itfm-fixtures.js';

describe.each(storeKinds)('import gl on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  const actuals = async (period: string) =>
    (await listGlActuals(ws.store.db, period)).map(
      (a) => `${a.cost_center_code}|${a.gl_account}|${a.vendor}|${a.invoice_id}|${a.amount}|${a.currency}|${a.description}`,
    );

  beforeAll(async () => {
    const setup = await cli(ws.tdb, 'import', 'cost-centers', itfmFixture('cost-centers.csv'));
    expect(setup.code).toBe(0);
  });

  it('imports GL actuals with exact amounts and totals, a batch and an audit row', async () => {
    const path = itfmFixture('gl.csv');
    const run = await cli(ws.tdb, 'import', 'gl', path, '--as', 'gl-bot', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toEqual({
      file: path, sha256: sha256Of(path), kind: 'gl', rows: 4, skipped: false, batchId: out.batchId, format: 'csv',
      periods: ['2025-01', '2025-02'], replaced: 0, totals: { EUR: '1299.9900', USD: '0.01' }, warnings: [],
    });
    expect(await actuals('2025-01-01')).toEqual([
      'ENG|6100|AWS|INV-001|1234.5678|EUR|Cloud hosting, January',
      'ENG|6100|AWS|INV-002|-34.5678|EUR|Credit',
    ]);
    expect(await actuals('2025-02-01')).toEqual(['PLAT|6200|null|null|99.99|EUR|null', 'DATA|6300|Snowflake|SF-9|0.01|USD|null']);
    expect(await batchRow(ws.store, out.batchId)).toMatchObject({
      kind: 'gl', rows: 4, billing_periods: ['2025-01-01', '2025-02-01'], imported_by: 'gl-bot', surface: 'cli',
    });
    const audit = await auditOfBatch(ws.store, out.batchId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'gl-bot', surface: 'cli', action: 'import.gl', subject_type: 'import_batch' });
    expect(audit[0]!.after).toMatchObject({ rows: 4, periods: ['2025-01', '2025-02'], totals: { EUR: '1299.9900' } });
  });

  it('replaces every stored row of the periods in the file and leaves other periods alone', async () => {
    const path = itfmFixture('gl-restated.csv');
    const run = await cli(ws.tdb, 'import', 'gl', path);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/gl-restated\.csv: imported 1 GL actual\(s\) as batch \d+, restating period 2025-02 \(2 earlier row\(s\) replaced\)/);
    expect(run.stdout).toContain('  total EUR: 150.00');
    expect(await actuals('2025-01-01')).toHaveLength(2);
    expect(await actuals('2025-02-01')).toEqual(['PLAT|6200|Datadog|DD-77|150.00|EUR|Monitoring']);

    const before = await itfmCounts(ws.store);
    const again = await cli(ws.tdb, 'import', 'gl', path);
    expect(again.stdout).toMatch(/skipped, already imported as batch \d+/);
    expect(await itfmCounts(ws.store)).toEqual(before);

    // Not the latest batch any more: the earlier file restates both periods again.
    const back = await cli(ws.tdb, 'import', 'gl', itfmFixture('gl.csv'), '--json');
    expect(JSON.parse(back.stdout)).toMatchObject({ skipped: false, rows: 4, replaced: 3 });
    expect(await actuals('2025-02-01')).toHaveLength(2);
  });

  it('renames headers with --map, and names the file header in errors', async () => {
    const path = itfmFixture('gl-mapped.csv');
    const maps = ['--map', 'Posting Period=period', '--map', 'Cost Centre=cost_center', '--map', 'Account=gl_account', '--map', 'Supplier=vendor'];
    const run = await cli(ws.tdb, 'import', 'gl', path, ...maps, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 2, periods: ['2025-03'], totals: { EUR: '2510.10' } });
    expect(await actuals('2025-03-01')).toEqual(['ENG|6100|AWS|null|10.10|EUR|null', 'CORP|6900|Audit LLP|null|2500|EUR|null']);

    const bad = join(ws.dir, 'mapped-bad.csv');
    await writeFile(bad, (await readFile(path, 'utf8')).replace('CORP', 'CORPX').replace('10.10', '10.1.0'));
    const rejected = await cli(ws.tdb, 'import', 'gl', bad, ...maps);
    expect(rejected.code).toBe(1);
    expect(errorDetails(rejected.stderr)).toEqual([
      `${bad}:2: Amount: is not a decimal number (like 1234.56): "10.1.0"`,
      `${bad}:3: Cost Centre: unknown cost center "CORPX" (import it with costbridge import cost-centers first)`,
    ]);

    const unmapped = await cli(ws.tdb, 'import', 'gl', path, '--map', 'Posting Period=period');
    expect(errorDetails(unmapped.stderr)).toEqual([
      `${path}:1: cost_center: required column is missing from the header`,
      `${path}:1: gl_account: required column is missing from the header`,
    ]);
  });

  it('rejects bad periods, unknown cost centers, bad cells and short rows, storing nothing', async () => {
    const before = await itfmCounts(ws.store);
    const path = itfmFixture('gl-hostile.csv');
    const run = await cli(ws.tdb, 'import', 'gl', path);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`costbridge: ${path}: nothing imported, 6 error(s) found`);
    expect(errorDetails(run.stderr)).toEqual([
      `${path}:3: period: is not a period (YYYY-MM): "2025-1"`,
      `${path}:4: cost_center: unknown cost center "GHOST" (import it with costbridge import cost-centers first)`,
      `${path}:5: gl_account: is required but empty`,
      `${path}:5: amount: is not a decimal number (like 1234.56): "NaN"`,
      `${path}:5: currency: is not a three-letter currency code (like EUR): "EURO"`,
      `${path}:6: (row): has 4 cells but the header has 8 columns`,
    ]);
    expect(await itfmCounts(ws.store)).toEqual(before);
  });

  it('reads gzipped CSV, and says when the file is missing or empty', async () => {
    const gz = join(ws.dir, 'gl-2025-04.csv.gz');
    await writeFile(gz, gzipSync('period,cost_center,gl_account,amount,currency\r\n2025-04,ENG,6100,"7.000001",EUR\r\n'));
    const run = await cli(ws.tdb, 'import', 'gl', gz, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ format: 'csv.gz', sha256: sha256Of(gz), rows: 1, periods: ['2025-04'] });
    expect(await actuals('2025-04-01')).toEqual(['ENG|6100|null|null|7.000001|EUR|null']);

    const missing = await cli(ws.tdb, 'import', 'gl', join(ws.dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.csv: no such file');

    const empty = join(ws.dir, 'empty.csv');
    await writeFile(empty, '');
    const none = await cli(ws.tdb, 'import', 'gl', empty);
    expect(none.code).toBe(1);
    expect(errorDetails(none.stderr)).toEqual([
      `${empty}:1: (header): the file is empty; it needs a header row (period,cost_center,gl_account,vendor,invoice_id,amount,currency,description)`,
    ]);
  });
});
