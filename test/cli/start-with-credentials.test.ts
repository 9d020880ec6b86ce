import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';

// Demo and real never mix: with real chat credentials, `npm start` on an empty database does not
// fill it with invented numbers (they would reach real channels) unless asked to with --demo.
describe.each(storeKinds)('npm start with Slack credentials on %s', (kind) => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    if (kind === 'postgres') tdb.env.COSTBRIDGE_DATA_DIR = (await import('node:os')).tmpdir() + `/costbridge-start-creds-${process.pid}`;
    Object.assign(tdb.env, { SLACK_BOT_TOKEN: 'xoxb-1-real-looking', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: 'http://127.0.0.1:9/api/' });
  });
  afterAll(() => tdb.drop());
  const lines = async () => Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM cost_line`.execute((await tdb.shared()).db)).rows[0]!.n);

  it('does not load the demo data into an empty database, and says how to import real data', async () => {
    const run = await cli(tdb, 'start', '--once');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('SYNTHETIC DEMO DATA');
    expect(run.stdout).toContain('so no demo data was loaded');
    expect(run.stdout).toContain('npx costbridge import cost-centers cost-centers.csv');
    expect(run.stdout).toContain('npx costbridge import focus EXPORT.csv');
    expect(run.stdout).toContain('npm start -- --demo');
    expect(run.stdout).toContain('Slack: on, HTTP endpoint POST /slack/events');
    expect(await lines()).toBe(0);
  });

  it('loads it with --demo, with no channel ids on the demo cost centers', async () => {
    const run = await cli(tdb, 'start', '--demo', '--as-of', '2026-09-15', '--once');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('SYNTHETIC DEMO DATA');
    expect(await lines()).toBeGreaterThan(0);
    const channels = await sql<{ n: string }>`SELECT count(*)::text AS n FROM cost_center WHERE coalesce(chat_channel, '') <> ''`.execute((await tdb.shared()).db);
    expect(channels.rows[0]!.n).toBe('0');
  });
});
