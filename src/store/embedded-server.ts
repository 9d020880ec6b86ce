import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import type { Kysely } from 'kysely';
import { embeddedSocketPort, type EmbeddedAddress } from './embedded-lock.js';
import type { Database } from './tables.js';

/** The embedded database served to other local processes. */
export interface EmbeddedServer {
  readonly address: EmbeddedAddress;
  /** Disconnects every client (rolling back what they left open) and stops listening. */
  close(): Promise<void>;
}

const socketName = `.s.PGSQL.${embeddedSocketPort}`;
// sun_path holds 104 (macOS) to 108 (Linux) bytes; a longer data directory path falls back to TCP.
const maxSocketPath = 100;

/**
 * Serves the embedded database to other costbridge processes on this machine over the Postgres
 * protocol (pglite-socket's per-connection protocol handler): a Unix socket in the data directory
 * (owner-only), or 127.0.0.1 on a free port where Unix sockets are not available.
 *
 * PGlite has one session. pglite-socket's own server interleaves clients message by message, which
 * mixes two clients' extended-query sequences and runs a client's statements inside this process's
 * open transactions. Here a connected client instead holds the whole database for as long as it is
 * connected, exactly as this process's own work does (kysely's single PGlite connection): clients and
 * local work take turns, first come first served, and nothing interleaves. CLI commands connect with
 * one connection and disconnect when they finish.
 */
export async function serveEmbedded(pglite: PGlite, db: Kysely<Database>, dataDir: string): Promise<EmbeddedServer> {
  const turns = new ClientTurns(pglite, db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = createServer((socket: Socket) => {
    const handler = new PGLiteSocketHandler({ queryQueue: turns as unknown as PGLiteSocketHandlerOptions['queryQueue'], closeOnDetach: true });
    handlers.add(handler);
    handler.addEventListener('close', () => handlers.delete(handler));
    handler.addEventListener('error', () => handlers.delete(handler));
    handler.attach(socket).catch(() => socket.destroy());
  });
  // Absolute: a client given a relative directory would take it for a host name.
  const socketPath = resolve(dataDir, socketName);
  const useSocket = process.platform !== 'win32' && socketPath.length <= maxSocketPath;
  let address: EmbeddedAddress;
  if (useSocket) {
    // This process holds the directory's lock: a socket file left here is a dead holder's.
    try {
      unlinkSync(socketPath);
    } catch {
      // none
    }
    await listen(server, () => server.listen(socketPath));
    chmodSync(socketPath, 0o600);
    address = { path: socketPath };
  } else {
    await listen(server, () => server.listen(0, '127.0.0.1'));
    const a = server.address();
    address = { host: '127.0.0.1', port: typeof a === 'object' && a ? a.port : 0 };
  }
  return {
    address,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...handlers].map((h) => h.detach(true)));
      handlers.clear();
      await closed;
      if (useSocket) {
        try {
          unlinkSync(socketPath);
        } catch {
          // already gone
        }
      }
    },
  };
}

function listen(server: Server, start: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
    start();
  });
}

/**
 * The queue pglite-socket's handler feeds each protocol message to (its `queryQueue`): a message
 * runs only while its client holds the database, which it takes on its first message (the startup
 * packet) and gives back when it disconnects.
 */
class ClientTurns {
  #holder: { readonly id: number; readonly release: () => void } | undefined;
  readonly #pending = new Map<number, Promise<void>>();
  readonly #gone = new Set<number>();

  constructor(
    private readonly pglite: PGlite,
    private readonly db: Kysely<Database>,
  ) {}

  async enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    await this.#turn(handlerId);
    let bytes = 0;
    await this.pglite.runExclusive(() =>
      this.pglite.execProtocolRawStream(message, {
        onRawData: (data) => {
          bytes += data.length;
          onData(data);
        },
      }),
    );
    return bytes;
  }

  /** Called when a client disconnects: it will not get a turn it was still waiting for. */
  clearQueueForHandler(handlerId: number): void {
    if (this.#pending.has(handlerId)) this.#gone.add(handlerId);
  }

  /** Called when a client disconnects: ends what it left open and gives the database back. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    const holder = this.#holder;
    if (holder?.id !== handlerId) return;
    this.#holder = undefined;
    try {
      // A client gone mid-sequence may leave an extended query unsynced or a transaction open.
      await this.pglite.runExclusive(() => this.pglite.execProtocolRaw(sync));
      if (this.pglite.isInTransaction()) await this.pglite.exec('ROLLBACK');
    } catch {
      // the next user starts from whatever state PGlite reports; nothing more can be done here
    } finally {
      holder.release();
    }
  }

  getQueueLength(): number {
    return this.#pending.size;
  }

  #turn(handlerId: number): Promise<void> {
    if (this.#holder?.id === handlerId) return Promise.resolve();
    let pending = this.#pending.get(handlerId);
    if (!pending) {
      pending = this.#take(handlerId).finally(() => {
        this.#pending.delete(handlerId);
        this.#gone.delete(handlerId);
      });
      this.#pending.set(handlerId, pending);
    }
    return pending;
  }

  #take(handlerId: number): Promise<void> {
    return new Promise<void>((granted, refused) => {
      // Holding kysely's one PGlite connection keeps this process's own queries waiting too.
      this.db
        .connection()
        .execute(
          () =>
            new Promise<void>((release) => {
              if (this.#gone.has(handlerId)) {
                release();
                refused(new Error('client disconnected before its turn'));
                return;
              }
              this.#holder = { id: handlerId, release };
              granted();
            }),
        )
        .catch(refused);
    });
  }
}

// The Sync message: ends any extended-query sequence a client left behind.
const sync = new Uint8Array([0x53, 0, 0, 0, 4]);
