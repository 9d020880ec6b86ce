import { beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import { storeKinds } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { useTestWorkspace } from '../support/test-workspace.js';
import { focusCsv, focusRows } from '../support/focus-csv.js';

const sample = fileURLToPath(new URL('../fixtures/focus-1.0-sample/focus_sample.csv', import.meta.url));

describe.each(storeKinds)('report spend on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  beforeAll(async () => {
    expect((await cli(ws.tdb, 'import', 'focus', sample)).code).toBe(0);
  });

  const spend = async (...args: string[]) => {
    const run = await cli(ws.tdb, 'report', 'spend', ...args, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout);
  };

  it('sums each provider exactly on the effective basis by default', async () => {
    const out = await spend('--period', '2024-09', '--by', 'provider');
    expect(out).toMatchObject({ period: '2024-09', basis: 'effective', currency: 'USD' });
    expect(out.rows).toEqual([
      { provider: 'AWS', cost: '13' },
      { provider: 'Microsoft', cost: '1.97651418586' },
      { provider: 'Oracle', cost: '0' },
    ]);
    expect(out.total).toBe('14.97651418586');
  });

  it('sums the billed basis and keeps the next period apart', async () => {
    const sept = await spend('--period', '2024-09', '--basis', 'billed', '--by', 'provider');
    expect(sept.total).toBe('20.28022672899');
    const oct = await spend('--period', '2024-10', '--basis', 'billed', '--by', 'provider');
    expect(oct.rows).toEqual([{ provider: 'Oracle', cost: '0.24' }]);
  });

  it('groups by several fields, keyed as given, with unresolved shared fields as (unattributed)', async () => {
    const out = await spend('--period', '2024-09', '--basis', 'billed', '--by', 'cost-center,environment');
    for (const row of out.rows) expect(Object.keys(row)).toEqual(['cost-center', 'environment', 'cost']);
    expect(out.rows.some((r: Record<string, string>) => r['cost-center'] === '(unattributed)')).toBe(true);
    const sum = out.rows.reduce((s: Decimal, r: { cost: string }) => s.plus(r.cost), new Decimal(0));
    expect(sum.eq(out.total)).toBe(true);
    expect(new Decimal(out.total).eq('20.28022672899')).toBe(true);
  });

  it('reports several currencies apart and never sums them', async () => {
    const path = join(ws.dir, 'eur.csv');
    await writeFile(path, focusCsv(focusRows(2, { BillingAccountId: 'EU-1', BillingCurrency: 'EUR', BillingPeriodStart: '2025-01-01T00:00:00Z', BillingPeriodEnd: '2025-02-01T00:00:00Z', ChargePeriodStart: '2025-01-05T00:00:00Z', ChargePeriodEnd: '2025-01-06T00:00:00Z' })) );
    const usd = join(ws.dir, 'usd.csv');
    await writeFile(usd, focusCsv(focusRows(1, { BillingAccountId: 'US-1', BillingPeriodStart: '2025-01-01T00:00:00Z', BillingPeriodEnd: '2025-02-01T00:00:00Z', ChargePeriodStart: '2025-01-05T00:00:00Z', ChargePeriodEnd: '2025-01-06T00:00:00Z' })));
    expect((await cli(ws.tdb, 'import', 'focus', path, usd)).code).toBe(0);
    const out = await spend('--period', '2025-01', '--by', 'billing-account');
    expect(out.currency).toBeNull();
    expect(out.total).toBeNull();
    expect(out.currencies).toEqual([
      { currency: 'EUR', rows: [{ 'billing-account': 'EU-1', cost: '18' }], total: '18' },
      { currency: 'USD', rows: [{ 'billing-account': 'US-1', cost: '9' }], total: '9' },
    ]);
  });

  it('prints a readable table with currency and thousands separators', async () => {
    const run = await cli(ws.tdb, 'report', 'spend', '--period', '2024-09', '--by', 'provider');
    expect(run.stdout).toContain('Spend for 2024-09, EffectiveCost (amortized), USD');
    expect(run.stdout).toMatch(/AWS\s+USD 13\.00/);
    expect(run.stdout).toMatch(/total\s+USD 14\.98/);
  });

  it('says what is wrong with bad flags', async () => {
    const bad = await cli(ws.tdb, 'report', 'spend', '--period', '2024-09', '--by', 'provider,colour');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--by: unknown field(s) colour; use any of provider, service-category');
    const basis = await cli(ws.tdb, 'report', 'spend', '--period', '2024-09', '--basis', 'list');
    expect(basis.stderr).toContain('--basis must be effective or billed, got "list"');
    const missing = await cli(ws.tdb, 'report', 'spend');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--period <YYYY-MM>' not specified");
  });
});
