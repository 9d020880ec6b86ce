import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { storeKinds } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { useTestWorkspace } from '../support/test-workspace.js';
import { focusCsv, focusRows } from '../support/focus-csv.js';

// An invalid row far into a file arrives after earlier rows are already streaming into COPY: the
// import must abort that COPY, roll back, and leave the connection usable.
describe.each(storeKinds)('an invalid row after COPY has started, on %s', (kind) => {
  const ws = useTestWorkspace(kind);

  it('stores nothing, reports the line, and the next import works', async () => {
    const rows = focusRows(6000, (i) => ({ BillingAccountId: 'LATE-1', ChargeDescription: `usage row ${i} `.padEnd(120, '.') }));
    rows[5999]!.BilledCost = 'oops';
    const bad = join(ws.dir, 'late.csv');
    await writeFile(bad, focusCsv(rows));
    const run = await cli(ws.tdb, 'import', 'focus', bad);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}:6001: BilledCost: is not a number: "oops"`);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cost_line`.execute(ws.store.db);
    expect(count.rows[0]!.n).toBe(0);

    rows[5999]!.BilledCost = '1';
    const good = join(ws.dir, 'fixed.csv');
    await writeFile(good, focusCsv(rows));
    const again = await cli(ws.tdb, 'import', 'focus', good, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).rows).toBe(6000);
  });
});
