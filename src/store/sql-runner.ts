import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { RawSession } from './database.js';
import type { Database } from './tables.js';

/** Runs parameterised SQL text on a raw session or a kysely handle, so one query serves import and use cases. */
export interface SqlRunner {
  rows<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a statement and returns how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** A runner over kysely (a transaction, or the pool). */
export function kyselyRunner(db: Kysely<Database> | Transaction<Database>): SqlRunner {
  return {
    async rows<R>(text: string, params: readonly unknown[] = []) {
      return (await db.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows;
    },
    async run(text, params = []) {
      const r = await db.executeQuery(CompiledQuery.raw(text, [...params]));
      return Number(r.numAffectedRows ?? 0n);
    },
  };
}

/** A runner over a raw session (inside the FOCUS import's transaction). Row counts come from RETURNING. */
export function sessionRunner(s: RawSession): SqlRunner {
  return {
    rows: <R>(text: string, params?: readonly unknown[]) => s.query<R>(text, params),
    async run(text, params) {
      return (await s.query(text, params)).length;
    },
  };
}

/**
 * Runs `work` with planner or executor settings changed for the caller's transaction, then puts
 * back the values they had (nested calls compose). On a failure the caller's transaction rolls
 * back and takes them with it.
 */
export async function withLocalSettings<T>(runner: SqlRunner, settings: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T> {
  const names = Object.keys(settings);
  const [before] = await runner.rows<Record<string, string>>(
    `SELECT ${names.map((n, i) => `current_setting($${i + 1}) AS s${i}, set_config($${i + 1}, $${names.length + i + 1}, true)`).join(', ')}`,
    [...names, ...names.map((n) => settings[n]!)],
  );
  const result = await work();
  await runner.rows(`SELECT ${names.map((n, i) => `set_config($${i + 1}, $${names.length + i + 1}, true)`).join(', ')}`, [
    ...names,
    ...names.map((_, i) => before![`s${i}`]!),
  ]);
  return result;
}
