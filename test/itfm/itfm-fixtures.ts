import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Store } from '../../src/store/database.js';

/** The absolute path of a fixture in test/fixtures/itfm. */
export function itfmFixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/itfm/${name}`, import.meta.url));
}

/** The sha256 of a file's bytes, as an import batch records it. */
export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The detail lines of a failed CLI run (`  file:line: column: reason`), without their indent. */
export function errorDetails(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('  '))
    .map((l) => l.slice(2));
}

/** Row counts of the tables an ITFM import writes, to show that a failed one wrote nothing. */
export async function itfmCounts(store: Store): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`
    SELECT (SELECT count(*)::int FROM cost_center) AS cost_center,
           (SELECT count(*)::int FROM budget_line) AS budget_line,
           (SELECT count(*)::int FROM gl_actual) AS gl_actual,
           (SELECT count(*)::int FROM import_batch) AS import_batch,
           (SELECT count(*)::int FROM audit_log) AS audit_log`.execute(store.db);
  return rows[0]!;
}

/** The audit row written for an import batch. */
export async function auditOfBatch(store: Store, batchId: number) {
  return store.db
    .selectFrom('audit_log')
    .select(['actor', 'surface', 'action', 'subject_type', 'subject_id', 'before', 'after'])
    .where('subject_type', '=', 'import_batch')
    .where('subject_id', '=', String(batchId))
    .execute();
}

/** The import batch row of an id. */
export async function batchRow(store: Store, batchId: number) {
  return store.db
    .selectFrom('import_batch')
    .select(['kind', 'file_name', 'sha256', 'format', 'rows', 'billing_periods', 'warnings', 'imported_by', 'surface'])
    .where('id', '=', batchId)
    .executeTakeFirstOrThrow();
}
