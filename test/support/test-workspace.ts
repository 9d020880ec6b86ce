import { afterAll, beforeAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, type StoreKind, type TestDatabase } from './test-stores.js';

/** A test file's private database (its shared store) and a scratch directory, set up once for the file. */
export interface TestWorkspace {
  readonly tdb: TestDatabase;
  readonly store: Store;
  readonly dir: string;
  /** Writes `content` to `name` in the scratch directory and returns its path. */
  file(name: string, content: string | Buffer): Promise<string>;
}

/**
 * Registers the beforeAll/afterAll that create and drop the workspace; call it inside the
 * `describe` block and read its fields inside the tests.
 */
export function useTestWorkspace(kind: StoreKind): TestWorkspace {
  let tdb: TestDatabase | undefined;
  let store: Store | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), `costbridge-${kind}-`));
  });
  afterAll(async () => {
    await tdb?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the test workspace is used before its beforeAll ran');
    return value;
  };
  return {
    get tdb() {
      return ready(tdb);
    },
    get store() {
      return ready(store);
    },
    get dir() {
      return ready(dir);
    },
    async file(name, content) {
      const path = join(ready(dir), name);
      await writeFile(path, content);
      return path;
    },
  };
}
