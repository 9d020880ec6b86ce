import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/test-stores.js';

const database = new URL('../../dist/store/database.js', import.meta.url).href;

/**
 * Runs `body` (module code with `openStore` in scope) in a process of its own that never calls
 * process.exit: it ends only when nothing is left holding its event loop. Returns how long after
 * printing "closed" it took to exit.
 */
function lingerAfterClose(body: string, env: Record<string, string> = {}): Promise<{ code: number | null; lingerMs: number; output: string }> {
  const script = `const { openStore } = await import(${JSON.stringify(database)});\n${body}\nprocess.stdout.write('closed\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let closedAt = 0;
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
    if (output.includes('closed')) closedAt ||= performance.now();
  });
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, lingerMs: closedAt ? performance.now() - closedAt : -1, output })));
}

// pg keeps an idle pooled connection (and the process) alive for 10 s; a process whose store
// closed everything exits at once. 3 s leaves room for a loaded machine and still fails a leak.
const noLinger = 3_000;

describe('closing the store ends every pool, connection, server and lock it opened', () => {
  let tdb: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'costbridge-close-'));
  });
  afterAll(async () => {
    await tdb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('PostgreSQL: a process that used only raw sessions (never kysely) exits right after close', async () => {
    const r = await lingerAfterClose(
      `const store = await openStore({ databaseUrl: process.env.DATABASE_URL });
       await store.session((s) => s.query('SELECT 1'));
       await store.close();`,
      { DATABASE_URL: tdb.env.DATABASE_URL! },
    );
    expect(r.output).toBe('closed\n');
    expect(r.code).toBe(0);
    expect(r.lingerMs).toBeLessThan(noLinger);
  });

  it('PostgreSQL: a pool kept warm (serve) holds its connections open, and close still ends them at once', async () => {
    const r = await lingerAfterClose(
      `const { default: pg } = await import('pg');
       const store = await openStore({ databaseUrl: process.env.DATABASE_URL });
       await store.keepWarm(4);
       const probe = new pg.Client({ connectionString: process.env.DATABASE_URL });
       await probe.connect();
       const count = async () => Number((await probe.query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'costbridge'")).rows[0].n);
       const warm = await count();
       await store.close();
       await new Promise((r) => setTimeout(r, 200));
       const after = await count();
       await probe.end();
       process.stdout.write(JSON.stringify({ warm, after }) + '\\n');`,
      { DATABASE_URL: tdb.env.DATABASE_URL! },
    );
    expect(r.output).toBe('{"warm":4,"after":0}\nclosed\n');
    expect(r.code).toBe(0);
    expect(r.lingerMs).toBeLessThan(noLinger);
  });

  it('PostgreSQL: kysely and sessions both used, close twice: exits right after', async () => {
    const r = await lingerAfterClose(
      `const store = await openStore({ databaseUrl: process.env.DATABASE_URL });
       await store.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
       await store.session((s) => s.query('SELECT 1'));
       await Promise.all([store.close(), store.close()]);`,
      { DATABASE_URL: tdb.env.DATABASE_URL! },
    );
    expect([r.output, r.code]).toEqual(['closed\n', 0]);
    expect(r.lingerMs).toBeLessThan(noLinger);
  });

  it('embedded, served to a local client meanwhile: exits right after close, leaving no lock', async () => {
    const r = await lingerAfterClose(
      `const { default: pg } = await import('pg');
       const store = await openStore({ dataDir: ${JSON.stringify(dir)} });
       await store.serveLocalClients();
       const c = new pg.Client({ host: ${JSON.stringify(dir)}, port: 5432, user: 'postgres', database: 'postgres' });
       await c.connect();
       await c.query('SELECT 1');
       await c.end();
       await store.close();`,
    );
    expect([r.output, r.code]).toEqual(['closed\n', 0]);
    expect(r.lingerMs).toBeLessThan(noLinger);
  });
});
