import { describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { storeKinds } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { useTestWorkspace } from '../support/test-workspace.js';
import { baseFocusRow, focusCsv, focusRows } from '../support/focus-csv.js';
import { csvText } from '../support/provider-exports.js';
import { cut, sampleLines, sampleTotalMismatches } from '../support/focus-sample.js';

describe.each(storeKinds)('import focus deliveries on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  const sample = sampleLines();
  const slice = async (account: string) =>
    (
      await sql<{ n: number; billed: string | null; effective: string | null }>`
        SELECT count(*)::int AS n, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
          FROM cost_line WHERE billing_account_id = ${account}`.execute(ws.store.db)
    ).rows[0]!;
  const writeParts = async (folder: string, parts: string[][], gz = false) => {
    await mkdir(join(ws.dir, folder), { recursive: true });
    const paths: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const path = join(ws.dir, folder, `part-${String(i + 1).padStart(3, '0')}.csv${gz ? '.gz' : ''}`);
      const text = csvText(sample.header, parts[i]!);
      await writeFile(path, gz ? gzipSync(text) : text);
      paths.push(path);
    }
    return paths;
  };

  it('imports the sample split in two files in one invocation with the README totals (2024-09 billed 20.28, not 14.29)', async () => {
    const files = await writeParts('halves', cut(sample.rows.map((r) => r.line), [500]));
    const run = await cli(ws.tdb, 'import', 'focus', ...files, '--json');
    expect(run.stderr).toContain('kept 1 non-FOCUS column(s) in extra: Id');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ status: 'imported', mode: 'replace', manifest: null, rows: 1000 });
    expect(out.files.map((f: { rows: number }) => f.rows)).toEqual([500, 500]);
    expect(await sampleTotalMismatches(ws.store)).toEqual([]);
    const september = await sql<{ billed: string }>`
      SELECT sum(billed_cost)::text AS billed FROM cost_line WHERE billing_period_start = '2024-09-01T00:00:00Z'`.execute(ws.store.db);
    expect(new Decimal(september.rows[0]!.billed).toFixed(2)).toBe('20.28');
    // Each slice was replaced once and holds the union of both files.
    const aws = out.slices.find((s: { billingAccountId: string }) => s.billingAccountId === '1234567890123');
    expect(aws).toMatchObject({ mode: 'replace', rows: 942, before: { rows: 0 }, after: { rows: 942, currency: 'USD' } });
    expect(new Decimal(aws.after.billedCost).eq('18.00663861840')).toBe(true);
  });

  it('imports the sample split into 9 gzip files in nested folders, given as one folder, with the same totals', async () => {
    const parts = cut(sample.rows.map((r) => r.line), [1, 37, 38, 200, 480, 481, 777, 998]);
    expect(parts).toHaveLength(9);
    await writeParts('nested/a', parts.slice(0, 3), true);
    await writeParts('nested/b/c', parts.slice(3, 8), true);
    await writeParts('nested', parts.slice(8), true);
    const run = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'nested'), '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ status: 'imported', rows: 1000 });
    expect(out.files).toHaveLength(9);
    expect(await sampleTotalMismatches(ws.store)).toEqual([]);
    // The same folder again is the same delivery: nothing changes.
    const again = JSON.parse((await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'nested'), '--json')).stdout);
    expect(again).toMatchObject({ status: 'unchanged', delivery: out.delivery });
    expect(await sampleTotalMismatches(ws.store)).toEqual([]);
  });

  it('prints every slice with its rows and totals before and after, so a shrinking month is visible', async () => {
    const first = await ws.file('shrink-1.csv', focusCsv(focusRows(4, { BillingAccountId: 'SHRINK-1', BilledCost: '2.5', EffectiveCost: '2' })));
    expect((await cli(ws.tdb, 'import', 'focus', first)).code).toBe(0);
    const restated = await ws.file('shrink-2.csv', focusCsv(focusRows(1, { BillingAccountId: 'SHRINK-1', BilledCost: '2.5', EffectiveCost: '2' })));
    const human = await cli(ws.tdb, 'import', 'focus', restated);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('billing account SHRINK-1, period 2024-09-01: replaced (was delivery');
    expect(human.stdout).toContain('rows 4 -> 1, billed USD 10.0 -> USD 2.5, effective USD 8 -> USD 2');
    const back = JSON.parse((await cli(ws.tdb, 'import', 'focus', first, '--json')).stdout);
    expect(back.slices).toEqual([
      {
        billingAccountId: 'SHRINK-1', billingPeriodStart: '2024-09-01', mode: 'replace', rows: 4,
        before: { rows: 1, billedCost: '2.5', effectiveCost: '2', currency: 'USD' },
        after: { rows: 4, billedCost: '10.0', effectiveCost: '8', currency: 'USD' },
      },
    ]);
    expect(await slice('SHRINK-1')).toMatchObject({ n: 4 });
  });

  it('keeps a purchase in one file and its usage in another', async () => {
    const purchase = await ws.file('purchase.csv', focusCsv(focusRows(1, { BillingAccountId: 'PU-1', ChargeCategory: 'Purchase', BilledCost: '100', EffectiveCost: '0' })));
    const usage = await ws.file('usage.csv', focusCsv(focusRows(3, { BillingAccountId: 'PU-1', BilledCost: '0', EffectiveCost: '25' })));
    expect((await cli(ws.tdb, 'import', 'focus', purchase, usage)).code).toBe(0);
    const s = await slice('PU-1');
    expect(s.n).toBe(4);
    expect(new Decimal(s.billed!).eq(100)).toBe(true);
    expect(new Decimal(s.effective!).eq(75)).toBe(true);
  });

  it('refuses a delivery with one invalid file whole, keeping what was stored', async () => {
    const good = await ws.file('whole-good.csv', focusCsv(focusRows(2, { BillingAccountId: 'PU-1' })));
    const bad = await ws.file('whole-bad.csv', focusCsv(focusRows(2, { BillingAccountId: 'PU-1', BilledCost: 'x' })));
    const run = await cli(ws.tdb, 'import', 'focus', good, bad);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}:2: BilledCost: is not a number: "x"`);
    expect((await slice('PU-1')).n).toBe(4);
  });

  it('refuses two files with the same content in one delivery', async () => {
    const a = await ws.file('twin-a.csv', focusCsv(focusRows(2, { BillingAccountId: 'TWIN-1' })));
    const b = await ws.file('twin-b.csv', focusCsv(focusRows(2, { BillingAccountId: 'TWIN-1' })));
    const run = await cli(ws.tdb, 'import', 'focus', a, b);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${b} has the same content as ${a}`);
    expect((await slice('TWIN-1')).n).toBe(0);
    // The same path twice (directly and through its folder) is one file.
    await mkdir(join(ws.dir, 'once'));
    const once = join(ws.dir, 'once', 'x.csv');
    await writeFile(once, focusCsv(focusRows(2, { BillingAccountId: 'TWIN-1' })));
    expect((await cli(ws.tdb, 'import', 'focus', once, join(ws.dir, 'once'))).code).toBe(0);
    expect((await slice('TWIN-1')).n).toBe(2);
  });

  it('says clearly what is wrong with a folder without FOCUS files, a missing path and a truncated .csv.gz', async () => {
    await mkdir(join(ws.dir, 'empty-folder'));
    await writeFile(join(ws.dir, 'empty-folder', 'notes.txt'), 'hello');
    const empty = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'empty-folder'));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe(`costbridge: ${join(ws.dir, 'empty-folder')}: no FOCUS files (.csv, .csv.gz, .parquet) in this folder\n`);
    const missing = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'no-such-folder'));
    expect(missing.stderr).toBe(`costbridge: ${join(ws.dir, 'no-such-folder')}: no such file or folder\n`);

    const full = gzipSync(focusCsv(focusRows(3000, (i) => ({ BillingAccountId: 'TRUNC-1', ChargeDescription: `usage ${i} ${'x'.repeat(i % 97)}` }))));
    const truncated = await ws.file('truncated.csv.gz', full.subarray(0, Math.floor(full.length * 0.6)));
    const run = await cli(ws.tdb, 'import', 'focus', truncated);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^costbridge: ${truncated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line \\d+: the gzip data ends early \\(the file is truncated or incomplete\\); nothing imported\\n$`));
    expect(run.stderr).not.toContain('    at ');
    expect((await slice('TRUNC-1')).n).toBe(0);
  });

  it('with --skip-invalid stores the valid rows of every file and names each side file', async () => {
    const rowsA = focusRows(3, { BillingAccountId: 'SK-1' });
    rowsA[1]!.BilledCost = 'n/a';
    const rowsB = focusRows(2, { BillingAccountId: 'SK-1' });
    rowsB[0]!.ChargeCategory = 'Refund';
    await mkdir(join(ws.dir, 'skip'));
    await writeFile(join(ws.dir, 'skip', 'a.csv'), focusCsv(rowsA));
    await writeFile(join(ws.dir, 'skip', 'b.csv'), focusCsv(rowsB));
    const run = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'skip'), '--skip-invalid', '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ rows: 3, rejected: 2 });
    expect(out.files.map((f: { rejectedFile: string }) => f.rejectedFile)).toEqual([join(ws.dir, 'skip', 'a.rejected.csv'), join(ws.dir, 'skip', 'b.rejected.csv')]);
    expect((await slice('SK-1')).n).toBe(3);
    // The side files are never taken for data when the folder is imported again.
    const again = JSON.parse((await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'skip'), '--skip-invalid', '--json')).stdout);
    expect(again.status).toBe('unchanged');
  });
});

describe.each(storeKinds)('import focus --mode append on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  const hourly = (hour: number, cost: string) =>
    focusCsv(
      focusRows(2, (i) => ({
        BillingAccountId: 'OCI-TENANCY-1',
        ProviderName: 'Oracle', PublisherName: 'Oracle', InvoiceIssuerName: 'Oracle',
        ChargePeriodStart: `2024-09-03T${String(hour).padStart(2, '0')}:00:00Z`,
        ChargePeriodEnd: `2024-09-03T${String(hour + 1).padStart(2, '0')}:00:00Z`,
        ChargeDescription: `hour ${hour} item ${i}`,
        BilledCost: cost, EffectiveCost: cost,
      })),
    );
  const stored = async () =>
    (
      await sql<{ n: number; billed: string }>`
        SELECT count(*)::int AS n, COALESCE(sum(billed_cost), 0)::text AS billed FROM cost_line WHERE billing_account_id = 'OCI-TENANCY-1'`.execute(ws.store.db)
    ).rows[0]!;

  it('adds hourly files to their slice: the stored total is the sum of the files', async () => {
    await mkdir(join(ws.dir, 'oci', '2024', '09', '03'), { recursive: true });
    const h0 = join(ws.dir, 'oci', '2024', '09', '03', '0001.csv');
    const h1 = join(ws.dir, 'oci', '2024', '09', '03', '0002.csv');
    await writeFile(h0, hourly(0, '0.125'));
    await writeFile(h1, hourly(1, '0.25'));
    const first = await cli(ws.tdb, 'import', 'focus', h0, '--mode', 'append', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).slices[0]).toMatchObject({ mode: 'append', rows: 2, before: { rows: 0 }, after: { rows: 2, billedCost: '0.250' } });
    const second = await cli(ws.tdb, 'import', 'focus', h1, '--mode', 'append');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('delivery');
    expect(second.stdout).toContain('(append)');
    expect(second.stdout).toContain('billing account OCI-TENANCY-1, period 2024-09-01: appended; rows 2 -> 4, billed USD 0.250 -> USD 0.750');
    const s = await stored();
    expect(s.n).toBe(4);
    expect(new Decimal(s.billed).eq('0.75')).toBe(true);
  });

  it('refuses the same file appended twice, naming it, and changes nothing', async () => {
    const h0 = join(ws.dir, 'oci', '2024', '09', '03', '0001.csv');
    const run = await cli(ws.tdb, 'import', 'focus', h0, '--mode', 'append');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('1 file(s) of this delivery were imported before; a file is never appended twice, nothing imported');
    expect(run.stderr).toContain(`${h0}: already stored (delivery`);
    // The whole folder holds the two files already appended and a new one: refused whole.
    const h2 = join(ws.dir, 'oci', '2024', '09', '03', '0003.csv');
    await writeFile(h2, hourly(2, '1'));
    const folder = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'oci'), '--mode', 'append');
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain('2 file(s) of this delivery were imported before');
    expect((await stored()).n).toBe(4);
    expect((await cli(ws.tdb, 'import', 'focus', h2, '--mode', 'append')).code).toBe(0);
    expect(new Decimal((await stored()).billed).eq('2.75')).toBe(true);
  });

  it('a replace delivery restates an appended slice; its files can then be appended again', async () => {
    const all = await ws.file('restate.csv', hourly(5, '10'));
    const run = JSON.parse((await cli(ws.tdb, 'import', 'focus', all, '--json')).stdout);
    expect(run.slices[0]).toMatchObject({ mode: 'replace', before: { rows: 6 }, after: { rows: 2, billedCost: '20' } });
    const h0 = join(ws.dir, 'oci', '2024', '09', '03', '0001.csv');
    expect((await cli(ws.tdb, 'import', 'focus', h0, '--mode', 'append')).code).toBe(0);
    expect((await stored()).n).toBe(4);
  });

  it('rejects an unknown mode', async () => {
    const run = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'oci'), '--mode', 'merge');
    expect(run.code).toBe(2);
  });
});

describe.each(storeKinds)('import focus encodings on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  const names = async (account: string) =>
    (
      await sql<{ d: string }>`SELECT charge_description AS d FROM cost_line WHERE billing_account_id = ${account} ORDER BY source_line`.execute(ws.store.db)
    ).rows.map((r) => r.d);
  const rows = (account: string) =>
    focusRows(3, (i) => ({ BillingAccountId: account, ChargeDescription: ['Café crème', 'plain', 'Größe µ'][i]! }));

  it('refuses a Latin-1 file with its line and column and changes nothing; --encoding latin1 imports it right', async () => {
    const utf8 = await ws.file('utf8.csv', focusCsv(rows('ENC-1')));
    expect((await cli(ws.tdb, 'import', 'focus', utf8)).code).toBe(0);
    expect(await names('ENC-1')).toEqual(['Café crème', 'plain', 'Größe µ']);

    const text = focusCsv(rows('ENC-1').map((r, i) => ({ ...r, ChargeDescription: ['CAFÉ CRÈME', 'PLAIN', 'Größe µ ±'][i]! })));
    const latin1 = await ws.file('latin1.csv', Buffer.from(text, 'latin1'));
    const header = text.split('\n')[0]!;
    const column = header.split(',').indexOf('ChargeDescription');
    const secondLine = text.split('\n')[1]!;
    const expectedColumn = secondLine.split(',').slice(0, column).join(',').length + 1 + 'CAF'.length + 1;
    const run = await cli(ws.tdb, 'import', 'focus', latin1);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `costbridge: ${latin1}:2:${expectedColumn}: the text is not valid UTF-8 (bytes 0xC9 0x20 0x43 0x52); nothing imported ` +
        '(if the file is Latin-1 or Windows-1252, import it with --encoding latin1 or --encoding windows-1252)\n',
    );
    expect(await names('ENC-1')).toEqual(['Café crème', 'plain', 'Größe µ']);

    const ok = await cli(ws.tdb, 'import', 'focus', latin1, '--encoding', 'latin1');
    expect(ok.code).toBe(0);
    expect(await names('ENC-1')).toEqual(['CAFÉ CRÈME', 'PLAIN', 'Größe µ ±']);
  });

  it('reads Windows-1252, UTF-16 with a byte-order mark and UTF-16BE by --encoding', async () => {
    const euro = focusCsv(focusRows(1, { BillingAccountId: 'ENC-2', ChargeDescription: '€ 5 “quoted”' }));
    const cp1252 = Buffer.from(euro.replace('€', '\x80').replace('“', '\x93').replace('”', '\x94'), 'latin1');
    expect((await cli(ws.tdb, 'import', 'focus', await ws.file('cp1252.csv', cp1252), '--encoding', 'windows-1252')).code).toBe(0);
    expect(await names('ENC-2')).toEqual(['€ 5 “quoted”']);

    const u16 = focusCsv(focusRows(1, { BillingAccountId: 'ENC-3', ChargeDescription: 'naïve 𝄞' }));
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(u16, 'utf16le')]);
    expect((await cli(ws.tdb, 'import', 'focus', await ws.file('utf16le.csv', le))).code).toBe(0);
    expect(await names('ENC-3')).toEqual(['naïve 𝄞']);

    const be = Buffer.from(u16.replace('ENC-3', 'ENC-4'), 'utf16le').swap16();
    const beRun = await cli(ws.tdb, 'import', 'focus', await ws.file('utf16be.csv', be), '--encoding', 'utf-16be');
    expect(beRun.code).toBe(0);
    expect(await names('ENC-4')).toEqual(['naïve 𝄞']);

    const wrong = await cli(ws.tdb, 'import', 'focus', await ws.file('any.csv', focusCsv([baseFocusRow])), '--encoding', 'ebcdic');
    expect(wrong.stderr).toBe('costbridge: --encoding ebcdic: not one of utf-8, latin1, windows-1252, utf-16le, utf-16be\n');
  });

  it('finds invalid UTF-8 far into a file, past the first chunk, and in a gzip file', async () => {
    const many = focusRows(4000, (i) => ({ BillingAccountId: 'ENC-5', ChargeDescription: `row ${i} ${'é'.repeat(i % 40)}` }));
    const text = focusCsv(many);
    const bytes = Buffer.from(text, 'utf8');
    // Break the UTF-8 of the é on line 3001 (its second byte removed).
    const lineStart = text.split('\n').slice(0, 3000).join('\n').length + 1;
    const lineText = text.split('\n')[3000]!;
    const charAt = lineText.indexOf('é');
    const byteAt = Buffer.byteLength(text.slice(0, lineStart + charAt));
    const broken = Buffer.concat([bytes.subarray(0, byteAt + 1), bytes.subarray(byteAt + 2)]);
    const run = await cli(ws.tdb, 'import', 'focus', await ws.file('late.csv.gz', gzipSync(broken)));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`late.csv.gz:3001:${charAt + 1}: the text is not valid UTF-8 (bytes 0xC3 `);
    expect(await names('ENC-5')).toEqual([]);
  });
});
