import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';

describe.each(storeKinds)('npm start (costbridge start) on %s', (kind) => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    // The demo files go under the data directory; give Postgres runs one too.
    if (kind === 'postgres') tdb.env.COSTBRIDGE_DATA_DIR = (await import('node:os')).tmpdir() + `/costbridge-start-${process.pid}`;
  });
  afterAll(() => tdb.drop());

  it('loads the labelled demo data into an empty database and shows the latest month on both bases', async () => {
    const run = await cli(tdb, 'start', '--as-of', '2026-09-15');
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SYNTHETIC DEMO DATA');
    expect(run.stdout).toContain('Loaded 5000 FOCUS rows');
    expect(run.stdout).toContain('2026-09 by provider, EffectiveCost (amortized) [DEMO DATA]');
    expect(run.stdout).toContain('2026-09 by provider, BilledCost (invoiced) [DEMO DATA]');
    expect(run.stdout).toMatch(/\(unattributed\)\s+USD [\d,]+\.\d\d/);
  });

  it('does not load the demo twice', async () => {
    const run = await cli(tdb, 'start');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('SYNTHETIC DEMO DATA');
    expect(run.stdout).toContain('2026-09 by provider, EffectiveCost (amortized) [DEMO DATA]\n');
  });
});
