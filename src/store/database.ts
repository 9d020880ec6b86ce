import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PGlite } from '@electric-sql/pglite';
import type { Database } from './tables.js';

/** A COPY ... FROM STDIN in progress: text-format rows are written to it in chunks. */
export interface CopyIn {
  write(chunk: string | Uint8Array): Promise<void>;
  end(): Promise<void>;
}

/** One exclusive database connection, for work kysely cannot express (COPY, DDL scripts, locks). */
export interface RawSession {
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Starts `COPY table (columns) FROM STDIN` in PostgreSQL text format. */
  copyIn(table: string, columns: readonly string[]): CopyIn;
}

/** The database costbridge keeps its records in: real Postgres, or embedded PGlite. */
export interface Store {
  readonly kind: 'postgres' | 'pglite';
  /** Where the data lives, without credentials, for people to read. */
  readonly description: string;
  readonly db: Kysely<Database>;
  /** Runs `fn` on one connection that nobody else uses meanwhile. */
  session<T>(fn: (s: RawSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Where to open the store: a Postgres URL, a PGlite data directory, or an in-memory PGlite. */
export type StoreLocation = { databaseUrl: string } | { dataDir: string } | { memory: true };

const OID = { int8: 20, date: 1082, numeric: 1700 } as const;

/** Opens the store; the caller applies migrations (see `migrate`). */
export async function openStore(location: StoreLocation): Promise<Store> {
  return 'databaseUrl' in location ? openPostgres(location.databaseUrl) : openPglite(location);
}

function openPostgres(databaseUrl: string): Store {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    application_name: 'costbridge',
    options: '-c TimeZone=UTC',
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === OID.int8) return (v: string) => Number(v);
        if (oid === OID.date || oid === OID.numeric) return (v: string) => v;
        return pg.types.getTypeParser(oid, format ?? 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const url = new URL(databaseUrl);
  url.password = '';
  return {
    kind: 'postgres',
    description: `PostgreSQL at ${url.host}${url.pathname}`,
    db,
    async session(fn) {
      const client = await pool.connect();
      try {
        const result = await fn(pgSession(client));
        client.release();
        return result;
      } catch (e) {
        // A failure mid-COPY can leave the protocol out of step: drop the connection rather than reuse it.
        client.release(true);
        throw e;
      }
    },
    close: () => db.destroy(),
  };
}

function pgSession(client: pg.PoolClient): RawSession {
  // A COPY left open (an import that failed mid-stream) would make every later query on this
  // connection wait forever, ROLLBACK included: any other statement aborts it first.
  let openCopy: { abort(): Promise<void> } | undefined;
  const settle = async () => {
    if (openCopy) await openCopy.abort();
  };
  return {
    async exec(sql) {
      await settle();
      await client.query(sql);
    },
    async query(sql, params) {
      await settle();
      const result = await client.query(sql, params ? [...params] : undefined);
      return result.rows;
    },
    copyIn(table, columns) {
      const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
      let failure: Error | undefined;
      stream.on('error', (e: Error) => (failure ??= e));
      const copy = {
        async write(chunk: string | Uint8Array) {
          if (failure) throw failure;
          if (!stream.write(chunk)) await waitFor(stream, 'drain');
          if (failure) throw failure;
        },
        async end() {
          if (failure) throw failure;
          stream.end();
          await waitFor(stream, 'finish');
          openCopy = undefined;
          if (failure) throw failure;
        },
        async abort() {
          openCopy = undefined;
          if (stream.destroyed) return;
          // destroy() sends CopyFail; the server answers with an error and the connection is usable again.
          const closed = waitFor(stream, 'close');
          stream.destroy(new Error('COPY aborted'));
          await closed;
        },
      };
      openCopy = copy;
      return copy;
    },
  };
}

/** Resolves on `event`, or on 'error'/'close' (the caller inspects the failure it recorded). */
function waitFor(stream: NodeJS.EventEmitter, event: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off(event, done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on(event, done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

const pgliteCopyChunkChars = 8 << 20;

async function openPglite(location: { dataDir: string } | { memory: true }): Promise<Store> {
  const dataDir = 'dataDir' in location ? location.dataDir : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  // Loaded on demand: the embedded engine weighs ~80 MB that a Postgres deployment never needs.
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      parsers: { [OID.int8]: (v: string) => Number(v), [OID.date]: (v: string) => v, [OID.numeric]: (v: string) => v },
    });
  } catch (e) {
    unlock();
    throw e;
  }
  await pglite.exec(`SET TimeZone = 'UTC'`);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  const session: RawSession = {
    async exec(sql) {
      await pglite.exec(sql);
    },
    async query(sql, params) {
      const result = await pglite.query(sql, params ? [...params] : undefined);
      return result.rows as never[];
    },
    copyIn(table, columns) {
      // PGlite has no COPY FROM STDIN; it reads a Blob through the virtual /dev/blob file, so rows
      // are sent in bounded chunks, each its own COPY statement.
      const sql = `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`;
      let parts: (string | Uint8Array)[] = [];
      let size = 0;
      const flush = async () => {
        if (size === 0) return;
        const blob = new Blob(parts);
        parts = [];
        size = 0;
        await pglite.query(sql, [], { blob });
      };
      return {
        async write(chunk) {
          parts.push(chunk);
          size += chunk.length;
          if (size >= pgliteCopyChunkChars) await flush();
        },
        end: flush,
      };
    },
  };
  return {
    kind: 'pglite',
    description: dataDir ? `embedded PGlite database in ${dataDir}` : 'in-memory PGlite database',
    db,
    // Holding a kysely connection takes the dialect's lock, so no other query interleaves.
    session: (fn) => db.connection().execute(() => fn(session)),
    async close() {
      try {
        await db.destroy();
      } finally {
        unlock();
      }
    },
  };
}

/**
 * PGlite keeps state in memory: two instances on one directory would each overwrite the other's
 * writes. A lock file holding the owner's pid refuses a second opener; a dead owner's lock is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'costbridge.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (owner === process.pid) {
        throw new CostbridgeError('CONFLICT', `the embedded database in ${dataDir} is already open in this process`);
      }
      if (owner > 0 && isAlive(owner)) {
        throw new CostbridgeError(
          'CONFLICT',
          `the embedded database in ${dataDir} is in use by process ${owner} (a running costbridge?); stop it first, or set DATABASE_URL to share a PostgreSQL database`,
        );
      }
      unlinkSync(path);
    }
  }
  throw new CostbridgeError('CONFLICT', `cannot lock the embedded database in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Runs `fn` inside BEGIN ... COMMIT on a raw session, rolling back on any error. */
export async function inTransaction<T>(s: RawSession, fn: () => Promise<T>): Promise<T> {
  await s.exec('BEGIN');
  try {
    const result = await fn();
    await s.exec('COMMIT');
    return result;
  } catch (e) {
    await s.exec('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
