import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { baseFocusRow, focusCsv } from '../support/focus-csv.js';
import type { Store } from '../../src/store/database.js';
import { listUnattributedSpend } from '../../src/app/list-unattributed-spend.js';
import { claimUnattributedItem } from '../../src/app/claim-unattributed-item.js';
import { dismissUnattributedItem } from '../../src/app/dismiss-unattributed-item.js';
import { parseBillingMonth } from '../../src/domain/billing-month.js';

const sample = fileURLToPath(new URL('../fixtures/focus-1.0-sample/focus_sample.csv', import.meta.url));
const columns = [...Object.keys(baseFocusRow), 'ResourceId', 'SkuId', 'ServiceSubcategory'];
const row = (o: Record<string, string>) => ({ ...baseFocusRow, ResourceId: '', SkuId: '', ServiceSubcategory: '', ...o });
const oct = { BillingPeriodStart: '2024-10-01T00:00:00Z', BillingPeriodEnd: '2024-11-01T00:00:00Z', ChargePeriodStart: '2024-10-02T00:00:00Z', ChargePeriodEnd: '2024-10-03T00:00:00Z' };

describe.each(storeKinds)('unattributed spend, claims and dismissals on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  const file = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  const report = async (period: string, ...more: string[]) => {
    const r = await cli(tdb, 'unattributed', '--period', period, '--json', ...more);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-unattr-'));
    expect((await cli(tdb, 'import', 'cost-centers', await file('cc.csv', 'code,name,owner\nCC-100,Platform,plat@acme.example\nCC-200,Data,\n1234,Sample CC,\nMadisonData,Sample BU,\n'))).code).toBe(0);
    const rows = [
      // Fully attributed: 100.
      row({ BillingAccountId: 'U-1', SubAccountId: 'sub-a', ServiceName: 'VM', BilledCost: '100', EffectiveCost: '100', Tags: '{"CostCenter":"CC-100","owner":"o"}', ...oct }),
      // Mis-tagged: 30.5 (unknown cost center value CC-9999), two resources.
      row({ BillingAccountId: 'U-1', SubAccountId: 'sub-a', ServiceName: 'DB', ResourceId: 'db-1', BilledCost: '20.25', EffectiveCost: '20.5', Tags: '{"CostCenter":"CC-9999","owner":"o"}', ...oct }),
      row({ BillingAccountId: 'U-1', SubAccountId: 'sub-a', ServiceName: 'DB', ResourceId: 'db-2', BilledCost: '10', EffectiveCost: '10', Tags: '{"CostCenter":"CC-9999"}', ...oct }),
      // Untagged, no sub-account: 0.5 (below both thresholds -> not alerted).
      row({ BillingAccountId: 'U-1', SubAccountId: '', ServiceName: 'Egress', BilledCost: '0.5', EffectiveCost: '0.5', Tags: '', ...oct }),
      // Cost center but no owner: 9.
      row({ BillingAccountId: 'U-2', SubAccountId: 'sub-b', ServiceName: 'VM', BilledCost: '9', EffectiveCost: '9', Tags: '{"CostCenter":"CC-200"}', ...oct }),
    ];
    expect((await cli(tdb, 'import', 'focus', await file('u.csv', focusCsv(rows, { columns })))).code).toBe(0);
    // Who may claim and dismiss (the authorization policy): owners of their cost centers, finops.
    const admin = 'admin@acme.example';
    expect((await cli(tdb, 'people', 'add', admin, '--role', 'admin', '--as', admin)).code).toBe(0);
    for (const [who, role, cc] of [['dana@acme.example', 'owner', 'CC-100'], ['eve@acme.example', 'owner', 'CC-200'], ['fin@acme.example', 'finops'], ['first@acme.example', 'finops'], ['second@acme.example', 'finops']] as const) {
      expect((await cli(tdb, 'people', 'add', who, '--role', role, ...(cc ? ['--cost-center', cc] : []), '--as', admin)).code).toBe(0);
    }
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('groups unattributed lines into items with exact costs, reasons, top resources, share and noise control', async () => {
    const out = await report('2024-10');
    expect(out).toMatchObject({ period: '2024-10', basis: 'effective', currency: 'USD', total: '140', unattributedTotal: '40', share: '0.2857' });
    const items = out.items.map((i: Record<string, unknown>) => ({
      provider: i.provider, billingAccountId: i.billingAccountId, subAccountId: i.subAccountId, service: i.service,
      cost: i.cost, lines: i.lines, reason: i.reason, status: i.status, claimedBy: i.claimedBy, alert: i.alert,
    }));
    expect(items).toEqual([
      { provider: 'Nimbus', billingAccountId: 'U-1', subAccountId: 'sub-a', service: 'DB', cost: '30.5', lines: 2, reason: 'unknown cost center value CC-9999; no owner', status: 'open', claimedBy: null, alert: true },
      { provider: 'Nimbus', billingAccountId: 'U-2', subAccountId: 'sub-b', service: 'VM', cost: '9', lines: 1, reason: 'no owner', status: 'open', claimedBy: null, alert: true },
      { provider: 'Nimbus', billingAccountId: 'U-1', subAccountId: null, service: 'Egress', cost: '0.5', lines: 1, reason: 'no tags', status: 'open', claimedBy: null, alert: false },
    ]);
    expect(out.items[0].topResources).toEqual([{ resourceId: 'db-1', cost: '20.5' }, { resourceId: 'db-2', cost: '10' }]);
    expect(out.items[0]).toMatchObject({ billedCost: '30.25', effectiveCost: '30.5' });
    const billed = await report('2024-10', '--basis', 'billed');
    expect(billed).toMatchObject({ basis: 'billed', total: '139.75', unattributedTotal: '39.75', share: '0.2844' });
    // Ids are stable across calls.
    expect(billed.items.map((i: { id: number }) => i.id).sort()).toEqual(out.items.map((i: { id: number }) => i.id).sort());
    const text = await cli(tdb, 'unattributed', '--period', '2024-10');
    expect(text.stdout).toContain('USD 40.00 of USD 140.00 (share 0.2857');
  });

  it('a claim records who, creates a claim rule, re-attributes the lines and refuses a second claim naming who and when', async () => {
    const [db] = (await report('2024-10')).items;
    const unknown = await claimUnattributedItem(store, { itemId: db.id, costCenter: 'CC-404', scope: 'item', actor: 'dana@acme.example', surface: 'cli' });
    expect(unknown).toMatchObject({ ok: false, code: 'UNKNOWN_COST_CENTER' });
    const missing = await claimUnattributedItem(store, { itemId: 999_999, costCenter: 'CC-100', scope: 'item', actor: 'dana@acme.example', surface: 'cli' });
    expect(missing).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    const run = await cli(tdb, 'claim', String(db.id), '--cost-center', 'CC-100', '--rule-scope', 'item', '--as', 'dana@acme.example', '--json');
    expect(run.code).toBe(0);
    const claimed = JSON.parse(run.stdout);
    expect(claimed).toMatchObject({ ok: true, itemId: db.id, linesChanged: 2, claimedBy: 'dana@acme.example', assigned: { cost_center: 'CC-100', owner: 'plat@acme.example' } });
    const lines = await sql<{ cost_center: string; owner: string; owner_source: string; cost_center_source: string }>`
      SELECT cost_center, owner, owner_source, cost_center_source FROM cost_line WHERE service_name = 'DB' ORDER BY source_line`.execute(store.db);
    // The tagged owner stays (tags win); the claim fills what was empty.
    expect(lines.rows).toEqual([
      { cost_center: 'CC-100', owner: 'o', owner_source: 'tag', cost_center_source: `rule:${claimed.ruleId}` },
      { cost_center: 'CC-100', owner: 'plat@acme.example', owner_source: `rule:${claimed.ruleId}`, cost_center_source: `rule:${claimed.ruleId}` },
    ]);
    const again = await cli(tdb, 'claim', String(db.id), '--cost-center', 'CC-200', '--as', 'eve@acme.example');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`item ${db.id} was already claimed by dana@acme.example on ${claimed.claimedAt} (cost center CC-100)`);
    const after = await report('2024-10');
    expect(after).toMatchObject({ unattributedTotal: '9.5', share: '0.0679' });
    expect(after.items.find((i: { id: number }) => i.id === db.id)).toBeUndefined();
    const rule = JSON.parse((await cli(tdb, 'rules', 'list', '--json')).stdout).rules.find((r: { id: number }) => r.id === claimed.ruleId);
    expect(rule).toMatchObject({ origin: 'claim', author: 'dana@acme.example', from: '2024-10', to: '2024-10', priority: 1_000_000 });
    const audit = await sql<{ actor: string; action: string }>`
      SELECT actor, action FROM audit_log WHERE subject_type = 'unattributed_item' AND subject_id = ${String(db.id)}`.execute(store.db);
    expect(audit.rows).toEqual([{ actor: 'dana@acme.example', action: 'unattributed.claim' }]);
  });

  it('two concurrent claims of one item: exactly one winner', async () => {
    const item = (await report('2024-10')).items.find((i: { service: string }) => i.service === 'VM');
    const [s1, s2] = kind === 'postgres' ? [await tdb.open(), await tdb.open()] : [store, store];
    const claim = (s: Store, who: string) => claimUnattributedItem(s, { itemId: item.id, costCenter: 'CC-200', owner: who, scope: 'future', actor: who, surface: 'slack' });
    const results = await Promise.all([claim(s1, 'first@acme.example'), claim(s2, 'second@acme.example')]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok)!;
    const winner = results.find((r) => r.ok)!;
    expect(loser).toMatchObject({ ok: false, code: 'ALREADY_CLAIMED', claimedBy: (winner as { claimedBy: string }).claimedBy });
    const rules = await sql<{ n: number }>`SELECT count(*)::int AS n FROM attribution_rule WHERE origin = 'claim'`.execute(store.db);
    expect(rules.rows[0]!.n).toBe(2);
  });

  it('a future-scope claim attributes later lines of the grouping at import', async () => {
    const nov = { BillingPeriodStart: '2024-11-01T00:00:00Z', BillingPeriodEnd: '2024-12-01T00:00:00Z', ChargePeriodStart: '2024-11-02T00:00:00Z', ChargePeriodEnd: '2024-11-03T00:00:00Z' };
    const path = await file('nov.csv', focusCsv([row({ BillingAccountId: 'U-2', SubAccountId: 'sub-b', ServiceName: 'VM', Tags: '', ...nov })], { columns }));
    expect((await cli(tdb, 'import', 'focus', path)).code).toBe(0);
    const got = await sql<{ cost_center: string; owner_source: string }>`SELECT cost_center, owner_source FROM cost_line WHERE billing_period_start = '2024-11-01'`.execute(store.db);
    expect(got.rows).toHaveLength(1);
    expect(got.rows[0]!.cost_center).toBe('CC-200');
    expect(got.rows[0]!.owner_source).toMatch(/^rule:\d+$/);
  });

  it('dismissal is recorded with a reason and shared pool; claimed items cannot be dismissed', async () => {
    const out = await report('2024-10');
    const egress = out.items.find((i: { service: string }) => i.service === 'Egress');
    const run = await cli(tdb, 'dismiss', String(egress.id), '--reason', 'shared platform cost, allocate it', '--shared-pool', 'platform', '--as', 'fin@acme.example');
    expect(run.code).toBe(0);
    const after = (await report('2024-10')).items.find((i: { id: number }) => i.id === egress.id);
    expect(after).toMatchObject({ status: 'dismissed', dismissReason: 'shared platform cost, allocate it', sharedPool: 'platform', alert: false });
    const twice = await dismissUnattributedItem(store, { itemId: egress.id, reason: 'again', actor: 'fin@acme.example', surface: 'cli' });
    expect(twice).toMatchObject({ ok: false, code: 'ALREADY_DISMISSED' });
    const stored = await sql<{ status: string; dismiss_reason: string; shared_pool: string }>`
      SELECT status, dismiss_reason, shared_pool FROM unattributed_item WHERE id = ${egress.id}`.execute(store.db);
    expect(stored.rows[0]).toEqual({ status: 'dismissed', dismiss_reason: 'shared platform cost, allocate it', shared_pool: 'platform' });
    const claimedId = (await sql<{ id: number }>`SELECT id FROM unattributed_item WHERE status = 'claimed' ORDER BY id LIMIT 1`.execute(store.db)).rows[0]!.id;
    const refused = await cli(tdb, 'dismiss', String(claimedId), '--reason', 'r', '--as', 'fin@acme.example');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/was already claimed by .* on .*; it cannot be dismissed/);
  });

  it('computes the exact unattributed share of the real FOCUS sample (checked against an independent computation)', async () => {
    expect((await cli(tdb, 'import', 'focus', sample)).code).toBe(0);
    const period = parseBillingMonth('2024-09');
    const thresholds = { minAmount: '100', minShare: '0.01' };
    const got = {
      effective: await listUnattributedSpend(store, { period, basis: 'effective', requiredFields: ['cost-center'], thresholds }),
      billed: await listUnattributedSpend(store, { period, basis: 'billed', requiredFields: ['cost-center'], thresholds }),
    };
    // Independent oracle: csv-parse, the seeded cost-center aliases, the master data loaded above.
    const aliases: Record<string, number> = {
      costcenter: 10, 'cost-center': 10, cost_center: 10, 'cost center': 10, costcentre: 10, 'cost-centre': 10, cost_centre: 10,
      cc: 15, 'cost department': 20, costdepartment: 20, department: 30, business_unit: 40, 'business-unit': 40, businessunit: 40, 'business unit': 40,
    };
    const master = new Set(['CC-100', 'CC-200', '1234', 'MadisonData']);
    const records = parse(await readFile(sample, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    const sums = { effective: [new Decimal(0), new Decimal(0)], billed: [new Decimal(0), new Decimal(0)] };
    for (const r of records.filter((x) => x.BillingPeriodStart!.startsWith('2024-09'))) {
      const tags = r.Tags && r.Tags !== 'NULL' ? (JSON.parse(r.Tags) as Record<string, unknown>) : {};
      let best: { p: number; key: string; value: string } | undefined;
      for (const [key, v] of Object.entries(tags)) {
        const p = aliases[key.trim().toLowerCase()];
        const value = typeof v === 'string' ? v.trim() : '';
        if (p === undefined || value === '') continue;
        if (!best || p < best.p || (p === best.p && key < best.key)) best = { p, key, value };
      }
      const attributed = !!best && master.has(best.value);
      for (const basis of ['effective', 'billed'] as const) {
        const cost = new Decimal(basis === 'billed' ? r.BilledCost! : r.EffectiveCost!);
        sums[basis][0] = sums[basis][0]!.plus(cost);
        if (!attributed) sums[basis][1] = sums[basis][1]!.plus(cost);
      }
    }
    for (const basis of ['effective', 'billed'] as const) {
      const [total, unattributed] = sums[basis] as [Decimal, Decimal];
      const c = got[basis].currencies[0]!;
      expect(got[basis].currencies).toHaveLength(1);
      expect(new Decimal(c.total).eq(total)).toBe(true);
      expect(new Decimal(c.unattributedTotal).eq(unattributed)).toBe(true);
      expect(c.share).toBe(unattributed.div(total).toFixed(4, Decimal.ROUND_HALF_UP));
      expect(unattributed.gt(0) && unattributed.lt(total)).toBe(true);
    }
  });
});
