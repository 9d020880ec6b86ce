import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { focusCsv, focusRows } from '../support/focus-csv.js';
import type { Store } from '../../src/store/database.js';

// An invalid row far into a file arrives after earlier rows are already streaming into COPY: the
// import must abort that COPY, roll back, and leave the connection usable.
describe.each(storeKinds)('an invalid row after COPY has started, on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-late-'));
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores nothing, reports the line, and the next import works', async () => {
    const rows = focusRows(6000, (i) => ({ BillingAccountId: 'LATE-1', ChargeDescription: `usage row ${i} `.padEnd(120, '.') }));
    rows[5999]!.BilledCost = 'oops';
    const bad = join(dir, 'late.csv');
    await writeFile(bad, focusCsv(rows));
    const run = await cli(tdb, 'import', 'focus', bad);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}:6001: BilledCost: is not a number: "oops"`);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cost_line`.execute(store.db);
    expect(count.rows[0]!.n).toBe(0);

    rows[5999]!.BilledCost = '1';
    const good = join(dir, 'fixed.csv');
    await writeFile(good, focusCsv(rows));
    const again = await cli(tdb, 'import', 'focus', good, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).rows).toBe(6000);
  });
});
