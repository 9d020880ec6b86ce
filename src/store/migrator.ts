import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { inTransaction, type RawSession, type Store } from './database.js';

const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));
// Any constant works; it only has to be the same for every costbridge process on one database.
const migrationLockKey = 7_265_301;

/** Names of the migration files in `migrations/`, in the order they apply. */
export async function migrationNames(): Promise<string[]> {
  return (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
}

/**
 * Applies pending migrations in order, each in its own transaction, recording them in
 * `schema_migration`. Concurrent processes on one Postgres database wait for each other.
 * Returns the names applied now.
 */
export async function migrate(store: Store): Promise<string[]> {
  return store.session(async (s) => {
    if (store.kind === 'postgres') await s.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    try {
      return await applyPending(s);
    } finally {
      if (store.kind === 'postgres') await s.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]);
    }
  });
}

async function applyPending(s: RawSession): Promise<string[]> {
  await s.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied = new Set((await s.query<{ name: string }>('SELECT name FROM schema_migration')).map((r) => r.name));
  const known = await migrationNames();
  const unknown = [...applied].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `the database has migrations this version of costbridge does not know (${unknown.join(', ')}); upgrade costbridge`,
    );
  }
  const done: string[] = [];
  for (const name of known) {
    if (applied.has(name)) continue;
    const sql = await readFile(`${migrationsDir}${name}`, 'utf8');
    await inTransaction(s, async () => {
      await s.exec(sql);
      await s.query('INSERT INTO schema_migration (name) VALUES ($1)', [name]);
    });
    done.push(name);
  }
  return done;
}
