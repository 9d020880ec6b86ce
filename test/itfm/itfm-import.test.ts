import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import type { Store } from '../../src/store/database.js';
import { importCostCenters } from '../../src/app/import-cost-centers.js';
import { importGl } from '../../src/app/import-gl.js';
import { runItfmImport } from '../../src/app/itfm-import.js';
import { CostbridgeError } from '../../src/domain/costbridge-error.js';
import { glFormat } from '../../src/domain/itfm-rows.js';
import { upsertCostCenters } from '../../src/store/cost-centers.js';
import { itfmCounts, itfmFixture } from './itfm-fixtures.js';

describe.each(storeKinds)('ITFM import use cases on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  const request = (path: string) => ({ path, actor: 'test', surface: 'cli' as const });

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    await importCostCenters(store, request(itfmFixture('cost-centers.csv')));
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('rolls back the batch, the rows and the audit row when writing fails half way', async () => {
    const before = await itfmCounts(store);
    const failing = runItfmImport(store, request(itfmFixture('gl.csv')), {
      format: glFormat,
      nothing: {},
      fileErrors: () => [],
      storeErrors: async () => [],
      periods: () => ['2025-01-01'],
      async write(db) {
        const half = { code: 'HALF', name: 'Half written', parent_code: null, owner: null, legal_entity: null, chat_channel: null };
        await upsertCostCenters(db, [half], []);
        throw new Error('disk full');
      },
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(await itfmCounts(store)).toEqual(before);
  });

  it('returns a located INPUT_INVALID error for invalid rows', async () => {
    const path = itfmFixture('gl-hostile.csv');
    const error = await importGl(store, request(path)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CostbridgeError);
    expect((error as CostbridgeError).code).toBe('INPUT_INVALID');
    expect((error as CostbridgeError).details[0]).toBe(`${path}:3: period: is not a period (YYYY-MM): "2025-1"`);
  });

  it('lets only one of two concurrent imports of the same file in', async () => {
    const path = itfmFixture('gl.csv');
    const results = await Promise.all([importGl(store, request(path)), importGl(store, request(path))]);
    expect(results.map((r) => r.skipped).sort()).toEqual([false, true]);
    expect((await itfmCounts(store)).gl_actual).toBe(4);
  });
});
