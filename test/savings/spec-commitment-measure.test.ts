import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import type { Store } from '../../src/store/database.js';
import { proposeSaving } from '../../src/app/propose-saving.js';
import { showSaving } from '../../src/app/show-saving.js';
import { setUpOrganisation } from './savings-setup.js';
import { readSpecExample, specExampleFocusCsv } from './spec-focus-rows.js';

const commitment = '<my-commitment-discount-id>';

/**
 * Each scenario of the FOCUS spec, with the rate saving computed by hand from the file: Σ (ListCost −
 * EffectiveCost) over Usage rows carrying the commitment id that are not Unused, minus Σ EffectiveCost
 * of its Unused rows. Purchase rows and rows without the commitment id do not count.
 */
const scenarios: ReadonlyArray<{ file: string; gross: string; unused: string; measured: string; why: string }> = [
  {
    file: 'commitment_discount_flexibility__one_hundred_percent_utilization_without_commitment_discount_flexibility.csv',
    gross: '1.5', unused: '0', measured: '1.5',
    why: 'covered large VM hour: ListCost 3.00 − EffectiveCost 1.50',
  },
  {
    file: 'commitment_discount_flexibility__one_hundred_percent_utilization_with_commitment_discount_flexibility_with_2_resources.csv',
    gross: '2', unused: '0', measured: '2',
    why: 'two covered medium VM hours: 2 × (2.00 − 1.00)',
  },
  {
    file: 'commitment_discount_flexibility__one_hundred_percent_utilization_with_commitment_discount_flexibility_with_1_resource.csv',
    gross: '2.5', unused: '0', measured: '2.5',
    // The spec row gives ListCost 3.00 for PricingQuantity 0.333; the measure takes ListCost as given.
    why: 'covered share of the large VM: ListCost 3.00 − EffectiveCost 0.50; the on-demand remainder (no commitment id) is out of scope',
  },
  {
    file: 'commitment_discount_flexibility__zero_percent_utilization_without_commitment_discount_flexibility.csv',
    gross: '0', unused: '1.5', measured: '-1.5',
    why: 'nothing covered; the Unused hour costs EffectiveCost 1.50; the on-demand medium VM is out of scope',
  },
  {
    file: 'commitment_discount_scenarios__commitment_discount_usage_scenario_1.csv',
    gross: '0', unused: '0', measured: '0',
    why: 'the Used row has no ListCost in the illustration, so no price gap is measured',
  },
  {
    file: 'commitment_discount_scenarios__commitment_discount_usage_scenario_2.csv',
    gross: '0', unused: '1', measured: '-1',
    why: 'an entirely Unused hour: EffectiveCost 1.00',
  },
  {
    file: 'commitment_discount_scenarios__commitment_discount_usage_scenario_3.csv',
    gross: '0', unused: '0.25', measured: '-0.25',
    why: 'Used 0.75 (no ListCost given) and Unused 0.25',
  },
  {
    file: 'commitment_discount_scenarios__commitment_discount_usage_scenario_4.csv',
    gross: '0', unused: '0', measured: '0',
    why: 'Used row without ListCost; the Standard row carries no commitment id',
  },
];

describe('spec example conversion', () => {
  it('reads the illustrations as given: null as empty, blank lines skipped, no cost invented', () => {
    const rows = readSpecExample(scenarios[3]!.file);
    expect(rows.map((r) => [r['ChargeCategory'], r['CommitmentDiscountStatus'], r['ListCost'], r['EffectiveCost']])).toEqual([
      ['Purchase', '', '3.00', '0.00'],
      ['Usage', 'Unused', '3.00', '1.50'],
      ['Usage', '', '2.00', '2.00'],
    ]);
    const csv = specExampleFocusCsv(scenarios[4]!.file, { account: 'spec-x', costCenter: 'SPEC' });
    expect(csv.split('\n')[1]).toContain(',spec-x,');
    expect(readSpecExample(scenarios[4]!.file)[0]!['ListCost']).toBeUndefined();
  });
});

