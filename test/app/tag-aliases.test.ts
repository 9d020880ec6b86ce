import { beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { storeKinds } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { useTestWorkspace } from '../support/test-workspace.js';

const sample = fileURLToPath(new URL('../fixtures/focus-1.0-sample/focus_sample.csv', import.meta.url));

type SharedRow = { source_line: number; cost_center: string | null; application: string | null; legal_entity: string | null; environment: string | null; project: string | null; owner: string | null };

describe.each(storeKinds)('tag aliases on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  const shared = async () =>
    (await sql<SharedRow>`SELECT source_line, cost_center, application, legal_entity, environment, project, owner
                            FROM cost_line ORDER BY source_line`.execute(ws.store.db)).rows;

  beforeAll(async () => {
    expect((await cli(ws.tdb, 'import', 'focus', sample)).code).toBe(0);
  });

  it('lists the seeded spellings', async () => {
    const out = JSON.parse((await cli(ws.tdb, 'aliases', 'list', '--json')).stdout);
    const keys = out.aliases.map((a: { key: string }) => a.key);
    for (const k of ['costcenter', 'cost-center', 'cost_center', 'cc', 'cost department', 'env', 'environment', 'app', 'application', 'project', 'owner', 'team', 'business_unit']) {
      expect(keys).toContain(k);
    }
  });

  it('adds an alias, re-resolves exactly the stored lines carrying it, and agrees with import-time resolution', async () => {
    const before = await shared();
    expect(before.filter((r) => r.owner === 'trey')).toHaveLength(0);
    const run = await cli(ws.tdb, 'aliases', 'add', ' ORG ', 'owner', '--as', 'ana@example.com');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/tag key "org" now means owner; (\d+) stored line\(s\) re-resolved/);
    const after = await shared();
    const trey = after.filter((r) => r.owner === 'trey');
    expect(trey.length).toBeGreaterThan(0);
    // Lines without an org tag are untouched.
    const changed = after.filter((r, i) => JSON.stringify(r) !== JSON.stringify(before[i]));
    expect(changed.map((r) => r.source_line)).toEqual(trey.map((r) => r.source_line));

    // Re-importing the same rows (a restatement: one more newline, so new bytes) resolves tags in
    // TypeScript; the SQL re-resolution must have produced exactly the same six fields.
    const copy = join(ws.dir, 'restated.csv');
    await writeFile(copy, (await readFile(sample, 'utf8')) + '\n');
    expect((await cli(ws.tdb, 'import', 'focus', copy)).code).toBe(0);
    expect(await shared()).toEqual(after);

    const audit = await sql<{ actor: string; action: string }>`
      SELECT actor, action FROM audit_log WHERE subject_type = 'tag_alias' AND subject_id = 'org'`.execute(ws.store.db);
    expect(audit.rows).toEqual([{ actor: 'ana@example.com', action: 'alias.add' }]);
  });

  it('changing an alias priority changes which key wins', async () => {
    // business_unit (40) loses to CostCenter (10); give business_unit priority 5 and it wins.
    const run = await cli(ws.tdb, 'aliases', 'add', 'business_unit', 'cost-center', '--priority', '5');
    expect(run.stdout).toContain('(was cost-center, priority 40)');
    const both = await sql<{ cost_center: string; bu: string }>`
      SELECT cost_center, tags->>'business_unit' AS bu FROM cost_line WHERE tags ? 'business_unit'`.execute(ws.store.db);
    expect(both.rows.length).toBeGreaterThan(0);
    for (const r of both.rows) expect(r.cost_center).toBe(r.bu);
  });

  it('refuses an unknown field or an empty key', async () => {
    const bad = await cli(ws.tdb, 'aliases', 'add', 'org', 'colour');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown field "colour"; use one of cost-center, application, legal-entity, environment, project, owner');
    const empty = await cli(ws.tdb, 'aliases', 'add', '  ', 'owner');
    expect(empty.stderr).toContain('the tag key is empty');
  });
});
