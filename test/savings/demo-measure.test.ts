import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import type { Store } from '../../src/store/database.js';
import { Money } from '../../src/domain/money.js';
import { writeDemoData } from '../../src/demo/write-demo-data.js';
import { commitmentSku } from '../../src/demo/demo-catalog.js';
import { proposeSaving } from '../../src/app/propose-saving.js';
import { showSaving } from '../../src/app/show-saving.js';
import { approveSaving } from '../../src/app/approve-saving.js';

const params = { seed: 7, months: 3, rows: 3000, asOf: '2026-09-15' };

describe.each(storeKinds)('measured savings on the demo data set, on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let manifest: any;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-demo-savings-'));
    manifest = (await writeDemoData(dir, params)).manifest;
    for (const [what, file] of [['cost-centers', 'cost-centers.csv'], ['budgets', 'budgets.csv']] as const) {
      const r = await cli(tdb, 'import', what, join(dir, 'itfm', file));
      expect(r.stderr).toBe('');
    }
    const files = (await readdir(join(dir, 'focus'))).map((f) => join(dir, 'focus', f));
    const r = await cli(tdb, 'import', 'focus', ...files);
    expect(r.stderr).toBe('');
    expect((await cli(tdb, 'people', 'add', 'admin@example.com', '--role', 'admin', '--as', 'admin@example.com')).code).toBe(0);
    for (const [user, role] of [['fin@example.com', 'finops'], ['ita@example.com', 'itfm']]) {
      expect((await cli(tdb, 'people', 'add', user!, '--role', role!, '--as', 'admin@example.com')).code).toBe(0);
    }
  }, 240_000);
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("commitment discount: (ContractedCost - EffectiveCost) on the covered instance's hours, net of the unused hours, per month", async () => {
    const a = manifest.gaps.amortization;
    const p = await proposeSaving(store, {
      title: 'Reserved instance for the feature store', lever: 'commitment-discount', type: 'reduction', costCenter: 'CC-1210',
      filters: { 'commitment-discount-id': [a.commitmentDiscountId] }, effectiveDate: manifest.months[0].billingPeriodStart.slice(0, 10),
      estimateMonthly: '60', actor: 'fin@example.com', surface: 'cli',
    });
    if (!p.ok) throw new Error(p.message);
    expect(p.saving.currency).toBe('USD');
    const v = await showSaving(store, { id: p.saving.id });
    if (!v.ok) throw new Error(v.message);
    // By hand from the manifest: used hours = used EffectiveCost / hourly rate; each saves
    // (contracted unit price - hourly rate); the unused hours' EffectiveCost is netted off.
    const contracted = new Money(commitmentSku.contractedUnitPriceMicros.toString()).div(1_000_000);
    const expected = a.byMonth.map((m: { month: string; used: string; unused: string }) => {
      const gross = new Money(m.used).div(a.hourlyRate).times(contracted).minus(m.used);
      return { month: m.month, gross: gross.toFixed(), unused: new Money(m.unused).toFixed(), measured: gross.minus(m.unused).toFixed() };
    });
    expect(v.measurement.months.map((m) => ({ month: m.month, gross: m.gross, unused: m.unused, measured: m.measured }))).toEqual(expected);
    expect(expected.some((e: { unused: string }) => e.unused !== '0')).toBe(true);
    expect(v.measurement.dataEnd).toBe(params.asOf);
  });

  it('negotiated price: (ListCost - EffectiveCost) on the price-change SKU, before and after its price rise', async () => {
    const pc = manifest.gaps.priceChange;
    const p = await proposeSaving(store, {
      title: 'Negotiated Postgres rate', lever: 'negotiated-price', type: 'reduction', costCenter: 'CC-1310',
      filters: { resource: [pc.resourceId], sku: [pc.skuId] }, effectiveDate: manifest.months[0].billingPeriodStart.slice(0, 10),
      estimateMonthly: '25', actor: 'fin@example.com', surface: 'cli',
    });
    if (!p.ok) throw new Error(p.message);
    const v = await showSaving(store, { id: p.saving.id });
    if (!v.ok) throw new Error(v.message);
    const expected = pc.byMonth.map((m: { month: string; pricingQuantity: string; billedCost: string }) => {
      const list = m.month < pc.changeMonth ? pc.oldListUnitPrice : pc.newListUnitPrice;
      return { month: m.month, measured: new Money(m.pricingQuantity).times(list).minus(m.billedCost).toFixed() };
    });
    expect(v.measurement.months.map((m) => ({ month: m.month, measured: m.measured }))).toEqual(expected);
  });

  it('recognizing a measured saving revises the demo budget from the month on; months without a budget are reported', async () => {
    const a = manifest.gaps.amortization;
    const p = await proposeSaving(store, {
      title: 'RI recognized', lever: 'commitment-discount', type: 'reduction', costCenter: 'CC-1210', category: 'cloud',
      filters: { 'commitment-discount-id': [a.commitmentDiscountId] }, effectiveDate: '2026-08-01', estimateMonthly: '60',
      actor: 'fin@example.com', surface: 'cli',
    });
    if (!p.ok) throw new Error(p.message);
    const r = await approveSaving(store, { id: p.saving.id, amount: '55.5', from: '2026-09', now: new Date('2026-09-15T00:00:00Z'), actor: 'ita@example.com', surface: 'cli' });
    if (!r.ok) throw new Error(r.message);
    expect(r.revisions.map((x) => x.month)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
    const budget = (await sql<{ month: string; original: string; revised: string }>`
      SELECT to_char(b.month, 'YYYY-MM') AS month, b.amount::text AS original,
             (b.amount + coalesce((SELECT sum(x.amount) FROM budget_revision x
                                    WHERE x.cost_center_code = b.cost_center_code AND x.category = b.category AND x.month = b.month), 0))::text AS revised
        FROM budget_line b WHERE b.version = 'budget' AND b.cost_center_code = 'CC-1210' AND b.category = 'cloud' ORDER BY b.month`.execute(store.db)).rows;
    expect(budget.length).toBeGreaterThan(0);
    for (const b of budget) {
      const expected = b.month >= '2026-09' ? new Money(b.original).minus('55.5') : new Money(b.original);
      expect(new Money(b.revised).eq(expected)).toBe(true);
    }
    const missing = ['2026-09', '2026-10', '2026-11', '2026-12'].filter((m) => !budget.some((b) => b.month === m));
    if (missing.length > 0) expect(r.warnings.join('\n')).toContain(`in ${missing.join(', ')}`);
    const ledger = JSON.parse((await cli(tdb, 'savings', 'ledger', '--year', '2026', '--json')).stdout);
    expect(ledger.rows.filter((x: { costCenter: string }) => x.costCenter === 'CC-1210').map((x: { month: string; reduction: string; budgetRevision: string }) => [x.month, x.reduction, x.budgetRevision])).toEqual(
      ['2026-09', '2026-10', '2026-11', '2026-12'].map((m) => [m, '55.5', '-55.5']),
    );
  });
});
