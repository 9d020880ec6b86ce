import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { storeKinds } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { useTestWorkspace } from '../support/test-workspace.js';
import { baseFocusRow, focusCsv, focusRows } from '../support/focus-csv.js';

const sample = fileURLToPath(new URL('../fixtures/focus-1.0-sample/focus_sample.csv', import.meta.url));

describe.each(storeKinds)('import focus on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  const lineCount = async () =>
    Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM cost_line`.execute(ws.store.db)).rows[0]!.n);


  it('imports the real 1,000-row sample with exactly the totals in its README', async () => {
    const run = await cli(ws.tdb, 'import', 'focus', sample, '--json');
    expect(run.stderr).toContain('kept 1 non-FOCUS column(s) in extra: Id');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ status: 'imported', mode: 'replace', manifest: null, rows: 1000, rejected: 0 });
    expect(out.files).toHaveLength(1);
    expect(out.files[0]).toMatchObject({ file: sample, focusVersion: '1.0', format: 'csv', rows: 1000, rejected: 0 });
    expect(out.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(new Decimal(out.totals.billedCost).eq('20.52022672899')).toBe(true);
    expect(new Decimal(out.totals.effectiveCost).eq('14.97651418586')).toBe(true);
    const slices = out.slices.map((s: { billingAccountId: string; billingPeriodStart: string; rows: number }) =>
      `${s.billingPeriodStart} ${s.billingAccountId} ${s.rows}`,
    );
    expect(slices.reduce((n: number, s: string) => n + Number(s.split(' ').pop()), 0)).toBe(1000);
    expect(slices.some((s: string) => s.startsWith('2024-10-01'))).toBe(true);

    const rows = await sql<{ period: string; provider: string; n: number; billed: string; effective: string }>`
      SELECT to_char(billing_period_start, 'YYYY-MM-DD') AS period, provider_name AS provider, count(*)::int AS n,
             sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
        FROM cost_line GROUP BY 1, 2 ORDER BY 1, 2`.execute(ws.store.db);
    const expected = [
      ['2024-09-01', 'AWS', 942, '18.00663861840', '13.00000000000'],
      ['2024-09-01', 'Microsoft', 51, '1.97651418586', '1.97651418586'],
      ['2024-09-01', 'Oracle', 6, '0.29707392473', '0'],
      ['2024-10-01', 'Oracle', 1, '0.24000000000', '0'],
    ];
    expect(rows.rows.length).toBe(expected.length);
    rows.rows.forEach((r, i) => {
      const [period, provider, n, billed, effective] = expected[i]!;
      expect([r.period, r.provider, r.n]).toEqual([period, provider, n]);
      expect(new Decimal(r.billed).eq(billed as string)).toBe(true);
      expect(new Decimal(r.effective).eq(effective as string)).toBe(true);
    });
  });

  it('keeps the unknown Id column and resolves shared fields from aliased tag keys', async () => {
    const extra = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cost_line WHERE extra ? 'Id'`.execute(ws.store.db);
    expect(extra.rows[0]!.n).toBe(1000);
    const nullTags = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cost_line WHERE tags IS NULL`.execute(ws.store.db);
    expect(nullTags.rows[0]!.n).toBe(289);
    // CostCenter (priority 10) beats business_unit (40) on the same line; "Cost department" is a cost center too.
    const cc = await sql<{ cost_center: string; n: number }>`
      SELECT cost_center, count(*)::int AS n FROM cost_line
       WHERE tags ? 'CostCenter' OR tags ? 'Cost department' GROUP BY 1 ORDER BY 1`.execute(ws.store.db);
    for (const r of cc.rows) expect(['1234', 'Marketing']).toContain(r.cost_center);
    const env = await sql<{ environment: string | null }>`
      SELECT DISTINCT environment FROM cost_line WHERE tags ? 'env' OR tags ? 'environment'`.execute(ws.store.db);
    expect(env.rows.map((r) => r.environment).sort()).toEqual(['dev', 'prod']);
  });

  it('says so and changes nothing when the same file is imported again', async () => {
    const before = await lineCount();
    const run = await cli(ws.tdb, 'import', 'focus', sample, '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.status).toBe('unchanged');
    expect(out.reason).toMatch(/already imported as delivery \d+/);
    expect(await lineCount()).toBe(before);
  });

  it('replaces a restated slice atomically and leaves the other slices alone', async () => {
    const first = await ws.file('restate-1.csv', focusCsv([
      ...focusRows(3, { BillingAccountId: 'R-1' }),
      ...focusRows(2, { BillingAccountId: 'R-2' }),
    ]));
    expect((await cli(ws.tdb, 'import', 'focus', first)).code).toBe(0);
    const restated = await ws.file('restate-2.csv', focusCsv(focusRows(1, { BillingAccountId: 'R-1', BilledCost: '99.5' })));
    const run = await cli(ws.tdb, 'import', 'focus', restated, '--json');
    expect(run.code).toBe(0);
    const counts = await sql<{ a: string; n: number; billed: string }>`
      SELECT billing_account_id AS a, count(*)::int AS n, sum(billed_cost)::text AS billed FROM cost_line
       WHERE billing_account_id IN ('R-1', 'R-2') GROUP BY 1 ORDER BY 1`.execute(ws.store.db);
    expect(counts.rows.map((r) => [r.a, r.n, new Decimal(r.billed).toString()])).toEqual([
      ['R-1', 1, '99.5'],
      ['R-2', 2, '20'],
    ]);
    const current = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM import_slice WHERE billing_account_id = 'R-1' AND superseded_by IS NULL`.execute(ws.store.db);
    expect(current.rows[0]!.n).toBe(1);
    // Importing the first file again is a real restatement now (its slice was superseded), not a skip.
    const again = JSON.parse((await cli(ws.tdb, 'import', 'focus', first, '--json')).stdout);
    expect(again.status).toBe('imported');
  });

  it('handles BOM, CRLF, quoted commas and newlines, NULL, both timestamp styles, 1E-7 and x_ columns', async () => {
    const rows = [
      { ...baseFocusRow, BillingAccountId: 'H-1', ChargeDescription: 'line one,\r\n"two"', BilledCost: '1E-7', x_Team: 'platform' },
      { ...baseFocusRow, BillingAccountId: 'H-1', ChargeDescription: 'NULL', ResourceId: '', BillingPeriodStart: '2024-09-01 00:00:00', BillingPeriodEnd: '2024-10-01 00:00:00', x_Team: 'NULL' },
    ];
    const csv = '\uFEFF' + focusCsv(rows, { columns: [...Object.keys(baseFocusRow), 'ResourceId', 'x_Team'], eol: '\r\n' });
    const path = await ws.file('hostile.csv', csv);
    const run = await cli(ws.tdb, 'import', 'focus', path, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.rows).toBe(2);
    expect(new Decimal(out.totals.billedCost).eq('10.0000001')).toBe(true);
    const stored = await sql<{ source_line: number; charge_description: string | null; resource_id: string | null; extra: unknown; billed: string }>`
      SELECT source_line, charge_description, resource_id, extra, billed_cost::text AS billed FROM cost_line
       WHERE billing_account_id = 'H-1' ORDER BY source_line`.execute(ws.store.db);
    expect(stored.rows[0]).toMatchObject({ source_line: 2, charge_description: 'line one,\r\n"two"', extra: { x_Team: 'platform' } });
    expect(new Decimal(stored.rows[0]!.billed).eq('0.0000001')).toBe(true);
    // The quoted newline makes the second record start on line 4.
    expect(stored.rows[1]).toMatchObject({ source_line: 4, charge_description: null, resource_id: null, extra: null });
  });

  it('imports gzip-compressed CSV', async () => {
    const path = await ws.file('costs.csv.gz', gzipSync(focusCsv(focusRows(4, { BillingAccountId: 'GZ-1' }))));
    const out = JSON.parse((await cli(ws.tdb, 'import', 'focus', path, '--json')).stdout);
    expect(out).toMatchObject({ rows: 4, totals: { billedCost: '40.00' } });
  });

  it('refuses a file with invalid rows, names file, line, column and reason, and stores nothing from it', async () => {
    const before = await lineCount();
    const rows = focusRows(6, (i) => ({ BillingAccountId: 'BAD-1', ChargeDescription: `row ${i}` }));
    rows[1]!.BilledCost = 'twelve';
    rows[2]!.ChargeCategory = 'Refund';
    rows[3]!.ChargePeriodStart = '5/1/25';
    rows[4]!.Tags = '["not","an","object"]';
    rows[5]!.Tags = '{"broken": ';
    const path = await ws.file('bad.csv', focusCsv(rows));
    const run = await cli(ws.tdb, 'import', 'focus', path);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path}: nothing imported, 5 error(s) found`);
    expect(run.stderr).toContain(`${path}:3: BilledCost: is not a number: "twelve"`);
    expect(run.stderr).toContain(`${path}:4: ChargeCategory: must be one of Usage, Purchase, Tax, Credit, Adjustment; got "Refund"`);
    expect(run.stderr).toContain(`${path}:5: ChargePeriodStart: is not an ISO 8601 date-time`);
    expect(run.stderr).toContain(`${path}:6: Tags: must be a JSON object, got an array`);
    expect(run.stderr).toContain(`${path}:7: Tags: is not valid JSON`);
    expect(await lineCount()).toBe(before);
    const batches = await sql<{ n: number }>`SELECT count(*)::int AS n FROM import_batch WHERE file_name = ${path}`.execute(ws.store.db);
    expect(batches.rows[0]!.n).toBe(0);
  });

  it('names a missing mandatory column on line 1', async () => {
    const { EffectiveCost: _dropped, ...rest } = baseFocusRow;
    const path = await ws.file('no-effective.csv', focusCsv([rest]));
    const run = await cli(ws.tdb, 'import', 'focus', path);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path}:1: EffectiveCost: mandatory FOCUS column is missing from the header`);
  });

  it('shows the first 20 errors and counts the rest', async () => {
    const path = await ws.file('many-bad.csv', focusCsv(focusRows(30, { BilledCost: 'x' })));
    const run = await cli(ws.tdb, 'import', 'focus', path);
    expect(run.code).toBe(1);
    expect(run.stderr.match(/BilledCost: is not a number/g)?.length).toBe(20);
    expect(run.stderr).toContain('... and 10 more error(s)');
  });

  it('keeps a restated slice intact when the restatement is invalid', async () => {
    const good = await ws.file('keep-1.csv', focusCsv(focusRows(3, { BillingAccountId: 'K-1' })));
    expect((await cli(ws.tdb, 'import', 'focus', good)).code).toBe(0);
    const rows = focusRows(3, { BillingAccountId: 'K-1', BilledCost: '1' });
    rows[2]!.EffectiveCost = '';
    const bad = await ws.file('keep-2.csv', focusCsv(rows));
    const run = await cli(ws.tdb, 'import', 'focus', bad);
    expect(run.stderr).toContain(`${bad}:4: EffectiveCost: is required but empty`);
    const kept = await sql<{ n: number; billed: string }>`
      SELECT count(*)::int AS n, sum(billed_cost)::text AS billed FROM cost_line WHERE billing_account_id = 'K-1'`.execute(ws.store.db);
    expect(kept.rows[0]!.n).toBe(3);
    expect(new Decimal(kept.rows[0]!.billed).eq(30)).toBe(true);
  });

  it('with --skip-invalid stores the valid rows and writes the rejected ones with reasons', async () => {
    const rows = focusRows(4, (i) => ({ BillingAccountId: 'S-1', ChargeDescription: `row ${i}` }));
    rows[2]!.BillingCurrency = 'usd';
    const path = await ws.file('skip.csv', focusCsv(rows));
    const run = await cli(ws.tdb, 'import', 'focus', path, '--skip-invalid', '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ rows: 3, rejected: 1, files: [{ rows: 3, rejected: 1, rejectedFile: join(ws.dir, 'skip.rejected.csv') }] });
    const rejected = await readFile(join(ws.dir, 'skip.rejected.csv'), 'utf8');
    const lines = rejected.trim().split('\n');
    expect(lines[0]).toMatch(/^line,errors,BilledCost,/);
    expect(lines[1]).toMatch(/^4,BillingCurrency: is not a three-letter currency code: ""usd""|^4,"BillingCurrency: is not a three-letter currency code: ""usd"""/);
    expect(lines.length).toBe(2);
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cost_line WHERE billing_account_id = 'S-1'`.execute(ws.store.db);
    expect(stored.rows[0]!.n).toBe(3);
  });

  it('writes an audit row for each delivery', async () => {
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import.focus' AND subject_type = 'import_delivery'`.execute(ws.store.db);
    const deliveries = await sql<{ n: number }>`SELECT count(*)::int AS n FROM import_delivery`.execute(ws.store.db);
    expect(audit.rows[0]!.n).toBe(deliveries.rows[0]!.n);
  });

  it('fails clearly for a missing file and an empty file', async () => {
    const missing = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.csv: no such file');
    const empty = await cli(ws.tdb, 'import', 'focus', await ws.file('empty.csv', ''));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('the file is empty');
    expect(existsSync(join(ws.dir, 'empty.rejected.csv'))).toBe(false);
  });
});