describe.each(storeKinds)('measured commitment-discount savings on the FOCUS spec scenarios, on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-spec-'));
    await setUpOrganisation(tdb);
    for (const [i, s] of scenarios.entries()) {
      const path = join(dir, s.file);
      await writeFile(path, specExampleFocusCsv(s.file, { account: `spec-${i + 1}`, costCenter: 'SPEC' }));
      const r = await cli(tdb, 'import', 'focus', path);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(scenarios.map((s, i) => ({ ...s, i })))('$file: $why', async ({ i, gross, unused, measured }) => {
    const p = await proposeSaving(store, {
      title: `spec scenario ${i + 1}`,
      lever: 'commitment-discount',
      type: 'reduction',
      costCenter: 'SPEC',
      filters: { 'commitment-discount-id': [commitment], 'billing-account': [`spec-${i + 1}`] },
      effectiveDate: '2023-01-01',
      referenceCost: 'list',
      estimateMonthly: '1',
      currency: 'USD',
      actor: 'fin@example.com',
      surface: 'cli',
    });
    if (!p.ok) throw new Error(p.message);
    const v = await showSaving(store, { id: p.saving.id });
    if (!v.ok) throw new Error(v.message);
    expect(v.measurement.months.map((m) => ({ month: m.month, gross: m.gross, unused: m.unused, measured: m.measured }))).toEqual([
      { month: '2023-01', gross, unused, measured },
    ]);
    expect(v.measurement.total).toBe(measured);
  });

  it('against ContractedCost (absent from the illustrations) no price gap is claimed, the unused part still counts', async () => {
    const ids = [];
    for (const i of [0, 3]) {
      const p = await proposeSaving(store, {
        title: `contracted ${i}`, lever: 'commitment-discount', type: 'reduction', costCenter: 'SPEC',
        filters: { 'commitment-discount-id': [commitment], 'billing-account': [`spec-${i + 1}`] },
        effectiveDate: '2023-01-01', estimateMonthly: '1', currency: 'USD', actor: 'fin@example.com', surface: 'cli',
      });
      if (!p.ok) throw new Error(p.message);
      expect(p.saving.referenceCost).toBe('contracted');
      ids.push(p.saving.id);
    }
    const totals = [];
    for (const id of ids) {
      const v = await showSaving(store, { id });
      if (!v.ok) throw new Error(v.message);
      totals.push(v.measurement.total);
    }
    expect(totals).toEqual(['0', '-1.5']);
  });

  it('all scenarios under one commitment id, without the account filter, add up', async () => {
    const p = await proposeSaving(store, {
      title: 'every scenario', lever: 'commitment-discount', type: 'reduction', costCenter: 'SPEC',
      filters: { 'commitment-discount-id': [commitment] }, effectiveDate: '2023-01-01', referenceCost: 'list',
      estimateMonthly: '1', currency: 'USD', actor: 'fin@example.com', surface: 'cli',
    });
    if (!p.ok) throw new Error(p.message);
    const json = JSON.parse((await cli(tdb, 'savings', 'show', p.saving.id, '--json')).stdout);
    // 1.5 + 2 + 2.5 + 0 + 0 + 0 + 0 + 0 gross, 1.5 + 1 + 0.25 unused.
    expect(json.measurement.months).toEqual([
      expect.objectContaining({ month: '2023-01', gross: '6', unused: '2.75', measured: '3.25', days: 1, estimate: '0.032258' }),
    ]);
    expect(json.measurement.assumptions.join('\n')).toContain('ListCost − EffectiveCost');
    const list = JSON.parse((await cli(tdb, 'savings', 'list', '--period', '2023-01', '--json')).stdout);
    expect(list.items.find((x: { id: string }) => x.id === p.saving.id).measured).toEqual({ '2023-01': '3.25' });
  });
});
