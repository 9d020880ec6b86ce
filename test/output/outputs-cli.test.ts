import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { setUpOrganisation } from '../savings/savings-setup.js';
import { baseFocusRow, focusCsv } from '../support/focus-csv.js';

const formula = '=HYPERLINK("http://evil.example/x","open me")';

describe.each(storeKinds)('what costbridge writes, on %s', (kind) => {
  let tdb: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    await setUpOrganisation(tdb);
    dir = mkdtempSync(join(tmpdir(), 'costbridge-outputs-'));
  });
  afterAll(async () => {
    await tdb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('savings ledger --csv goes through the formula-safe writer', async () => {
    const p = await cli(tdb, 'savings', 'propose', '--title', 'Rightsizing', '--lever', 'rightsizing', '--type', 'reduction', '--cost-center', 'PLAT',
      '--category', formula, '--effective', '2026-04-01', '--estimate', '100', '--as', 'fin@example.com');
    expect(p.code).toBe(0);
    const id = /^(SAV-\d{4}) proposed/m.exec(p.stdout)![1]!;
    expect((await cli(tdb, 'savings', 'validate', id, '--amount', '80', '--as', 'ita@example.com')).code).toBe(0);
    expect((await cli(tdb, 'savings', 'recognize', id, '--from', '2026-11', '--as', 'itb@example.com')).code).toBe(0);
    const csv = (await cli(tdb, 'savings', 'ledger', '--year', '2026', '--csv')).stdout;
    expect(csv).not.toMatch(/(^|,|")=HYPERLINK/m);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.month, r.category, r.reduction, r.budget_revision])).toEqual([
      // Amounts stay numbers, negative ones included; the text cell is neutralized.
      ['2026-11', `'${formula}`, '80', '-80'],
      ['2026-12', `'${formula}`, '80', '-80'],
    ]);
  });

  it('chargeback --out replaces an earlier journal, refuses a file it did not write (unless --force) and any symbolic link', async () => {
    const out = join(dir, 'journal.csv');
    const args = ['chargeback', '--period', '2026-09', '--as', 'fin@example.com', '--out'];
    expect((await cli(tdb, ...args, out)).code).toBe(0);
    expect((await cli(tdb, ...args, out)).code).toBe(0);
    expect(readFileSync(out, 'utf8').startsWith('period,entry,line,account,cost_center,debit,credit,currency,memo')).toBe(true);

    const notes = join(dir, 'notes.csv');
    writeFileSync(notes, 'my notes\n');
    const refused = await cli(tdb, ...args, notes);
    expect([refused.code, refused.stderr]).toEqual([1, `costbridge: --out ${notes} exists and was not written by costbridge; pass --force to replace it\n`]);
    expect(readFileSync(notes, 'utf8')).toBe('my notes\n');
    expect((await cli(tdb, ...args, notes, '--force')).code).toBe(0);

    const target = join(dir, 'precious.txt');
    writeFileSync(target, 'precious\n');
    const link = join(dir, 'link.csv');
    symlinkSync(target, link);
    const viaLink = await cli(tdb, ...args, link, '--force');
    expect(viaLink.code).toBe(1);
    expect(viaLink.stderr).toContain(`--out ${link} is a symbolic link; costbridge never writes through links`);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });

  it('import focus --skip-invalid never writes its rejected rows through a planted link, and neutralizes them', async () => {
    const rows: Record<string, string>[] = [1, 2, 3].map((i) => ({ ...baseFocusRow, BillingAccountId: `OUT-${kind}`, ChargeDescription: i === 2 ? formula : `row ${i}` }));
    rows[1]!.BillingCurrency = 'usd';
    const file = join(dir, `skip-${kind}.csv`);
    writeFileSync(file, focusCsv(rows));
    const target = join(dir, `victim-${kind}.txt`);
    writeFileSync(target, 'victim\n');
    symlinkSync(target, join(dir, `skip-${kind}.rejected.csv`));
    const planted = await cli(tdb, 'import', 'focus', file, '--skip-invalid');
    expect(planted.code).toBe(1);
    expect(planted.stderr).toContain(`skip-${kind}.rejected.csv is a symbolic link; costbridge never writes through links`);
    expect(readFileSync(target, 'utf8')).toBe('victim\n');
    expect(lstatSync(join(dir, `skip-${kind}.rejected.csv`)).isSymbolicLink()).toBe(true);

    rmSync(join(dir, `skip-${kind}.rejected.csv`));
    const ok = await cli(tdb, 'import', 'focus', file, '--skip-invalid', '--json');
    expect(ok.code).toBe(0);
    const rejected = parse(readFileSync(join(dir, `skip-${kind}.rejected.csv`), 'utf8')) as string[][];
    expect(rejected[0]!.slice(0, 2)).toEqual(['line', 'errors']);
    expect(rejected[1]![0]).toBe('3');
    expect(rejected[1]).toContain(`'${formula}`);
  });
});
