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

  it('loads the labelled demo data into an empty database and prints the weekly digest with the CLI equivalent of each button', async () => {
    const run = await cli(tdb, 'start', '--as-of', '2026-09-15', '--once');
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SYNTHETIC DEMO DATA');
    expect(run.stdout).toContain('Loaded 5000 FOCUS rows');
    expect(run.stdout).toContain('Weekly review · 2026-09 to date [DEMO DATA]');
    expect(run.stdout).toContain('Data through 2026-09-14 (every figure)');
    expect(run.stdout).toMatch(/Effective \(amortized\), to date: +USD [\d,]+\.\d\d/);
    expect(run.stdout).toMatch(/Billed \(invoiced\), to date: +USD [\d,]+\.\d\d/);
    expect(run.stdout).toMatch(/── in the thread \(2 of 3\) ──\n\nUnattributed spend · USD [\d,]+\.\d\d effective/);
    expect(run.stdout).toContain('[Classify] npx costbridge contracts apply CONTRACT.yaml --as YOU');
    expect(run.stdout).toContain('Connect Slack and Microsoft Teams');
    // Nobody is admin yet: the one command that makes the first admin.
    expect(run.stdout).toContain('Nobody is admin yet.');
    expect(run.stdout).toContain('  npx costbridge people add YOUR-EMAIL --role admin --as YOUR-EMAIL');
    expect(run.stdout).toContain('Review cadences: weekly-digest (weekly-digest, "0 9 * * 1" UTC)');
  });

  it('does not load the demo twice, and prints the same digest review run --dry-run prints', async () => {
    const run = await cli(tdb, 'start', '--as-of', '2026-09-15', '--once');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('SYNTHETIC DEMO DATA set');
    const dry = await cli(tdb, 'review', 'run', 'weekly-digest', '--dry-run', '--at', '2026-09-15T23:59:00Z');
    expect(dry.code).toBe(0);
    const section = (text: string) => text.slice(text.indexOf('Weekly review'), text.indexOf('Since the last review'));
    expect(section(dry.stdout)).toBe(section(run.stdout));
    expect(section(dry.stdout).length).toBeGreaterThan(500);
  });
});
