import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrator.js';

/** Both databases every integration test runs against. */
export const storeKinds = ['postgres', 'pglite'] as const;
export type StoreKind = (typeof storeKinds)[number];

const serverUrl = loadConfig().testDatabaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A private database for one test file: its own Postgres database, or its own PGlite directory. */
export interface TestDatabase {
  readonly kind: StoreKind;
  /** Environment that points the CLI at this database. */
  readonly env: Record<string, string>;
  /** Opens (and migrates) a store on it; close it yourself or let `drop` do it. */
  open(): Promise<Store>;
  /** One store per test database, opened on first use and closed by `drop`. */
  shared(): Promise<Store>;
  drop(): Promise<void>;
}

/** Creates an empty, private database of the given kind. */
export async function createTestDatabase(kind: StoreKind): Promise<TestDatabase> {
  const opened: Store[] = [];
  const open = async (location: Parameters<typeof openStore>[0]) => {
    const store = await openStore(location);
    opened.push(store);
    await migrate(store);
    return store;
  };
  let shared: Promise<Store> | undefined;
  const closeAll = async () => {
    shared = undefined;
    await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
  };
  if (kind === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'costbridge-test-'));
    return {
      kind,
      env: { COSTBRIDGE_DATA_DIR: dir, LOG_LEVEL: 'silent' },
      open: () => open({ dataDir: dir }),
      shared: () => (shared ??= open({ dataDir: dir })),
      async drop() {
        await closeAll();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `costbridge_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    kind,
    env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    open: () => open({ databaseUrl }),
    shared: () => (shared ??= open({ databaseUrl })),
    async drop() {
      await closeAll();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
