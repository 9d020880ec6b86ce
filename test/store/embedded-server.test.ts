import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/database.js';
import { decodeCopyCell } from '../../src/store/copy-as-insert.js';

describe('the embedded database served to local clients', () => {
  let dir: string;
  let store: Store;
  let where: string;
  // One embedded database for the file (creating one takes seconds); each case has its own table.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'costbridge-served-'));
    store = await openStore({ dataDir: dir, opener: 'costbridge start' });
    await sql`CREATE TABLE t (n int)`.execute(store.db);
    where = await store.serveLocalClients!();
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = () => new pg.Client({ host: dir, port: 5432, user: 'postgres', database: 'postgres' });
  const rows = async () => (await sql<{ n: number }>`SELECT n FROM t ORDER BY n`.execute(store.db)).rows.map((r) => r.n);

  it('listens on an owner-only socket in the data directory, recorded in the lock file', async () => {
    expect(where).toBe(join(dir, '.s.PGSQL.5432'));
    expect(statSync(where).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'costbridge.lock'), 'utf8'))).toMatchObject({ pid: process.pid, command: 'costbridge start', serves: { path: where } });
  });

  it('gives a connected client the whole database until it disconnects: another client and local work wait their turn, nothing interleaves', async () => {
    const events: string[] = [];
    const a = client();
    await a.connect();
    await a.query('BEGIN');
    await a.query('INSERT INTO t VALUES (1)');

    const b = client();
    const bDone = b
      .connect()
      .then(() => b.query('INSERT INTO t VALUES (2)'))
      .then(() => events.push('b inserted'));
    await sleep(100);
    const local = rows().then((r) => {
      events.push('local read');
      return r;
    });
    await sleep(300);
    expect(events).toEqual([]);

    // Still in a's transaction: its own statements run, nobody else's.
    await a.query('INSERT INTO t VALUES (3)');
    expect((await a.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(2);
    await a.query('ROLLBACK');
    await a.end();
    events.push('a gone');
    await bDone;
    await sleep(200);
    expect(events).toEqual(['a gone', 'b inserted']);
    await b.end();
    expect(await local).toEqual([2]);
    expect(events).toEqual(['a gone', 'b inserted', 'local read']);
  });

  it('rolls back what a client left open when it disappears, and serves the next one', async () => {
    await sql`DELETE FROM t`.execute(store.db);
    const a = client();
    a.on('error', () => undefined);
    await a.connect();
    await a.query('BEGIN');
    await a.query('INSERT INTO t VALUES (5)');
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect(await rows()).toEqual([]);
    const b = client();
    await b.connect();
    await b.query('INSERT INTO t VALUES (6)');
    await b.end();
    await sql`INSERT INTO t VALUES (7)`.execute(store.db);
    expect(await rows()).toEqual([6, 7]);
  });

  it('disconnects its clients, removes the socket and releases the lock on close', async () => {
    const a = client();
    a.on('error', () => undefined);
    await a.connect();
    const ended = new Promise((resolve) => a.once('end', resolve));
    await store.close();
    await ended;
    expect(existsSync(where)).toBe(false);
    expect(existsSync(join(dir, 'costbridge.lock'))).toBe(false);
  });
});

describe('COPY text cells carried as INSERT values', () => {
  it('decodes nulls and backslash escapes as PostgreSQL reads them', () => {
    expect(['\\N', '', 'plain', 'a\\tb', 'a\\nb\\rc', 'back\\\\slash', '\\x41\\102', '\\N\\N', 'x\\qy'].map(decodeCopyCell)).toEqual([
      null, '', 'plain', 'a\tb', 'a\nb\rc', 'back\\slash', 'AB', 'NN', 'xqy',
    ]);
  });
});
