import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { baseFocusRow, focusCsv } from '../support/focus-csv.js';
import { listUnclassifiedSpend } from '../../src/app/list-unclassified-spend.js';
import { parseBillingMonth } from '../../src/domain/billing-month.js';

const sample = fileURLToPath(new URL('../fixtures/focus-1.0-sample/focus_sample.csv', import.meta.url));
const period = (m: string) => ({
  BillingPeriodStart: `${m}-01T00:00:00Z`,
  BillingPeriodEnd: new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1)).toISOString(),
  ChargePeriodStart: `${m}-05T00:00:00Z`,
  ChargePeriodEnd: `${m}-06T00:00:00Z`,
});

describe.each(storeKinds)('unclassified new spend on %s', (kind) => {
  let tdb: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'costbridge-uncl-'));
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('flags AI lines and the new marketplace publisher of the real sample, not the cloud providers themselves', async () => {
    expect((await cli(tdb, 'import', 'focus', sample)).code).toBe(0);
    const out = JSON.parse((await cli(tdb, 'unclassified', '--period', '2024-09', '--json')).stdout);
    // Billed costs checked with Python's decimal module on the CSV: Red Hat 0.342, Microsoft AI -0.15189756178.
    expect(out.vendors.map((v: { vendor: string; reasons: string[]; lines: number; billedCost: string }) => [v.vendor, v.reasons, v.lines, v.billedCost])).toEqual([
      ['Red Hat Inc.', ['new-marketplace-publisher'], 1, '0.342'],
      ['Microsoft', ['ai-category'], 9, '-0.15189756178'],
    ]);
  });

  it('a marketplace publisher seen in an earlier period is no longer new; configured categories are governed; a contract classifies', async () => {
    const rows = ['2026-01', '2026-02'].flatMap((m) => [
      { ...baseFocusRow, ...period(m), BillingAccountId: 'MK-1', PublisherName: 'Snowpipe Data Inc.', ProviderName: 'Nimbus', ServiceCategory: 'Analytics', ServiceName: 'Snowpipe', BilledCost: '7', EffectiveCost: '7' },
      { ...baseFocusRow, ...period(m), BillingAccountId: 'MK-1', ServiceCategory: 'Databases', ServiceName: 'Postgres', BilledCost: '3', EffectiveCost: '2' },
    ]);
    expect((await cli(tdb, 'import', 'focus', await (async () => { const p = join(dir, 'mk.csv'); await writeFile(p, focusCsv(rows)); return p; })())).code).toBe(0);
    const store = await tdb.shared();
    const jan = await listUnclassifiedSpend(store, { period: parseBillingMonth('2026-01'), governedCategories: [] });
    expect(jan.vendors.map((v) => [v.vendor, v.reasons.join(','), v.effectiveCost])).toEqual([['Snowpipe Data Inc.', 'new-marketplace-publisher', '7']]);
    const feb = await listUnclassifiedSpend(store, { period: parseBillingMonth('2026-02'), governedCategories: ['Databases'] });
    expect(feb.vendors.map((v) => [v.vendor, v.reasons.join(','), v.effectiveCost, v.billedCost])).toEqual([['Nimbus', 'governed-category', '2', '3']]);
    const k = join(dir, 'k.yaml');
    await writeFile(k, 'id: SNOW-1\nvendor:\n  publisherName: Snowpipe*\ncategory: data-platform\nstartDate: 2026-01-01\nglAccount: "6430"\n');
    expect((await cli(tdb, 'contracts', 'apply', k)).code).toBe(0);
    expect((await listUnclassifiedSpend(store, { period: parseBillingMonth('2026-01'), governedCategories: [] })).vendors).toEqual([]);
  });
});
