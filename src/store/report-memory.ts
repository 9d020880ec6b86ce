import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './tables.js';

/**
 * Memory one aggregation of a report may use before spilling (Postgres `work_mem`). The server's
 * default (4MB) makes a grouping over a few hundred thousand rollup rows sort on disk instead of
 * hashing in memory, which took half of an all-scopes variance; 64MB keeps it in memory and is
 * only taken for the duration of the statement that needs it.
 */
const reportWorkMem = '64MB';

/**
 * Runs `read` in a transaction whose aggregations may hash in memory (`SET LOCAL work_mem`), so the
 * setting never leaks into the pool. Inside an existing transaction it runs there, as the caller
 * set it up.
 */
export async function withReportMemory<T>(db: Kysely<Database> | Transaction<Database>, read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return read(db);
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL work_mem = ${sql.lit(reportWorkMem)}`.execute(trx);
    return read(trx);
  });
}
