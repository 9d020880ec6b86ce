import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { baseFocusRow, focusCsv } from '../support/focus-csv.js';
import type { Store } from '../../src/store/database.js';
import { proposeSaving, type ProposeSavingRequest } from '../../src/app/propose-saving.js';
import { showSaving } from '../../src/app/show-saving.js';
import { setUpOrganisation } from './savings-setup.js';

/**
 * Daily usage lines of one resource: `cost(day)` gives [billed, effective] (and optionally the
 * PricingQuantity and SkuId; by default the quantity is the effective cost: a unit price of 1) or
 * undefined for no line.
 */
function daily(resource: string, cc: string, service: string, from: string, to: string, cost: (day: string) => [string, string, string?, string?] | undefined) {
  const rows: Record<string, string>[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d < new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10);
    const c = cost(day);
    if (!c) continue;
    const next = new Date(d.getTime() + 86_400_000).toISOString().slice(0, 10);
    const period = `${day.slice(0, 7)}-01`;
    const periodEnd = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 1)).toISOString().slice(0, 10);
    rows.push({
      ...baseFocusRow,
      BillingAccountId: 'acct-u',
      BillingPeriodStart: `${period}T00:00:00Z`,
      BillingPeriodEnd: `${periodEnd}T00:00:00Z`,
      ChargePeriodStart: `${day}T00:00:00Z`,
      ChargePeriodEnd: `${next}T00:00:00Z`,
      BilledCost: c[0],
      EffectiveCost: c[1],
      ListCost: c[0],
      ContractedCost: c[0],
      ResourceId: resource,
      ServiceName: service,
      PricingQuantity: c[2] ?? c[1],
      SkuId: c[3] ?? '',
      Tags: JSON.stringify({ CostCenter: cc }),
    });
  }
  return rows;
}

const rows = [
  // The fleet: 10/day (billed 12) in June, 6/day (billed 7) from July 1 to August 20.
  ...daily('r-fleet', 'PLAT', 'Virtual Machines', '2026-06-01', '2026-08-21', (d) => (d < '2026-07-01' ? ['12', '10'] : ['7', '6'])),
  // A volume deleted at the end of June: 5/day, then nothing.
  ...daily('r-old', 'PLAT', 'Block Storage', '2026-06-01', '2026-07-01', () => ['5', '5']),
  // 10/day except 11 on June 3, then 4/day.
  ...daily('r-var', 'PLAT', 'Databases', '2026-06-01', '2026-08-21', (d) => (d === '2026-06-03' ? ['11', '11'] : d < '2026-07-01' ? ['10', '10'] : ['4', '4'])),
  // Another cost center's line in the same billing account.
  ...daily('r-other', 'ENG', 'Virtual Machines', '2026-06-01', '2026-08-21', () => ['1', '1']),
  // A database whose usage never changes (24 hours a day) while its price rises 10% on July 1.
  ...daily('r-db', 'PLAT', 'Managed Postgres', '2026-06-01', '2026-08-21', (d) => (d < '2026-07-01' ? ['24', '24', '24', 'db.r6'] : ['26.4', '26.4', '24', 'db.r6'])),
  // Rightsized to a smaller SKU on July 1: 24 hours at 2.00, then 24 hours at 1.00 on another SKU.
  // A negotiated rate from July 1 (list 1.00, effective 0.80 an hour) while usage doubles from 24 to 48 hours a day.
  ...daily('r-neg', 'PLAT', 'Search', '2026-06-01', '2026-08-21', (d) => (d < '2026-07-01' ? ['24', '24', '24', 'search.h'] : ['48', '38.4', '48', 'search.h'])),
  ...daily('r-move', 'PLAT', 'Managed Redis', '2026-06-01', '2026-08-21', (d) => (d < '2026-07-01' ? ['48', '48', '24', 'cache.large'] : ['24', '24', '24', 'cache.small'])),
];

