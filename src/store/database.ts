import { mkdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { dirname } from 'node:path';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { Kysely, PostgresDialect } from 'kysely';
import type { PoolClient, PoolConfig } from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type { Database } from './tables.js';
import { describeHolder, embeddedSocketPort, lockEmbeddedDirectory, type EmbeddedAddress, type EmbeddedLock, type LockHolder } from './embedded-lock.js';
import type { EmbeddedServer } from './embedded-server.js';
import { copyAsInsert } from './copy-as-insert.js';

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
  /**
   * Only on an embedded database opened by this process: serves it to other costbridge processes on
   * this machine until `close` (see embedded-server.ts) and returns where, for people to read.
   */
  serveLocalClients?(): Promise<string>;
  /** Set when this store reaches an embedded database through the process holding it: who that is. */
  readonly servedBy?: string;
  /**
   * Only on a connection pool: opens up to `connections` connections now and keeps that many open
   * while idle, for a long-running server whose first burst of requests should not wait for them.
   */
  keepWarm?(connections: number): Promise<void>;
  /** Ends every connection, pool, server and lock the store opened. */
  close(): Promise<void>;
}

/**
 * Where to open the store: a Postgres URL, a PGlite data directory, or an in-memory PGlite. For a
 * data directory, `opener` names the command for the lock file ("costbridge start") and `notice`
 * hears about a stale lock taken over.
 */
export type StoreLocation =
  | { databaseUrl: string }
  | { dataDir: string; opener?: string; notice?: (text: string) => void }
  | { memory: true };

const OID = { int8: 20, date: 1082, numeric: 1700 } as const;

/** Opens the store; the caller applies migrations (see `migrate`). */
export async function openStore(location: StoreLocation): Promise<Store> {
  return 'databaseUrl' in location ? openPostgres(location.databaseUrl) : openPglite(location);
}

// pg and pg-copy-streams load with the first Postgres connection: the embedded database opened in
// this process (npm start's default) never needs them.
let pg: typeof import('pg').default;
let copyFrom: typeof import('pg-copy-streams').from;
async function loadPg(): Promise<void> {
  if (pg) return;
  const [pgModule, copyStreams] = await Promise.all([import('pg'), import('pg-copy-streams')]);
  pg = pgModule.default;
  copyFrom = copyStreams.from;
}

async function openPostgres(databaseUrl: string): Promise<Store> {
  await loadPg();
  const url = new URL(databaseUrl);
  url.password = '';
  return pgStore(
    'postgres',
    `PostgreSQL at ${url.host}${url.pathname}`,
    { connectionString: databaseUrl, options: '-c TimeZone=UTC', max: 10 },
    (client) => pgSession(client),
  );
}

const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === OID.int8) return (v: string) => Number(v);
    if (oid === OID.date || oid === OID.numeric) return (v: string) => v;
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as typeof import('pg').types.getTypeParser,
};

/** A store over a `pg` pool; `close` ends the pool whether or not kysely ever used it. */
function pgStore(
  kind: Store['kind'],
  description: string,
  config: PoolConfig,
  sessionOf: (client: PoolClient) => RawSession,
  extra: { servedBy?: string } = {},
): Store {
  const pool = new pg.Pool({ application_name: 'costbridge', ...config, types: pgTypes });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed: Promise<void> | undefined;
  return {
    kind,
    description,
    db,
    ...extra,
    async keepWarm(connections) {
      const n = Math.max(0, Math.min(connections, config.max ?? 10));
      // pg-pool's `min`: idle connections up to it are not closed by the idle timeout (close() still ends them).
      (pool as unknown as { options: { min: number } }).options.min = n;
      const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
      for (const c of clients) c.release();
    },
    async session(fn) {
      const client = await pool.connect();
      try {
        const result = await fn(sessionOf(client));
        client.release();
        return result;
      } catch (e) {
        // A failure mid-COPY can leave the protocol out of step: drop the connection rather than reuse it.
        client.release(true);
        throw e;
      }
    },
    // Kysely ends the pool only if it used the pool itself: a command that used only sessions kept
    // an idle client, and with it the process, alive until the pool's idle timeout.
    close: () =>
      (closed ??= (async () => {
        try {
          await db.destroy();
        } finally {
          if (!pool.ended) await pool.end();
        }
      })()),
  };
}

