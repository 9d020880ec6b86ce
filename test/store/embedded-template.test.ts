// The embedded database's template (src/store/embedded-template.ts) is PGlite-only by nature: a new
// data directory is unpacked from it with every migration already applied, so opening it runs
// neither initdb nor a migration, and a directory that already holds a database is opened as is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { buildEmbeddedTemplate, embeddedTemplate, holdsDatabase } from '../../src/store/embedded-template.js';
import { openStore } from '../../src/store/database.js';
import { migrate, migrationNames } from '../../src/store/migrator.js';

describe('the embedded database template', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbridge-template-test-'));
    await buildEmbeddedTemplate();
  }, 180_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a new data directory starts from it: every migration is already applied, none runs', async () => {
    expect(holdsDatabase((await embeddedTemplate())!)).toBe(true);
    const dataDir = join(dir, 'fresh');
    expect(holdsDatabase(dataDir)).toBe(false);
    const store = await openStore({ dataDir });
    try {
      expect(holdsDatabase(dataDir)).toBe(true);
      expect(await migrate(store)).toEqual([]);
      const applied = await sql<{ name: string }>`SELECT name FROM schema_migration ORDER BY name`.execute(store.db);
      expect(applied.rows.map((r) => r.name)).toEqual(await migrationNames());
      // The schema is usable, the rollup included.
      const rollup = await sql<{ n: string }>`SELECT count(*) AS n FROM cost_rollup`.execute(store.db);
      expect(Number(rollup.rows[0]!.n)).toBe(0);
    } finally {
      await store.close();
    }
    // Opened again: the database already there is opened as is (no template unpacked over it).
    const again = await openStore({ dataDir });
    try {
      expect(await migrate(again)).toEqual([]);
    } finally {
      await again.close();
    }
  }, 180_000);
});
