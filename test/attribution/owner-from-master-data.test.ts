import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { samplePath } from '../support/focus-sample.js';
import type { Store } from '../../src/store/database.js';

// The FOCUS sample's cost-center tag values (CostCenter, business_unit) become master data naming
// owners; '1234' is loaded without one, so its lines stay unattributed (no owner anywhere).
const ownerOf = (code: string) => (code === '1234' ? '' : `${code.toLowerCase().replace(/[^a-z0-9]/g, '')}@acme.example`);

interface Tally {
  lines: number;
  resolved: number;
  masterData: number;
  ownerless: number;
}

async function tally(store: Store): Promise<Tally> {
  const r = await sql<Tally>`
    SELECT count(*)::int AS lines,
           count(*) FILTER (WHERE cost_center IS NOT NULL AND EXISTS (SELECT 1 FROM cost_center x WHERE x.code = cost_line.cost_center))::int AS resolved,
           count(*) FILTER (WHERE owner_source = 'master-data')::int AS "masterData",
           count(*) FILTER (WHERE cost_center IS NOT NULL AND owner IS NULL)::int AS ownerless
      FROM cost_line`.execute(store.db);
  return r.rows[0]!;
}

/** Lines that `unattributed` counts (required fields cost-center and owner), both periods. */
async function unattributedLines(tdb: TestDatabase, env: Record<string, string> = {}): Promise<number> {
  let n = 0;
  for (const period of ['2024-09', '2024-10']) {
    const r = await cli({ ...tdb, env: { ...tdb.env, ...env } }, 'unattributed', '--period', period, '--json');
    expect(r.code, r.stderr).toBe(0);
    // Spend to claim and unattributed credits (listed apart) together are every unattributed line.
    const listed = JSON.parse(r.stdout) as { items: { lines: number }[]; credits: { lines: number }[] };
    n += [...listed.items, ...listed.credits].reduce((s, i) => s + i.lines, 0);
  }
  return n;
}