describe.each(storeKinds)('measured usage savings on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  const measure = async (r: Partial<ProposeSavingRequest>) => {
    const p = await proposeSaving(store, {
      title: 'usage', lever: 'rightsizing', type: 'reduction', costCenter: 'PLAT', effectiveDate: '2026-07-01',
      estimateMonthly: '100', currency: 'USD', actor: 'fin@example.com', surface: 'cli', ...r,
    });
    if (!p.ok) throw new Error(p.message);
    const v = await showSaving(store, { id: p.saving.id });
    if (!v.ok) throw new Error(v.message);
    return v.measurement;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-usage-'));
    await setUpOrganisation(tdb);
    const path = join(dir, 'usage.csv');
    await writeFile(path, focusCsv(rows));
    const r = await cli(tdb, 'import', 'focus', path);
    expect(r.stderr).toBe('');
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('rightsizing: (baseline quantity - actual quantity) x baseline unit price, per month, through the last day of data', async () => {
    const m = await measure({ filters: { resource: ['r-fleet'] } });
    expect(m.baseline).toMatchObject({ from: '2026-06-01', to: '2026-06-30', days: 30, cost: '300', dailyRate: '10' });
    // July: (10 - 6) x 31 = 124; August 1-20: (10 - 6) x 20 = 80.
    expect(m.months.map((x) => [x.month, x.days, x.cost, x.measured, x.estimate])).toEqual([
      ['2026-07', 31, '186', '124', '100'],
      ['2026-08', 20, '120', '80', '64.516129'],
    ]);
    expect(m.total).toBe('204');
    expect(m.dataEnd).toBe('2026-08-21');
    expect(m.assumptions[0]).toBe('usage lever on EffectiveCost: baseline window 2026-06-01 to 2026-06-30 (30 days, cost 300), baseline daily run rate 10');
    expect(m.assumptions[1]).toContain('usage measured per SKU: (baseline PricingQuantity × days / 30 − actual PricingQuantity) × baseline unit price');
    expect(m.assumptions[2]).toBe('price effect (not this saving): actual quantity × (actual − baseline unit price), reported apart: 0 in total');
    expect(m.assumptions[3]).toContain('normalizing assumption: straight-line daily run rate');
  });

  it('on the billed basis: usage at the baseline unit price, the price change apart', async () => {
    const m = await measure({ filters: { resource: ['r-fleet'] }, basis: 'billed' });
    // Quantity 10/day -> 6/day at the baseline billed unit price 12/10 = 1.2: (10 - 6) x 31 x 1.2 = 148.8,
    // (10 - 6) x 20 x 1.2 = 96. Price effect: 7 x 31 - 6 x 31 x 1.2 = -6.2 and 7 x 20 - 6 x 20 x 1.2 = -4.
    expect(m.months.map((x) => [x.measured, x.priceEffect])).toEqual([['148.8', '-6.2'], ['96', '-4']]);
    expect(m.priceEffect).toBe('-10.2');
  });

  it('a price rise with unchanged usage measures 0; the price effect is shown apart (hand-computed)', async () => {
    const m = await measure({ filters: { resource: ['r-db'] }, estimateMonthly: '50' });
    // Baseline June: 720 hours for 720.00 (unit price 1.00). July: 744 hours for 818.40 = 744 x 1.10.
    expect(m.months.map((x) => [x.month, x.cost, x.measured, x.priceEffect])).toEqual([
      ['2026-07', '818.4', '0', '74.4'],
      ['2026-08', '528', '0', '48'],
    ]);
    expect(m.total).toBe('0');
    expect(m.priceEffect).toBe('122.4');
    const run = await cli(tdb, 'savings', 'list');
    expect(run.code).toBe(0);
  });

  it('a rate lever measures (reference − effective) at the actual quantity: the doubled usage is not a saving (hand-computed)', async () => {
    const m = await measure({ lever: 'negotiated-price', filters: { resource: ['r-neg'] } });
    // (1.00 - 0.80) x 48 hours x 31 days = 297.6; x 20 days = 192. Volume (24 -> 48 hours) plays no part.
    expect(m.method).toBe('rate');
    expect(m.months.map((x) => [x.month, x.measured])).toEqual([['2026-07', '297.6'], ['2026-08', '192']]);
  });

  it('rightsizing to a smaller SKU: the old SKU\'s baseline usage at its price, less the new SKU\'s whole cost', async () => {
    const m = await measure({ filters: { resource: ['r-move'] } });
    // July: 24 x 31 x 2.00 - 24 x 31 x 1.00 = 744; August 1-20: 24 x 20 x (2 - 1) = 480. No price effect.
    expect(m.months.map((x) => [x.measured, x.priceEffect])).toEqual([['744', '0'], ['480', '0']]);
  });

  it('cleanup: a resource that stopped is measured up to the end of its billing account data', async () => {
    const m = await measure({ lever: 'cleanup', filters: { resource: ['r-old'] } });
    expect(m.months.map((x) => [x.month, x.days, x.cost, x.measured])).toEqual([
      ['2026-07', 31, '0', '155'],
      ['2026-08', 20, '0', '100'],
    ]);
  });

  it('a baseline rate that does not divide evenly is carried to 6 decimals', async () => {
    const m = await measure({ filters: { resource: ['r-var'] }, baselineStart: '2026-06-01', baselineEnd: '2026-06-03' });
    // 31/3 per day: July 961/3 - 124 = 196.333..., August 620/3 - 80 = 126.666...
    expect(m.baseline?.dailyRate).toBe('10.333333');
    expect(m.months.map((x) => x.measured)).toEqual(['196.333333', '126.666667']);
  });

  it('a mid-month effective date: default baseline is the 30 days before, the first month is partial', async () => {
    const m = await measure({ filters: { resource: ['r-fleet'] }, effectiveDate: '2026-07-16' });
    // Baseline 2026-06-16..2026-07-15: 15 x 10 + 15 x 6 = 240, 8/day.
    expect(m.baseline).toMatchObject({ from: '2026-06-16', to: '2026-07-15', cost: '240', dailyRate: '8' });
    expect(m.months.map((x) => [x.month, x.days, x.measured, x.estimate])).toEqual([
      ['2026-07', 16, '32', '51.612903'],
      ['2026-08', 20, '40', '64.516129'],
    ]);
  });

  it('the cost center scopes the lines: the same resource id attributed elsewhere does not count', async () => {
    const m = await measure({ filters: { resource: ['r-other'] } });
    expect(m.baseline?.cost).toBe('0');
    expect(m.months).toEqual([]);
  });

  it('savings show prints the baseline window and the assumption next to the numbers', async () => {
    const p = await proposeSaving(store, {
      title: 'Fleet rightsizing', lever: 'rightsizing', type: 'reduction', costCenter: 'PLAT', effectiveDate: '2026-07-01',
      filters: { resource: ['r-fleet'] }, estimateMonthly: '100', currency: 'USD', evidence: 'ticket OPS-12', actor: 'fin@example.com', surface: 'cli',
    });
    if (!p.ok) throw new Error(p.message);
    const run = await cli(tdb, 'savings', 'show', p.saving.id);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('baseline window 2026-06-01 to 2026-06-30 (30 days, cost 300), baseline daily run rate 10');
    expect(run.stdout).toMatch(/2026-07\s+31\s+100\s+124\s+186\s+6\s+24\s+0/);
    // Estimate 100 + 64.516129 over the measured months, measured 204, difference 39.483871.
    expect(run.stdout).toContain('estimate USD 164.52, measured USD 204.00, difference USD 39.48 over 2 month(s); price effect (not this saving) USD 0.00');
    expect(run.stdout).toContain('evidence: ticket OPS-12');
    expect(run.stdout).toContain('measured through 2026-08-20');
  });
});
