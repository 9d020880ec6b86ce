import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { baseFocusRow, focusCsv } from '../support/focus-csv.js';
import type { Store } from '../../src/store/database.js';

const columns = [...Object.keys(baseFocusRow), 'ResourceId', 'SkuId', 'ServiceSubcategory'];
const row = (o: Record<string, string>) => ({ ...baseFocusRow, ResourceId: '', SkuId: '', ServiceSubcategory: '', ...o });
const month = (m: string) => ({
  BillingPeriodStart: `${m}-01T00:00:00Z`,
  BillingPeriodEnd: new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1)).toISOString(),
  ChargePeriodStart: `${m}-10T00:00:00Z`,
  ChargePeriodEnd: `${m}-11T00:00:00Z`,
});

type Line = { source_line: number; cost_center: string | null; owner: string | null; project: string | null; cost_center_source: string | null; owner_source: string | null; project_source: string | null; tag_cost_center: string | null; contract_id: string | null; contract_component: string | null; gl_account: string | null };

describe.each(storeKinds)('attribution: contracts, rules, precedence, explain on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  const file = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  const lines = async (account: string) =>
    (await sql<Line>`SELECT source_line, cost_center, owner, project, cost_center_source, owner_source, project_source, tag_cost_center,
                            contract_id, contract_component, gl_account
                       FROM cost_line WHERE billing_account_id = ${account} ORDER BY source_line`.execute(store.db)).rows;
  const ok = async (...args: string[]) => {
    const r = await cli(tdb, ...args);
    expect(r.stderr.replace(/costbridge: using the embedded.*\n/, '')).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-attr-'));
    await ok('import', 'cost-centers', await file('cc.csv', 'code,name,owner\nCC-100,Platform,plat@acme.example\nCC-200,Data,data@acme.example\nCC-300,AI,ai@acme.example\n'));
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('per field: a valid tag beats the contract, which beats rules; the lowest priority number wins; unknown cost-center tags do not count', async () => {
    await ok('rules', 'add', '--set', 'cost-center=CC-200', '--set', 'owner=rule-owner-50', '--provider', 'Nimbus', '--billing-account', 'P-1', '--priority', '50', '--from', '2024-09', '--as', 'ana');
    await ok('rules', 'add', '--set', 'owner=rule-owner-10', '--set', 'project=PRJ-1', '--resource-id', 'vm-*', '--priority', '10', '--from', '2024-09', '--as', 'bo');
    const path = await file('p1.csv', focusCsv([
      row({ BillingAccountId: 'P-1', ResourceId: 'vm-1', Tags: '{"CostCenter":"CC-100","owner":"tag-owner"}', ...month('2024-09') }),
      row({ BillingAccountId: 'P-1', ResourceId: 'vm-2', Tags: '{"CostCenter":"CC-9999"}', ...month('2024-09') }),
      row({ BillingAccountId: 'P-1', ResourceId: 'db-1', Tags: '', ...month('2024-09') }),
      row({ BillingAccountId: 'P-1', ResourceId: 'vm-3', Tags: '', ...month('2024-08') }),
    ], { columns }));
    await ok('import', 'focus', path);
    const [tagged, unknown, untagged, before] = await lines('P-1');
    expect(tagged).toMatchObject({ cost_center: 'CC-100', cost_center_source: 'tag', owner: 'tag-owner', owner_source: 'tag', project: 'PRJ-1' });
    expect(unknown).toMatchObject({ tag_cost_center: 'CC-9999', cost_center: 'CC-200', owner: 'rule-owner-10', project: 'PRJ-1' });
    expect(unknown!.cost_center_source).toMatch(/^rule:\d+$/);
    expect(untagged).toMatchObject({ cost_center: 'CC-200', owner: 'rule-owner-50', project: null });
    // Effective dating: both rules start in 2024-09, so the August line stays unattributed.
    expect(before).toMatchObject({ cost_center: null, owner: null, project: null });

    // A contract now covers the account: it beats both rules on the fields it sets, not the tags.
    const contract = await file('k.yaml', [
      'id: K-1', 'vendor:', '  providerName: Nimbus', '  billingAccountId: P-1', 'category: cloud', 'startDate: 2024-09-01',
      'glAccount: 6400', 'attribution:', '  owner: contract-owner', 'components:', '  - name: compute', '    match:', '      chargeDescription: "compute*"',
      '    glAccount: 6401', '    attribution:', '      cost-center: CC-300',
    ].join('\n'));
    expect(await ok('contracts', 'apply', contract, '--as', 'proc')).toContain('contract K-1: added; 3 stored line(s) re-attributed');
    const after = await lines('P-1');
    expect(after[0]).toMatchObject({ cost_center: 'CC-100', owner: 'tag-owner', contract_id: 'K-1', contract_component: 'compute', gl_account: '6401' });
    expect(after[1]).toMatchObject({ cost_center: 'CC-300', cost_center_source: 'contract', owner: 'contract-owner', owner_source: 'contract', project: 'PRJ-1' });
    expect(after[3]).toMatchObject({ contract_id: null, cost_center: null });

    // Explain reads the stored sources.
    const ids = await sql<{ id: number }>`SELECT id FROM cost_line WHERE billing_account_id = 'P-1' ORDER BY source_line`.execute(store.db);
    const explained = JSON.parse(await ok('explain', String(ids.rows[1]!.id), '--json')).lines[0];
    const byField = Object.fromEntries(explained.fields.map((f: { field: string }) => [f.field, f]));
    expect(byField['cost-center']).toMatchObject({ value: 'CC-300', source: 'contract', contract: { id: 'K-1', component: 'compute' } });
    expect(byField['cost-center'].notes[0]).toBe('tag CostCenter=CC-9999 does not count: unknown cost center value CC-9999');
    expect(byField['owner']).toMatchObject({ source: 'contract', contract: { id: 'K-1', component: null } });
    expect(byField['project']).toMatchObject({ value: 'PRJ-1', source: 'rule', rule: { priority: 10, author: 'bo', origin: 'manual', from: '2024-09', to: null } });
    expect(byField['environment']).toMatchObject({ value: null, source: null, reason: 'no tag for environment (tag keys: "CostCenter"); contract K-1 does not set environment; no rule sets environment' });
    const text = await ok('explain', String(ids.rows[0]!.id));
    expect(text).toContain('cost-center  CC-100  from tag CostCenter=CC-100');
    const byResource = JSON.parse(await ok('explain', '--resource-id', 'vm-3', '--period', '2024-08', '--json')).lines;
    expect(byResource).toHaveLength(1);
    expect(byResource[0].fields[0].reason).toBe('no tags; no contract; no rule sets cost-center');
  });

  it('removing a rule re-attributes exactly the lines it was setting, and is audited', async () => {
    const rules = JSON.parse(await ok('rules', 'list', '--json')).rules;
    expect(rules.map((r: { priority: number }) => r.priority)).toEqual([10, 50]);
    const ten = rules[0];
    expect(await ok('rules', 'remove', String(ten.id), '--as', 'cy')).toContain(`rule ${ten.id} removed; 2 stored line(s) re-attributed`);
    const after = await lines('P-1');
    expect(after.map((l) => l.project)).toEqual([null, null, null, null]);
    expect(after[0]!.owner).toBe('tag-owner');
    const again = await cli(tdb, 'rules', 'remove', String(ten.id));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/was already removed by cy/);
    const audit = await sql<{ action: string; actor: string }>`
      SELECT action, actor FROM audit_log WHERE subject_type IN ('attribution_rule', 'contract') ORDER BY id`.execute(store.db);
    expect(audit.rows).toEqual([
      { action: 'rule.add', actor: 'ana' },
      { action: 'rule.add', actor: 'bo' },
      { action: 'contract.add', actor: 'proc' },
      { action: 'rule.remove', actor: 'cy' },
    ]);
    expect(JSON.parse(await ok('rules', 'list', '--all', '--json')).rules).toHaveLength(2);
  });

  it('rule --to bounds the effective periods; globs escape % and _ literally', async () => {
    const path = await file('p2.csv', focusCsv(['2024-08', '2024-09', '2024-10'].flatMap((m) => [
      row({ BillingAccountId: 'P-2', ResourceId: 'a%b_c', Tags: '', ...month(m) }),
      row({ BillingAccountId: 'P-2', ResourceId: 'aXbYc', Tags: '', ...month(m) }),
    ]), { columns }));
    await ok('import', 'focus', path);
    expect(await ok('rules', 'add', '--set', 'owner=pct', '--resource-id', 'a%b_*', '--priority', '5', '--from', '2024-09', '--to', '2024-09')).toContain('1 stored line(s)');
    const owners = await sql<{ r: string; m: string; owner: string | null }>`
      SELECT resource_id AS r, to_char(billing_period_start, 'YYYY-MM') AS m, owner FROM cost_line WHERE billing_account_id = 'P-2' ORDER BY 2, 1`.execute(store.db);
    expect(owners.rows.filter((x) => x.owner === 'pct').map((x) => `${x.m} ${x.r}`)).toEqual(['2024-09 a%b_c']);
  });

  it('refuses bad rule input and unknown cost centers', async () => {
    const bad = await cli(tdb, 'rules', 'add', '--set', 'colour=red', '--priority', '1', '--from', '2024-09');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--set "colour=red": expected FIELD=VALUE with FIELD one of cost-center, application, legal-entity, environment, project, owner');
    const unknown = await cli(tdb, 'rules', 'add', '--set', 'cost-center=CC-404', '--priority', '1', '--from', '2024-09');
    expect(unknown.stderr).toContain('unknown cost center "CC-404"');
    const order = await cli(tdb, 'rules', 'add', '--set', 'owner=x', '--priority', '1', '--from', '2024-09', '--to', '2024-08');
    expect(order.stderr).toContain('--to 2024-08 is before --from 2024-09');
  });

  it('contract files: errors by file, line, column and path; nothing applied; list shows the stored terms', async () => {
    const path = await file('bad.yaml', ['id: K-2', 'vendor:', '  skuId: X', 'category: blockchain', 'startDate: 2024-13-01', 'glAccount: 6400', 'expectedMonthlyAmount: 12.5', 'components:', '  - name: Token', '    match: {}'].join('\n'));
    const r = await cli(tdb, 'contracts', 'apply', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path}: nothing applied`);
    expect(r.stderr).toContain(`${path}:3:3: vendor: needs invoiceIssuerName, publisherName or providerName`);
    expect(r.stderr).toContain(`${path}:4:11: category: must be one of cloud, saas, ai, license, data-platform, on-premises`);
    expect(r.stderr).toContain(`${path}:5:12: startDate: is not a calendar date`);
    expect(r.stderr).toContain(`${path}:9:11: components.0.name: must be lower-case letters`);
    expect(r.stderr).toContain(`${path}:10:12: components.0.match: needs pricingUnit, skuId, chargeDescription or serviceSubcategory`);
    const json = await file('bad.json', '{\n  "id": "K-3",\n  "vendor": {"providerName": "X"},\n  "category": "ai",\n  "startDate": "2024-09-01",\n  "glAccount": "1",\n  "expectedMonthlyAmount": 5\n}');
    const j = await cli(tdb, 'contracts', 'apply', json);
    expect(j.stderr).toContain(`${json}:1:1: currency: is required with expectedMonthlyAmount`);
    const list = JSON.parse(await ok('contracts', 'list', '--json')).contracts;
    expect(list.map((c: { id: string }) => c.id)).toEqual(['K-1']);
    expect(list[0]).toMatchObject({ glAccount: '6400', lines: 3, components: [{ name: 'compute', glAccount: '6401', attribution: { 'cost-center': 'CC-300' } }] });
  });

  it('the example contract applies, keeps its amount exact, and splits token from license lines', async () => {
    await ok('import', 'cost-centers', await file('cc2.csv', 'code,name,owner\nCC-2000,Finance Systems,controller@acme.example\nCC-1400,Data Science,priya@acme.example\n'));
    const lic = { BillingAccountId: 'LDG-ACME-0042', InvoiceIssuerName: 'Ledgerly Inc.', ProviderName: 'Ledgerly', PublisherName: 'Ledgerly Inc.', Tags: '', ...month('2026-02') };
    await ok('import', 'focus', await file('ldg.csv', focusCsv([
      row({ ...lic, SkuId: 'LDG-FIN-ENT', ServiceName: 'Ledgerly Financials' }),
      row({ ...lic, SkuId: 'LDG-COPILOT-TOK', ServiceName: 'Ledgerly Copilot', PricingUnit: '1K Tokens' }),
      row({ ...lic, SkuId: 'LDG-SUPPORT', ServiceName: 'Support' }),
    ], { columns })));
    const out = JSON.parse(await ok('contracts', 'apply', 'docs/examples/contract-ai-saas.yaml', '--json'));
    expect(out.contracts).toEqual([{ id: 'LDG-2026-ENT', change: 'added', linesChanged: 3, books: { from: '2026-01', closedMonths: [], bookedIn: {} } }]);
    const again = JSON.parse(await ok('contracts', 'apply', 'docs/examples/contract-ai-saas.yaml', '--json'));
    expect(again.contracts).toEqual([{ id: 'LDG-2026-ENT', change: 'unchanged', linesChanged: 0, books: { from: '2026-01', closedMonths: [], bookedIn: {} } }]);
    const got = await sql<{ sku_id: string; contract_component: string | null; gl_account: string; cost_center: string; application: string | null }>`
      SELECT sku_id, contract_component, gl_account, cost_center, application FROM cost_line WHERE billing_account_id = 'LDG-ACME-0042' ORDER BY source_line`.execute(store.db);
    expect(got.rows).toEqual([
      { sku_id: 'LDG-FIN-ENT', contract_component: 'license', gl_account: '6410', cost_center: 'CC-2000', application: 'ledgerly-financials' },
      { sku_id: 'LDG-COPILOT-TOK', contract_component: 'token', gl_account: '6420', cost_center: 'CC-1400', application: 'ledgerly-copilot' },
      { sku_id: 'LDG-SUPPORT', contract_component: null, gl_account: '6410', cost_center: 'CC-2000', application: null },
    ]);
    const listed = JSON.parse(await ok('contracts', 'list', '--json')).contracts.find((c: { id: string }) => c.id === 'LDG-2026-ENT');
    expect(listed).toMatchObject({ expectedMonthlyAmount: '10200', currency: 'USD', costCategory: { costPool: 'Outside Services', tower: 'Application' } });
  });

  it('new cost centers in master data and alias changes re-attribute the lines they affect', async () => {
    await ok('import', 'focus', await file('p3.csv', focusCsv([
      row({ BillingAccountId: 'P-3', Tags: '{"CostCenter":"CC-500"}', ...month('2024-09') }),
      row({ BillingAccountId: 'P-3', Tags: '{"squad":"CC-100"}', ...month('2024-09') }),
    ], { columns })));
    expect((await lines('P-3')).map((l) => l.cost_center)).toEqual([null, null]);
    await ok('import', 'cost-centers', await file('cc3.csv', 'code,name\nCC-500,New\n'));
    expect((await lines('P-3')).map((l) => l.cost_center)).toEqual(['CC-500', null]);
    await ok('aliases', 'add', 'Squad', 'cost-center');
    expect((await lines('P-3')).map((l) => [l.cost_center, l.cost_center_source])).toEqual([['CC-500', 'tag'], ['CC-100', 'tag']]);
  });
});