describe.each(storeKinds)('owner from cost-center master data on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  let codes: string[];
  const costCenterFile = async (name: string, owner: (code: string) => string) => {
    const path = join(dir, name);
    await writeFile(path, `code,name,owner\n${codes.map((c) => `${c},Sample ${c},${owner(c)}`).join('\n')}\n`);
    return path;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-owner-'));
    expect((await cli(tdb, 'import', 'focus', samplePath)).code).toBe(0);
    codes = (await sql<{ v: string }>`SELECT DISTINCT tag_cost_center AS v FROM cost_line WHERE tag_cost_center IS NOT NULL ORDER BY 1`.execute(store.db)).rows.map((r) => r.v);
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves the sample 100% unattributed without master data, as before', async () => {
    expect(codes.length).toBeGreaterThan(100);
    expect(await tally(store)).toMatchObject({ lines: 1000, masterData: 0 });
    expect(await unattributedLines(tdb)).toBe(1000);
  });

  it('counts every line with a resolved cost center as attributed once cost centers naming owners are loaded later', async () => {
    expect((await cli(tdb, 'import', 'cost-centers', await costCenterFile('cc.csv', ownerOf))).code).toBe(0);
    const t = await tally(store);
    const ownerless1234 = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM cost_line WHERE cost_center = '1234'`.execute(store.db)).rows[0]!.n);
    expect(ownerless1234).toBe(36);
    // Every line whose cost center resolved has an owner from master data, except 1234's (none named).
    const tagged = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM cost_line WHERE tag_cost_center IS NOT NULL`.execute(store.db)).rows[0]!.n);
    expect(tagged).toBe(697);
    expect(t.resolved).toBe(tagged);
    expect(t.masterData).toBe(tagged - 36);
    expect(t.ownerless).toBe(36);
    expect(await unattributedLines(tdb)).toBe(1000 - (tagged - 36));
  });

  it('explain names master-data as the owner source', async () => {
    const id = (await sql<{ id: number }>`SELECT id::int AS id FROM cost_line WHERE cost_center = 'PeoriaData' ORDER BY id LIMIT 1`.execute(store.db)).rows[0]!.id;
    const text = await cli(tdb, 'explain', String(id));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/owner\s+peoriadata@acme\.example\s+from master data: owner of cost center PeoriaData/);
    const json = JSON.parse((await cli(tdb, 'explain', String(id), '--json')).stdout);
    const lines = Array.isArray(json) ? json : json.lines;
    expect(lines[0].fields.find((f: { field: string }) => f.field === 'owner')).toMatchObject({ value: 'peoriadata@acme.example', source: 'master-data', costCenter: 'PeoriaData' });
  });

  it('follows re-attribution: a rule that sets a cost center brings its owner; a tag owner still wins', async () => {
    const target = (await sql<{ sub: string; n: number }>`
      SELECT sub_account_id AS sub, count(*)::int AS n FROM cost_line
       WHERE cost_center IS NULL AND sub_account_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`.execute(store.db)).rows[0]!;
    const before = await tally(store);
    const added = await cli(tdb, 'rules', 'add', '--set', 'cost-center=TempeAI', '--sub-account', target.sub, '--priority', '100', '--from', '2024-01', '--as', 'finops@acme.example');
    expect(added.code, added.stderr).toBe(0);
    const moved = (await sql<{ owner: string; source: string; n: number }>`
      SELECT owner, owner_source AS source, count(*)::int AS n FROM cost_line
       WHERE sub_account_id = ${target.sub} AND cost_center_source LIKE 'rule:%' GROUP BY 1, 2`.execute(store.db)).rows;
    expect(moved).toEqual([{ owner: 'tempeai@acme.example', source: 'master-data', n: target.n }]);
    expect((await tally(store)).masterData).toBe(before.masterData + target.n);

    // A rule that names an owner is stronger than master data.
    expect((await cli(tdb, 'rules', 'add', '--set', 'owner=named@acme.example', '--sub-account', target.sub, '--priority', '100', '--from', '2024-01', '--as', 'finops@acme.example')).code).toBe(0);
    const named = (await sql<{ source: string }>`SELECT DISTINCT owner_source AS source FROM cost_line WHERE sub_account_id = ${target.sub} AND cost_center = 'TempeAI'`.execute(store.db)).rows;
    expect(named.map((r) => r.source)).toEqual([expect.stringMatching(/^rule:\d+$/)]);
  });

  it('follows a changed owner in master data', async () => {
    expect((await cli(tdb, 'import', 'cost-centers', await costCenterFile('cc2.csv', (c) => (c === 'PeoriaData' ? 'new.owner@acme.example' : ownerOf(c))))).code).toBe(0);
    const owners = (await sql<{ owner: string }>`SELECT DISTINCT owner FROM cost_line WHERE cost_center = 'PeoriaData'`.execute(store.db)).rows;
    expect(owners).toEqual([{ owner: 'new.owner@acme.example' }]);
  });

  it('COSTBRIDGE_OWNER_FROM_MASTER_DATA=false takes master-data owners away again; true brings them back', async () => {
    const on = await tally(store);
    const onUnattributed = await unattributedLines(tdb);
    expect(await unattributedLines(tdb, { COSTBRIDGE_OWNER_FROM_MASTER_DATA: 'false' })).toBe(onUnattributed + on.masterData);
    expect((await tally(store)).masterData).toBe(0);
    const audit = await sql<{ after: { ownerFromMasterData: boolean; linesChanged: number } }>`
      SELECT after FROM audit_log WHERE action = 'attribution.owner-from-master-data' ORDER BY id`.execute(store.db);
    expect(audit.rows.map((r) => r.after)).toEqual([{ ownerFromMasterData: false, linesChanged: on.masterData }]);
    expect(await unattributedLines(tdb)).toBe(onUnattributed);
    expect(await tally(store)).toEqual(on);
  });
});

describe.each(storeKinds)('owner from master data at import on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-owner-import-'));
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('decides the same at import as re-attribution does when cost centers come first', async () => {
    const path = join(dir, 'cc.csv');
    await writeFile(path, 'code,name,owner\nPeoriaData,Peoria,peoria@acme.example\n1234,Sample,\n');
    expect((await cli(tdb, 'import', 'cost-centers', path)).code).toBe(0);
    expect((await cli(tdb, 'import', 'focus', samplePath)).code).toBe(0);
    const rows = (await sql<{ cc: string; owner: string | null; source: string | null; n: number }>`
      SELECT cost_center AS cc, owner, owner_source AS source, count(*)::int AS n FROM cost_line
       WHERE cost_center IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1`.execute(store.db)).rows;
    expect(rows).toEqual([
      { cc: '1234', owner: null, source: null, n: 36 },
      { cc: 'PeoriaData', owner: 'peoria@acme.example', source: 'master-data', n: 176 },
    ]);
  });
});