function pgSession(client: PoolClient): RawSession {
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

/** Copies the install-time template into a data directory that holds no database yet. */
async function copyTemplateIfNew(dataDir: string): Promise<void> {
  const { copyEmbeddedTemplate, embeddedTemplate, holdsDatabase } = await import('./embedded-template.js');
  if (holdsDatabase(dataDir)) return;
  const template = await embeddedTemplate();
  if (template) await copyEmbeddedTemplate(template, dataDir);
}

// initdb writes Postgres's server defaults (128 MB of shared buffers, 100 connections), and PGlite
// allocates and zeroes all of that shared memory inside its WebAssembly heap at every open: ~1 s and
// ~110 MB of a fresh `npm start`. PGlite runs one backend, and its data files are the operating
// system's files (cached by it), so a small buffer pool loses nothing: importing 300,000 FOCUS lines
// and reporting on them measured as fast or faster with 16 MB, at 75-125 MB less peak memory.
const pgliteSettings = ['shared_buffers=16MB', 'max_connections=10'];

async function openPglite(
  location: { dataDir: string; opener?: string; notice?: (text: string) => void } | { memory: true },
): Promise<Store> {
  let held: EmbeddedLock | undefined;
  const dataDir = 'dataDir' in location ? location.dataDir : undefined;
  if ('dataDir' in location) {
    mkdirSync(location.dataDir, { recursive: true });
    const outcome = await lockEmbeddedDirectory(location.dataDir, location.opener ?? 'a costbridge process', location.notice ?? (() => undefined));
    if ('heldBy' in outcome) {
      if (outcome.heldBy.serves) return openEmbeddedClient(location.dataDir, outcome.heldBy, outcome.heldBy.serves);
      throw new CostbridgeError('CONFLICT', describeHolder(location.dataDir, outcome.heldBy, outcome.path));
    }
    held = outcome.lock;
  }
  // V8 compiles PGlite's 10 MB of WebAssembly with its baseline compiler, then recompiles the
  // functions that run often with its optimizing one on background threads. For Postgres's code that
  // recompilation costs more than it saves: without it a fresh `npm start` measured ~1.5-2.5 s less
  // CPU and ~60 MB less memory, and importing 100,000 FOCUS lines ~10% less CPU. Set before PGlite
  // compiles its module; only the embedded engine's WebAssembly is affected.
  setFlagsFromString('--liftoff-only');
  let pglite: PGlite;
  let Dialect: typeof import('kysely-pglite-dialect').PGliteDialect;
  try {
    // A new data directory starts as a copy of the template built at install (initdb and migrations
    // done), copied while the engine loads.
    const copied = dataDir ? copyTemplateIfNew(dataDir).then(() => undefined, (e: unknown) => ({ failed: e })) : undefined;
    // Loaded on demand: the embedded engine weighs ~80 MB that a Postgres deployment never needs.
    const [{ PGlite }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
    Dialect = PGliteDialect;
    const copy = await copied;
    if (copy) throw copy.failed;
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      startParams: [...PGlite.defaultStartParams, ...pgliteSettings.flatMap((setting) => ['-c', setting])],
      parsers: { [OID.int8]: (v: string) => Number(v), [OID.date]: (v: string) => v, [OID.numeric]: (v: string) => v },
    });
  } catch (e) {
    held?.release();
    throw e;
  }
  await pglite.exec(`SET TimeZone = 'UTC'`);
  const db = new Kysely<Database>({ dialect: new Dialect(pglite) });
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
  let server: EmbeddedServer | undefined;
  let closed: Promise<void> | undefined;
  const serveLocalClients = async (): Promise<string> => {
    if (!server) {
      const { serveEmbedded } = await import('./embedded-server.js');
      server = await serveEmbedded(pglite, db, dataDir!);
      held!.setServes(server.address);
    }
    return 'path' in server.address ? server.address.path : `${server.address.host}:${server.address.port}`;
  };
  return {
    kind: 'pglite',
    description: dataDir ? `embedded PGlite database in ${dataDir}` : 'in-memory PGlite database',
    db,
    // Holding a kysely connection takes the dialect's lock, so no other query interleaves.
    session: (fn) => db.connection().execute(() => fn(session)),
    ...(held ? { serveLocalClients } : {}),
    close: () =>
      (closed ??= (async () => {
        try {
          if (server) {
            held?.setServes(undefined);
            await server.close();
          }
          await db.destroy();
        } finally {
          held?.release();
        }
      })()),
  };
}

/**
 * The embedded database through the process that holds it and serves it (`costbridge start` or
 * `serve`): the Postgres protocol over its socket, on one connection (the serving process gives a
 * connected client the whole database until it disconnects, so a second connection would wait for
 * the first).
 */
async function openEmbeddedClient(dataDir: string, holder: LockHolder, address: EmbeddedAddress): Promise<Store> {
  const where = 'path' in address ? { host: dirname(address.path), port: embeddedSocketPort } : { host: address.host, port: address.port };
  const servedBy = `${holder.command} (process ${holder.pid})`;
  await loadPg();
  const store = pgStore(
    'pglite',
    `embedded PGlite database in ${dataDir}, through the running ${servedBy}`,
    { ...where, user: 'postgres', database: 'postgres', max: 1 },
    (client) => ({
      ...pgSession(client),
      // COPY data cannot be streamed through the serving process: the same rows go in as INSERTs.
      copyIn: (table, columns) => copyAsInsert(async (sql, params) => (await client.query(sql, params ? [...params] : undefined)).rows, table, columns),
    }),
    { servedBy },
  );
  try {
    await store.session((s) => s.query('SELECT 1'));
  } catch (e) {
    await store.close().catch(() => undefined);
    const reason = (e as { code?: string }).code ?? (e as Error).message;
    const at = 'path' in address ? address.path : `${address.host}:${address.port}`;
    throw new CostbridgeError(
      'CONFLICT',
      `the embedded database in ${dataDir} is held by ${servedBy}, which did not answer on ${at} (${reason}); stop it (Ctrl-C in its terminal, or kill ${holder.pid}) and try again`,
    );
  }
  return store;
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
