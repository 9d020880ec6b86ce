import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { parse } from 'csv-parse/sync';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { baseFocusRow, focusCsv } from '../support/focus-csv.js';
import type { Store } from '../../src/store/database.js';
import { Money } from '../../src/domain/money.js';

// Hand-computed scenario (USD, billing period 2024-09), BilledCost / EffectiveCost:
//   CC-A 100.00 / 90.00 (INV-1)   CC-B 50.00 / 60.00 (INV-2)   CC-C 0.005 / 0.005 (INV-3)
//   PLAT 30.00 / 30.004 (INV-4, no GL) -> pool "platform" (proportional, by cost center PLAT)
//   untagged Support 10.00 -> pool "support" (fixed 50/30/20, GL account +6200)
//   CC-B tagged shared=yes 0.10 -> pool "network" (even)
//   untagged sub-3 Database 5.00 -> item dismissed into "shared-db" (not configured: proportional)
//   untagged sub-2 Storage 7.00 (item dismissed without a pool) and CC-9999 3.00 -> (unattributed) 10.00
//   EUR: CC-A 20.00 / 20.00 (INV-E); and in 2024-08, CC-A 40.00 (INV-0) booked in the GL in 2024-09.
const rows: Record<string, string>[] = (
  [
  { BilledCost: '100.00', EffectiveCost: '90.00', InvoiceId: 'INV-1', Tags: '{"CostCenter":"CC-A"}' },
  { BilledCost: '50.00', EffectiveCost: '60.00', InvoiceId: 'INV-2', Tags: '{"CostCenter":"CC-B"}' },
  { BilledCost: '0.005', EffectiveCost: '0.005', InvoiceId: 'INV-3', Tags: '{"CostCenter":"CC-C"}' },
  { BilledCost: '30.00', EffectiveCost: '30.004', InvoiceId: 'INV-4', Tags: '{"cost-center":"PLAT"}' },
  { BilledCost: '10.00', EffectiveCost: '10.00', InvoiceId: 'INV-4', ServiceName: 'Support', Tags: '{}' },
  { BilledCost: '0.10', EffectiveCost: '0.10', InvoiceId: 'INV-2', Tags: '{"CostCenter":"CC-B"," Shared":"yes"}' },
  { BilledCost: '7.00', EffectiveCost: '7.00', InvoiceId: '', SubAccountId: 'sub-2', ServiceName: 'Storage', Tags: '' },
  { BilledCost: '5.00', EffectiveCost: '5.00', InvoiceId: '', SubAccountId: 'sub-3', ServiceName: 'Database', Tags: '' },
  { BilledCost: '3.00', EffectiveCost: '3.00', InvoiceId: '', Tags: '{"CostCenter":"CC-9999"}' },
  ] as Record<string, string>[]
).map((r) => ({ ...baseFocusRow, ...r }));
const eurRows = [{ ...baseFocusRow, BillingAccountId: 'acct-eur', BillingCurrency: 'EUR', BilledCost: '20.00', EffectiveCost: '20.00', InvoiceId: 'INV-E', Tags: '{"CostCenter":"CC-A"}' }];
const augustRows = [
  {
    ...baseFocusRow,
    BillingPeriodStart: '2024-08-01T00:00:00Z',
    BillingPeriodEnd: '2024-09-01T00:00:00Z',
    ChargePeriodStart: '2024-08-02T00:00:00Z',
    ChargePeriodEnd: '2024-08-03T00:00:00Z',
    BilledCost: '40.00',
    EffectiveCost: '40.00',
    InvoiceId: 'INV-0',
    Tags: '{"CostCenter":"CC-A"}',
  },
];

const poolsYaml = [
  'pools:',
  '  - name: platform',
  '    method: proportional',
  '    match: { costCenter: PLAT }',
  '  - name: support',
  '    method: fixed',
  '    match: { service: Support, unattributedOnly: true }',
  '    shares: { CC-A: 50, CC-B: 30, CC-C: 20 }',
  '    glAccount: "+6200"',
  '  - name: network',
  '    method: even',
  '    match:',
  '      tags: { shared: "yes" }',
].join('\n');

