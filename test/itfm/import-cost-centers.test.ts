import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { storeKinds } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { useTestWorkspace } from '../support/test-workspace.js';
import { auditOfBatch, batchRow, errorDetails, itfmCounts, itfmFixture, sha256Of } from './itfm-fixtures.js';

describe.each(storeKinds)('import cost-centers on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  const centers = () =>
    ws.store.db
      .selectFrom('cost_center')
      .select(['code', 'name', 'parent_code', 'owner', 'legal_entity', 'chat_channel'])
      .orderBy('code')
      .execute();


  it('imports a file whose children come before their parents, with a batch and an audit row', async () => {
    const path = itfmFixture('cost-centers.csv');
    const run = await cli(ws.tdb, 'import', 'cost-centers', path, '--as', 'alice@example.com', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toEqual({
      file: path, sha256: sha256Of(path), kind: 'cost-centers', rows: 4, skipped: false, batchId: out.batchId,
      format: 'csv', inserted: 4, updated: 0, unchanged: 0, warnings: [],
    });
    expect(await centers()).toEqual([
      { code: 'CORP', name: 'Corporate', parent_code: null, owner: 'cfo@example.com', legal_entity: 'ACME Inc', chat_channel: '#finance' },
      { code: 'DATA', name: 'Data', parent_code: 'ENG', owner: null, legal_entity: 'ACME GmbH', chat_channel: null },
      { code: 'ENG', name: 'Engineering', parent_code: 'CORP', owner: 'cto@example.com', legal_entity: 'ACME Inc', chat_channel: '#eng' },
      {
        code: 'PLAT', name: 'Platform, Infrastructure', parent_code: 'ENG', owner: 'platform-lead@example.com',
        legal_entity: 'ACME Inc', chat_channel: '#platform',
      },
    ]);
    expect(await batchRow(ws.store, out.batchId)).toMatchObject({
      kind: 'cost-centers', file_name: path, sha256: sha256Of(path), format: 'csv', rows: 4,
      imported_by: 'alice@example.com', surface: 'cli',
    });
    const audit = await auditOfBatch(ws.store, out.batchId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'alice@example.com', surface: 'cli', action: 'import.cost-centers', before: null });
    expect(audit[0]!.after).toMatchObject({ rows: 4, inserted: 4, sha256: sha256Of(path) });
  });

  it('says an unchanged file was already imported and changes nothing', async () => {
    const before = await itfmCounts(ws.store);
    const run = await cli(ws.tdb, 'import', 'cost-centers', itfmFixture('cost-centers.csv'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/cost-centers\.csv: skipped, already imported as batch \d+ on .*; nothing changed/);
    expect(await itfmCounts(ws.store)).toEqual(before);
  });

  it('reads a spreadsheet export: byte-order mark, CRLF, quoted commas and quotes, an unknown column', async () => {
    const run = await cli(ws.tdb, 'import', 'cost-centers', itfmFixture('cost-centers-excel.csv'), '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: ignored column(s) that are not part of the cost-centers format: Notes');
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 2, inserted: 2 });
    const stored = (await centers()).filter((c) => c.code.startsWith('S'));
    expect(stored).toEqual([
      { code: 'SEC', name: 'Security, Risk & "Trust"', parent_code: null, owner: 'ciso@example.com', legal_entity: null, chat_channel: null },
      { code: 'SOC', name: 'Security Operations', parent_code: 'SEC', owner: null, legal_entity: null, chat_channel: null },
    ]);
  });

  it('upserts by code: columns the file lacks keep their values, empty cells clear them', async () => {
    const path = await ws.file('rename.csv', 'code,name,chat_channel\nENG,Engineering & Product,\nCORP,Corporate,#finance\nNEW,New Team,#new\n');
    const run = await cli(ws.tdb, 'import', 'cost-centers', path, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 3, inserted: 1, updated: 1, unchanged: 1 });
    const byCode = new Map((await centers()).map((c) => [c.code, c]));
    expect(byCode.get('ENG')).toEqual({
      code: 'ENG', name: 'Engineering & Product', parent_code: 'CORP', owner: 'cto@example.com', legal_entity: 'ACME Inc', chat_channel: null,
    });
    expect(byCode.get('NEW')).toMatchObject({ parent_code: null, owner: null, chat_channel: '#new' });
  });

  it('renames headers with --map and names the file header in errors', async () => {
    const path = await ws.file('mapped.csv', 'Cost Centre,Title,Parent CC\nMKT,Marketing,CORP\nMKT-EU,Marketing EU,MKT\nMKT-X,,MKT\n');
    const maps = ['--map', 'Cost Centre=code', '--map', 'title=name', '--map', 'Parent CC=parent'];
    const bad = await cli(ws.tdb, 'import', 'cost-centers', path, ...maps);
    expect(bad.code).toBe(1);
    expect(errorDetails(bad.stderr)).toEqual([`${path}:4: Title: is required but empty`]);

    await writeFile(path, 'Cost Centre,Title,Parent CC\nMKT,Marketing,CORP\nMKT-EU,Marketing EU,MKT\n');
    const run = await cli(ws.tdb, 'import', 'cost-centers', path, ...maps, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 2, inserted: 2 });
    expect((await centers()).find((c) => c.code === 'MKT-EU')).toMatchObject({ name: 'Marketing EU', parent_code: 'MKT' });

    const unknown = await cli(ws.tdb, 'import', 'cost-centers', path, '--map', 'Cost Centre=centre');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`costbridge: ${path}: nothing imported, a --map option is wrong`);
    expect(errorDetails(unknown.stderr)).toEqual([
      '--map "Cost Centre=centre": "centre" is not a cost-centers column (code, name, parent, owner, legal_entity, chat_channel)',
    ]);
  });

  it('rejects parent cycles and unknown parents, storing nothing', async () => {
    const before = await itfmCounts(ws.store);
    const path = itfmFixture('cost-centers-cycle.csv');
    const run = await cli(ws.tdb, 'import', 'cost-centers', path);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`costbridge: ${path}: nothing imported, 4 error(s) found`);
    expect(errorDetails(run.stderr)).toEqual([
      `${path}:2: parent: makes a cycle: LOOP-A -> LOOP-B -> LOOP-A`,
      `${path}:3: parent: makes a cycle: LOOP-B -> LOOP-A -> LOOP-B`,
      `${path}:4: parent: makes a cycle: SELF -> SELF`,
      `${path}:6: parent: unknown cost center "NOWHERE" (not in this file nor stored)`,
    ]);
    expect(await itfmCounts(ws.store)).toEqual(before);
  });

  it('rejects a new parent that closes a cycle through stored cost centers', async () => {
    const before = await itfmCounts(ws.store);
    const path = await ws.file('reparent.csv', 'code,name,parent\nCORP,Corporate,PLAT\n');
    const run = await cli(ws.tdb, 'import', 'cost-centers', path);
    expect(run.code).toBe(1);
    expect(errorDetails(run.stderr)).toEqual([`${path}:2: parent: makes a cycle: CORP -> PLAT -> ENG -> CORP`]);
    expect(await itfmCounts(ws.store)).toEqual(before);
  });

  it('rejects a code given twice, and a missing name column', async () => {
    const before = await itfmCounts(ws.store);
    const dup = itfmFixture('cost-centers-duplicate.csv');
    const run = await cli(ws.tdb, 'import', 'cost-centers', dup);
    expect(run.code).toBe(1);
    expect(errorDetails(run.stderr)).toEqual([`${dup}:4: code: duplicates line 2 (same code "X1")`]);

    const noName = await ws.file('no-name.csv', 'code,owner\nZ,z@example.com\n');
    const missing = await cli(ws.tdb, 'import', 'cost-centers', noName);
    expect(missing.code).toBe(1);
    expect(errorDetails(missing.stderr)).toEqual([`${noName}:1: name: required column is missing from the header`]);
    expect(await itfmCounts(ws.store)).toEqual(before);
  });
});
