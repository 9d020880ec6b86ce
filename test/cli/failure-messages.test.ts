import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli.js';
import { describeFailure, scrubSecrets } from '../../src/cli/failure-message.js';
import { createTestDatabase, type TestDatabase } from '../support/test-stores.js';

/** Runs the CLI in-process with exactly this environment. */
async function run(env: Record<string, string>, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'costbridge', ...args], { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`) }, env);
  return { code, stdout, stderr };
}

const stackLine = /^\s+at /m;

describe('one line per failure, never a stack trace (LOG_LEVEL=debug adds it)', () => {
  let tdb: TestDatabase;
  let server: URL;
  let scratch: string;
  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    server = new URL(tdb.env.DATABASE_URL!);
    scratch = mkdtempSync(join(tmpdir(), 'costbridge-failures-'));
  });
  afterAll(async () => {
    await tdb.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const withUser = (user: string, password: string) => {
    const u = new URL(server);
    u.username = user;
    u.password = password;
    return u.toString();
  };

  it('a database role that does not exist: names the server and DATABASE_URL, scrubs the password', async () => {
    const r = await run({ DATABASE_URL: withUser('nosuchrole', 's3cret-pw') }, 'report', 'spend', '--period', '2026-09');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `costbridge: PostgreSQL at ${server.hostname}:${server.port || '5432'}${server.pathname} refused costbridge: role "nosuchrole" does not exist (check the user, password and database name in DATABASE_URL)\n`,
    );
    const debug = await run({ DATABASE_URL: withUser('nosuchrole', 's3cret-pw'), LOG_LEVEL: 'debug' }, 'report', 'spend', '--period', '2026-09');
    expect(debug.stderr).toMatch(stackLine);
    expect(debug.stderr).not.toContain('s3cret-pw');
  });

  it('an unreachable DATABASE_URL: one line naming it', async () => {
    const r = await run({ DATABASE_URL: 'postgres://someone:hunter22@127.0.0.1:1/costs' }, 'migrate');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('costbridge: cannot reach PostgreSQL at 127.0.0.1:1/costs (ECONNREFUSED 127.0.0.1:1); check DATABASE_URL and that the server is running\n');
  });

  it('a bad argument or setting: one line naming it', async () => {
    const period = await run(tdb.env, 'report', 'spend', '--period', '2026-13');
    expect([period.code, period.stderr]).toEqual([1, 'costbridge: --period must be a month like 2024-09, got "2026-13"\n']);
    const missing = await run(tdb.env, 'report', 'spend');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: required option '--period <YYYY-MM>' not specified");
    const setting = await run({ DATABASE_URL: 'mysql://x/y' }, 'report', 'spend', '--period', '2026-09');
    expect(setting.code).toBe(1);
    expect(setting.stderr).toContain('DATABASE_URL: must start with postgres:// or postgresql://');
    for (const r of [period, missing, setting]) expect(r.stderr).not.toMatch(stackLine);
  });

  it('an unreadable file or a directory given as a file: one line naming it', async () => {
    const gone = join(scratch, 'nope.csv');
    const missing = await run(tdb.env, 'import', 'cost-centers', gone);
    expect([missing.code, missing.stderr]).toEqual([1, `costbridge: ${gone}: no such file\n`]);
    const dir = await run(tdb.env, 'import', 'cost-centers', scratch);
    expect([dir.code, dir.stderr]).toEqual([1, `costbridge: ${scratch}: is a directory, not a file\n`]);
  });

  it('serve on a port already in use: one line naming PORT', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = await run({ ...tdb.env, PORT: String(port) }, 'serve');
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n').at(-1)).toBe(`costbridge: cannot listen on port ${port}: it is already in use (set PORT to another port)`);
      expect(r.stderr).not.toMatch(stackLine);
    } finally {
      busy.close();
    }
  });

  it('anything unexpected: its message, no stack; passwords scrubbed from any URL', () => {
    expect(describeFailure(new TypeError('x is not a function'))).toEqual(['unexpected failure: TypeError: x is not a function (LOG_LEVEL=debug prints where it happened)']);
    expect(scrubSecrets('connect postgres://ann:pa55word@db:5432/x and https://u:t0ken@example.com/')).toBe('connect postgres://ann:***@db:5432/x and https://u:***@example.com/');
    expect(describeFailure(new Error('bad thing with pa55word inside'), { databaseUrl: 'postgres://ann:pa55word@db/x' })).toEqual([
      'unexpected failure: bad thing with *** inside (LOG_LEVEL=debug prints where it happened)',
    ]);
  });
});