describe.each(storeKinds)('showback and chargeback on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  let withPools: TestDatabase;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-showback-'));
    const file = async (name: string, text: string) => {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    };
    const ok = async (...args: string[]) => {
      const run = await cli(tdb, ...args);
      expect(run.stderr.replace(/^costbridge: using the embedded.*\n/m, '')).not.toMatch(/error|invalid/i);
      expect(run.code).toBe(0);
    };
    await ok('import', 'cost-centers', await file('cc.csv', 'code,name\nCC-A,Alpha\nCC-B,Beta\nCC-C,"=Gamma"\nPLAT,Platform\n'));
    await ok('import', 'focus', await file('sep.csv', focusCsv(rows)));
    await ok('import', 'focus', await file('eur.csv', focusCsv(eurRows)));
    await ok('import', 'focus', await file('aug.csv', focusCsv(augustRows)));
    await ok(
      'import',
      'gl',
      await file(
        'gl.csv',
        [
          'period,cost_center,gl_account,vendor,invoice_id,amount,currency,description',
          '2024-10,CC-A,6100,Nimbus,INV-1,100.00,USD,booked a month late',
          // INV-3 (0.005 billed here) is booked in 2024-10 for another amount: not a timing difference.
          '2024-10,CC-C,6100,Nimbus,INV-3,0.01,USD,rounded by AP',
          '2024-09,CC-B,6100,Nimbus,INV-2,50.00,USD,',
          '2024-09,CC-A,6100,Nimbus,INV-0,40.00,USD,August invoice booked in September',
          '2024-09,CC-C,6100,,,1.00,USD,manual',
          '2024-09,CC-A,6100,Nimbus,INV-E,20.00,EUR,',
        ].join('\n') + '\n',
      ),
    );
    // Dismissed unattributed items, as the attribution area stores them (every grouping value is given here).
    await sql`INSERT INTO unattributed_item (period, provider_name, billing_account_id, sub_account_id, service_name, status, dismissed_by, dismissed_at, dismiss_reason, shared_pool)
              VALUES ('2024-09-01', 'Nimbus', 'acct-1', 'sub-3', 'Database', 'dismissed', 'finops', now(), 'shared database', 'shared-db'),
                     ('2024-09-01', 'Nimbus', 'acct-1', 'sub-2', 'Storage', 'dismissed', 'finops', now(), 'not ours', NULL),
                     ('2024-08-01', 'Nimbus', 'acct-1', 'sub-2', 'Storage', 'dismissed', 'finops', now(), 'other period', 'shared-db')`.execute(store.db);
    withPools = { ...tdb, env: { ...tdb.env, COSTBRIDGE_SHARED_POOLS_FILE: await file('pools.yaml', poolsYaml), COSTBRIDGE_CLEARING_ACCOUNT: '=CLEAR' } };
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows direct cost plus exact whole-cent shares of every pool, and unattributed spend as its own row', async () => {
    const run = await cli(withPools, 'showback', '--period', '2024-09', '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.period).toBe('2024-09');
    expect(out.basis).toBe('effective');
    expect(out.currencies.map((c: { currency: string }) => c.currency)).toEqual(['EUR', 'USD']);
    const usd = out.currencies[1];
    expect(usd.total).toBe('205.109');
    expect(usd.rows.map((r: Record<string, unknown>) => [r.kind, r.costCenter, r.name, r.direct, r.allocated, r.total])).toEqual([
      ['cost-center', 'CC-A', 'Alpha', '90', '26.04', '116.04'],
      ['cost-center', 'CC-B', 'Beta', '60', '17.03', '77.03'],
      ['cost-center', 'CC-C', '=Gamma', '0.005', '2.03', '2.035'],
      ['unattributed', '(unattributed)', null, '10', '0.00', '10'],
    ]);
    expect(usd.rows[0].shares).toEqual([
      { pool: 'platform', method: 'proportional', amount: '18.00' },
      { pool: 'support', method: 'fixed', amount: '5.00' },
      { pool: 'network', method: 'even', amount: '0.04' },
      { pool: 'shared-db', method: 'proportional', amount: '3.00' },
    ]);
    expect(usd.pools.map((p: Record<string, unknown>) => [p.name, p.method, p.amount, p.allocated, p.roundingResidual, p.lines, p.shares])).toEqual([
      ['platform', 'proportional', '30.004', '30.00', '0.004', 1, [{ costCenter: 'CC-A', amount: '18.00' }, { costCenter: 'CC-B', amount: '12.00' }, { costCenter: 'CC-C', amount: '0.00' }]],
      ['support', 'fixed', '10', '10.00', '0', 1, [{ costCenter: 'CC-A', amount: '5.00' }, { costCenter: 'CC-B', amount: '3.00' }, { costCenter: 'CC-C', amount: '2.00' }]],
      ['network', 'even', '0.1', '0.10', '0', 1, [{ costCenter: 'CC-A', amount: '0.04' }, { costCenter: 'CC-B', amount: '0.03' }, { costCenter: 'CC-C', amount: '0.03' }]],
      ['shared-db', 'proportional', '5', '5.00', '0', 1, [{ costCenter: 'CC-A', amount: '3.00' }, { costCenter: 'CC-B', amount: '2.00' }, { costCenter: 'CC-C', amount: '0.00' }]],
    ]);
    expect(usd.pools[0].where).toMatch(/pools\.yaml:2:5$/);
    expect(usd.roundingResidual).toBe('0.004');
    expect(usd.unattributed).toBe('10');
    // Nothing hidden: rows + residual = the exact total.
    const rowsTotal = usd.rows.reduce((s: Money, r: { total: string }) => s.plus(r.total), new Money(0));
    expect(rowsTotal.plus(usd.roundingResidual).toFixed()).toBe(usd.total);
    expect(out.currencies[0].rows).toEqual([
      { kind: 'cost-center', costCenter: 'CC-A', name: 'Alpha', direct: '20', allocated: '0.00', total: '20', shares: [] },
    ]);
  });

  it('on the billed basis, without a pools file only dismissed items pool; CSV neutralizes text cells', async () => {
    const run = await cli(tdb, 'showback', '--period', '2024-09', '--basis', 'billed', '--csv');
    expect(run.code).toBe(0);
    const records = parse(run.stdout) as string[][];
    // No configured pools: PLAT, the Support line and the shared line are direct or unattributed;
    // shared-db (5.00) goes proportionally to CC-A 100, CC-B 50.10, CC-C 0.005, PLAT 30 (Σ 180.105): quotas in
    // cents 277.62, 139.09, 0.01, 83.28; floors 277 + 139 + 0 + 83 = 499, the last cent to CC-A (.62).
    expect(records).toEqual([
      ['currency', 'kind', 'cost_center', 'name', 'direct', 'allocated', 'total'],
      ['EUR', 'cost-center', 'CC-A', 'Alpha', '20', '0.00', '20'],
      ['USD', 'cost-center', 'CC-A', 'Alpha', '100', '2.78', '102.78'],
      ['USD', 'cost-center', 'CC-B', 'Beta', '50.1', '1.39', '51.49'],
      ['USD', 'cost-center', 'PLAT', 'Platform', '30', '0.83', '30.83'],
      ['USD', 'cost-center', 'CC-C', "'=Gamma", '0.005', '0.00', '0.005'],
      ['USD', 'unattributed', '(unattributed)', '', '20', '0.00', '20'],
    ]);
    const text = await cli(tdb, 'showback', '--period', '2024-09');
    expect(text.stdout).toContain('(unattributed)');
    expect(text.stdout).toContain('shared-db (dismissed unattributed item): USD 5.00 over 1 line(s); proportional to direct cost to 4 cost center(s), USD 5.00 allocated');
  });

  it('writes a balanced chargeback journal with GL accounts, memos and neutralized text cells, and reconciles it with the GL', async () => {
    const out = join(dir, 'journal.csv');
    const run = await cli(withPools, 'chargeback', '--period', '2024-09', '--out', out, '--as', 'fin@example.com', '--json');
    expect(run.stderr.replace(/^costbridge: using the embedded.*\n/m, '')).toBe('');
    expect(run.code).toBe(0);
    const csvText = await readFile(out, 'utf8');
    const records = parse(csvText) as string[][];
    expect(records[0]).toEqual(['period', 'entry', 'line', 'account', 'cost_center', 'debit', 'credit', 'currency', 'memo', 'books_period']);
    expect(records.slice(1).every((r) => r[9] === '2024-09')).toBe(true);
    expect(records.slice(1).map((r) => r.slice(0, 8))).toEqual([
      ['2024-09', 'CB-2024-09-EUR', '1', 'IT-CLOUD', 'CC-A', '20.00', '', 'EUR'],
      ['2024-09', 'CB-2024-09-EUR', '2', "'=CLEAR", '', '', '20.00', 'EUR'],
      ['2024-09', 'CB-2024-09-USD', '1', "'+6200", 'CC-A', '5.00', '', 'USD'],
      ['2024-09', 'CB-2024-09-USD', '2', 'IT-CLOUD', 'CC-A', '123.37', '', 'USD'],
      ['2024-09', 'CB-2024-09-USD', '3', "'+6200", 'CC-B', '3.00', '', 'USD'],
      ['2024-09', 'CB-2024-09-USD', '4', 'IT-CLOUD', 'CC-B', '61.70', '', 'USD'],
      ['2024-09', 'CB-2024-09-USD', '5', "'+6200", 'CC-C', '2.00', '', 'USD'],
      ['2024-09', 'CB-2024-09-USD', '6', 'IT-CLOUD', 'CC-C', '0.04', '', 'USD'],
      ['2024-09', 'CB-2024-09-USD', '7', "'=CLEAR", '', '', '195.11', 'USD'],
    ]);
    expect(records[4]![8]).toBe(
      'chargeback 2024-09 BilledCost: direct 100.00; shared pool "platform" (proportional to direct cost) 20.00; shared pool "network" (even split) 0.04; shared pool "shared-db" (proportional to direct cost) 3.33',
    );
    expect(records[3]![8]).toBe('chargeback 2024-09 BilledCost: shared pool "support" (fixed percentages) 5.00');
    // Debits equal credits exactly, per entry, summed from the file itself.
    for (const entry of ['CB-2024-09-EUR', 'CB-2024-09-USD']) {
      const lines = records.slice(1).filter((r) => r[1] === entry);
      const debit = lines.reduce((s, r) => s.plus(r[5] || 0), new Money(0));
      const credit = lines.reduce((s, r) => s.plus(r[6] || 0), new Money(0));
      expect(debit.eq(credit)).toBe(true);
    }

    const json = JSON.parse(run.stdout);
    expect(json.basis).toBe('billed');
    expect(json.entries[1]).toMatchObject({ entry: 'CB-2024-09-USD', currency: 'USD', debitTotal: '195.11', creditTotal: '195.11', notCharged: '10' });
    expect(json.reconciliation).toEqual([
      {
        currency: 'EUR',
        costCenters: [{ costCenter: 'CC-A', chargeback: '20', gl: '20', difference: '0', timing: '0', basis: '0', postClose: '0', notCharged: '0', unexplained: '0' }],
        total: { chargeback: '20', gl: '20', difference: '0', timing: '0', basis: '0', postClose: '0', notCharged: '0', unexplained: '0' },
        unattributedNotCharged: '0',
        notChargedOn: null,
      },
      {
        currency: 'USD',
        costCenters: [
          // INV-1 billed here (100.00 on CC-A), booked in 2024-10: +100; INV-0 billed in 2024-08, booked here: -40.
          { costCenter: 'CC-A', chargeback: '128.37', gl: '40', difference: '88.37', timing: '60', basis: '0', postClose: '0', notCharged: '0', unexplained: '28.37' },
          { costCenter: 'CC-B', chargeback: '64.7', gl: '50', difference: '14.7', timing: '0', basis: '0', postClose: '0', notCharged: '0', unexplained: '14.7' },
          { costCenter: 'CC-C', chargeback: '2.04', gl: '1', difference: '1.04', timing: '0', basis: '0', postClose: '0', notCharged: '0', unexplained: '1.04' },
        ],
        total: { chargeback: '195.11', gl: '91', difference: '104.11', timing: '60', basis: '0', postClose: '0', notCharged: '0', unexplained: '44.11' },
        // The 10.00 without a known cost center is charged to nobody; with no COSTBRIDGE_UNATTRIBUTED_COST_CENTER it stands beside the lines.
        unattributedNotCharged: '-10',
        notChargedOn: null,
      },
    ]);
    const audit = await sql<{ actor: string; action: string; subject_id: string; after: { sha256: string; basis: string } }>`
      SELECT actor, action, subject_id, after FROM audit_log WHERE subject_type = 'chargeback'`.execute(store.db);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor: 'fin@example.com', action: 'chargeback.export', subject_id: '2024-09', after: { sha256: json.sha256, basis: 'billed' } });
  });

  it('on the effective basis (a dry run: the period is issued on the billed basis), splits the difference into timing, basis and unexplained', async () => {
    const out = join(dir, 'journal-effective.csv');
    const refused = await cli(withPools, 'chargeback', '--period', '2024-09', '--out', out, '--basis', 'effective');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('CB-2024-09-EUR was issued on the billed basis');
    const run = await cli(withPools, 'chargeback', '--period', '2024-09', '--out', out, '--basis', 'effective', '--dry-run', '--json');
    expect(run.code).toBe(0);
    const usd = JSON.parse(run.stdout).reconciliation[1];
    expect(usd.costCenters).toEqual([
      { costCenter: 'CC-A', chargeback: '116.04', gl: '40', difference: '76.04', timing: '60', basis: '-12.33', postClose: '0', notCharged: '0', unexplained: '28.37' },
      { costCenter: 'CC-B', chargeback: '77.03', gl: '50', difference: '27.03', timing: '0', basis: '12.33', postClose: '0', notCharged: '0', unexplained: '14.7' },
      { costCenter: 'CC-C', chargeback: '2.04', gl: '1', difference: '1.04', timing: '0', basis: '0', postClose: '0', notCharged: '0', unexplained: '1.04' },
    ]);
    expect(usd.total).toEqual({ chargeback: '195.11', gl: '91', difference: '104.11', timing: '60', basis: '0', postClose: '0', notCharged: '0', unexplained: '44.11' });
    expect(JSON.parse(run.stdout)).toMatchObject({ dryRun: true, issuedNow: ['CB-2024-09-EUR', 'CB-2024-09-USD'] });
    const text = await cli(withPools, 'chargeback', '--period', '2024-09', '--basis', 'effective', '--dry-run');
    expect(text.stdout).toContain('Dry run: nothing is issued or recorded.');
    expect(text.stdout).toContain('debits USD 195.11 = credits USD 195.11');
    expect(text.stdout).toMatch(/CC-A\s+USD 116\.04\s+USD 40\.00\s+USD 76\.04\s+USD 60\.00\s+USD -12\.33\s+USD 28\.37/);
  });

  it('refuses a pools file naming an unknown cost center, with its line', async () => {
    const bad = join(dir, 'bad-pools.yaml');
    await writeFile(bad, 'pools:\n  - name: p\n    method: fixed\n    match: { provider: Nimbus }\n    shares:\n      CC-A: 60\n      CC-NOPE: 40\n');
    const run = await cli({ ...tdb, env: { ...tdb.env, COSTBRIDGE_SHARED_POOLS_FILE: bad } }, 'showback', '--period', '2024-09');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}: invalid shared-cost pools`);
    expect(run.stderr).toContain(`${bad}:7:7: cost center "CC-NOPE" is not in the cost-center master data`);
    const missing = await cli({ ...tdb, env: { ...tdb.env, COSTBRIDGE_SHARED_POOLS_FILE: join(dir, 'nope.yaml') } }, 'showback', '--period', '2024-09');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
  });

  it('issues each entry once: a re-run issues nothing, a change while open issues -A1 with only the differences, balanced, and the reconciliation still ties out', async () => {
    const out = join(dir, 'journal-again.csv');
    const again = await cli(withPools, 'chargeback', '--period', '2024-09', '--out', out, '--json');
    expect(again.code).toBe(0);
    const first = JSON.parse(again.stdout);
    expect(first.issuedNow).toEqual([]);
    expect(first.entries.map((e: { entry: string }) => e.entry)).toEqual(['CB-2024-09-EUR', 'CB-2024-09-USD']);
    expect(first.entries[1]).toMatchObject({ debitTotal: '195.11', creditTotal: '195.11', sequence: 0, kind: 'entry', issuedBy: 'fin@example.com' });
    const issuedLines = first.entries[1].lines;

    // A restatement of the slice while 2024-09 is open: CC-A's line rises by 12.34, a new CC-B line of 1.00 arrives.
    const restated = rows.map((r, i) => (i === 0 ? { ...r, BilledCost: '112.34', EffectiveCost: '102.34' } : r));
    const extra = { ...baseFocusRow, BilledCost: '1.00', EffectiveCost: '1.00', InvoiceId: 'INV-2', Tags: '{"CostCenter":"CC-B"}' };
    const path = join(dir, 'sep-restated.csv');
    await writeFile(path, focusCsv([...restated, extra]));
    expect((await cli(tdb, 'import', 'focus', path)).code).toBe(0);

    const run = await cli(withPools, 'chargeback', '--period', '2024-09', '--out', out, '--as', 'fin@example.com', '--json');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.issuedNow).toEqual(['CB-2024-09-USD-A1']);
    expect(json.entries.map((e: { entry: string }) => e.entry)).toEqual(['CB-2024-09-EUR', 'CB-2024-09-USD', 'CB-2024-09-USD-A1']);
    // The issued entry is unchanged.
    expect(json.entries[1].lines).toEqual(issuedLines);
    const adjustment = json.entries[2];
    expect(adjustment).toMatchObject({ kind: 'adjustment', sequence: 1 });
    // Only the differences. Direct billed is now CC-A 112.34, CC-B 51.00 (Σ 163.345 with CC-C 0.005):
    // platform 30.00 -> CC-A 20.63, CC-B 9.37 (quotas 2063.22, 936.66 cents, the leftover cent to CC-B);
    // shared-db 5.00 -> CC-A 3.44, CC-B 1.56; network and support unchanged. CC-A 112.34 + 20.63 + 0.04
    // + 3.44 = 136.45 (issued 123.37: +13.08); CC-B 51.00 + 9.37 + 0.03 + 1.56 = 61.96 (issued 61.70: +0.26).
    expect(adjustment.lines.map((l: Record<string, unknown>) => [l.account, l.costCenter, l.debit, l.credit])).toEqual([
      ['IT-CLOUD', 'CC-A', '13.08', null],
      ['IT-CLOUD', 'CC-B', '0.26', null],
      ['=CLEAR', null, null, '13.34'],
    ]);
    expect(adjustment).toMatchObject({ debitTotal: '13.34', creditTotal: '13.34' });
    expect(adjustment.lines[0].memo).toBe('adjusts CB-2024-09-USD: 2024-09 BilledCost now 136.45, booked 123.37');
    // The reconciliation uses the entry plus its adjustment.
    const usd = json.reconciliation[1];
    expect(usd.costCenters.map((c: { costCenter: string; chargeback: string }) => [c.costCenter, c.chargeback])).toEqual([
      ['CC-A', '141.45'],
      ['CC-B', '64.96'],
      ['CC-C', '2.04'],
    ]);
    expect(usd.total.chargeback).toBe('208.45');
    expect(new Money(usd.total.difference).eq(new Money(usd.total.timing).plus(usd.total.basis).plus(usd.total.postClose).plus(usd.total.unexplained))).toBe(true);
    // The CSV lists the entry and its adjustment.
    const records = parse(await readFile(out, 'utf8')) as string[][];
    expect([...new Set(records.slice(1).map((r) => r[1]))]).toEqual(['CB-2024-09-EUR', 'CB-2024-09-USD', 'CB-2024-09-USD-A1']);
    // Re-running changes nothing.
    const third = JSON.parse((await cli(withPools, 'chargeback', '--period', '2024-09', '--out', out, '--json')).stdout);
    expect(third.issuedNow).toEqual([]);
    expect(third.entries).toEqual(json.entries);
    const audit = await sql<{ action: string; subject_id: string }>`
      SELECT action, subject_id FROM audit_log WHERE subject_type = 'chargeback_entry' ORDER BY id`.execute(store.db);
    expect(audit.rows).toEqual([
      { action: 'chargeback.issue', subject_id: 'CB-2024-09-EUR' },
      { action: 'chargeback.issue', subject_id: 'CB-2024-09-USD' },
      { action: 'chargeback.adjust', subject_id: 'CB-2024-09-USD-A1' },
    ]);
  });

  it('reports an empty period plainly', async () => {
    const run = await cli(tdb, 'showback', '--period', '2023-01');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No cost lines for billing period 2023-01');
  });
});
