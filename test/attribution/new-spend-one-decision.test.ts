import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { baseFocusRow, focusCsv } from '../support/focus-csv.js';
import type { Store } from '../../src/store/database.js';
import { buildWeeklyDigest } from '../../src/app/build-weekly-digest.js';
import { classifyVendor } from '../../src/app/classify-vendor.js';

// One decision for "unclassified new spend": `costbridge unclassified`, the digest's New spend data
// and Classify agree, the built-in AI category included, and a classification covers only the
// unclassified lines it was made for.
const month = (m: string, day = '05') => ({
  BillingPeriodStart: `${m}-01T00:00:00Z`,
  BillingPeriodEnd: new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1)).toISOString(),
  ChargePeriodStart: `${m}-${day}T00:00:00Z`,
  ChargePeriodEnd: `${m}-${day}T01:00:00Z`,
});
const nimbus = { ProviderName: 'Nimbus', PublisherName: 'Nimbus', InvoiceIssuerName: 'Nimbus', BillingAccountId: 'NB-1', Tags: '' };

describe.each(storeKinds)('new spend: one decision on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  const digestNewSpend = async () =>
    (
      await buildWeeklyDigest(store, {
        cadence: 'test', at: new Date('2026-02-20T09:00:00Z'), timezone: 'UTC', scope: [], previousReviewAt: null,
        requiredFields: ['cost-center', 'owner'], governedCategories: [], windowDays: 7, businessDays: 3,
        materiality: { amount: '1000', share: '0.05' },
      })
    ).newSpend;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-newspend-'));
    const cc = join(dir, 'cc.csv');
    await writeFile(cc, 'code,name,owner\nCC-100,Platform,plat@acme.example\n');
    expect((await cli(tdb, 'import', 'cost-centers', cc)).code).toBe(0);
    for (const who of [['admin@acme.example', 'admin'], ['fin@acme.example', 'finops']]) {
      expect((await cli(tdb, 'people', 'add', who[0]!, '--role', who[1]!, '--as', 'admin@acme.example')).code).toBe(0);
    }
    const rows = [
      // January: Nimbus compute (a known cloud provider).
      { ...baseFocusRow, ...nimbus, ...month('2026-01'), ServiceCategory: 'Compute', ServiceName: 'VM', BilledCost: '100', EffectiveCost: '100' },
      // February: Nimbus compute again (not governed), and Nimbus's AI service without a contract.
      { ...baseFocusRow, ...nimbus, ...month('2026-02'), ServiceCategory: 'Compute', ServiceName: 'VM', BilledCost: '120', EffectiveCost: '120' },
      { ...baseFocusRow, ...nimbus, ...month('2026-02'), ServiceCategory: 'AI and Machine Learning', ServiceName: 'Nimbus Tokens', PricingUnit: '1K Tokens', BilledCost: '40.25', EffectiveCost: '40.25' },
      { ...baseFocusRow, ...nimbus, ...month('2026-02', '06'), ServiceCategory: 'AI and Machine Learning', ServiceName: 'Nimbus Tokens', PricingUnit: '1K Tokens', BilledCost: '9.75', EffectiveCost: '9.75' },
    ];
    const path = join(dir, 'lines.csv');
    await writeFile(path, focusCsv(rows));
    expect((await cli(tdb, 'import', 'focus', path)).code).toBe(0);
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists a known provider\'s AI spend without a contract in `unclassified` and in the digest\'s New spend, the same figures', async () => {
    const out = JSON.parse((await cli(tdb, 'unclassified', '--period', '2026-02', '--json')).stdout);
    expect(out.vendors.map((v: { vendor: string; reasons: string[]; lines: number; effectiveCost: string }) => [v.vendor, v.reasons, v.lines, v.effectiveCost])).toEqual([
      ['Nimbus', ['ai-category'], 2, '50'],
    ]);
    expect(await digestNewSpend()).toEqual([
      { vendor: 'Nimbus', serviceCategory: 'AI and Machine Learning', service: 'Nimbus Tokens', currency: 'USD', effective: '50', billed: '50', lines: 2, newVendor: false },
    ]);
  });

  it('a classification covers only the AI lines it was made for, not the rest of the vendor\'s bill', async () => {
    const result = await classifyVendor(store, {
      vendor: 'Nimbus', period: '2026-02', category: 'ai', glAccount: '6410', costCenter: 'CC-100', owner: undefined,
      governedCategories: [], actor: 'fin@acme.example', surface: 'cli',
    });
    expect(result).toMatchObject({ ok: true });
    const covered = await sql<{ category: string; contract: string | null; cc: string | null; n: number }>`
      SELECT service_category AS category, contract_id AS contract, cost_center AS cc, count(*)::int AS n FROM cost_line
       GROUP BY 1, 2, 3 ORDER BY 1, 2`.execute(store.db);
    expect(covered.rows).toEqual([
      { category: 'AI and Machine Learning', contract: 'chat-nimbus-2026-02', cc: 'CC-100', n: 2 },
      { category: 'Compute', contract: null, cc: null, n: 2 },
    ]);
    expect(JSON.parse((await cli(tdb, 'unclassified', '--period', '2026-02', '--json')).stdout).vendors).toEqual([]);
    expect(await digestNewSpend()).toEqual([]);
  });
});
