import { sql, type Kysely } from 'kysely';
import type { Surface } from './audit-log.js';
import type { Database } from './tables.js';

/** The ITFM import kinds, in a fixed order: the position keys the per-kind import lock. */
const itfmKinds = ['cost-centers', 'budgets', 'gl'] as const;
export type ItfmBatchKind = (typeof itfmKinds)[number];

const importLockClass = 7_265_302;

/**
 * Serialises imports of one kind until the end of the current transaction, so two imports of the
 * same file cannot both pass the unchanged-file check. Call it inside the import's transaction.
 */
export async function lockItfmImports(db: Kysely<Database>, kind: ItfmBatchKind): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(importLockClass)}, ${sql.lit(itfmKinds.indexOf(kind))})`.execute(db);
}

/** The latest batch of a kind, when it imported these very bytes read the same way. */
export async function findUnchangedBatch(
  db: Kysely<Database>,
  kind: ItfmBatchKind,
  sha256: string,
  readOptions: object,
): Promise<{ id: number; rows: number; importedAt: Date } | undefined> {
  const latest = await db
    .selectFrom('import_batch')
    .select(['id', 'sha256', 'rows', 'imported_at'])
    .select(sql<boolean>`read_options = ${JSON.stringify(readOptions)}::jsonb`.as('same_options'))
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest || latest.sha256 !== sha256 || !latest.same_options) return undefined;
  return { id: latest.id, rows: latest.rows, importedAt: latest.imported_at };
}

/** What an ITFM import batch records about its file. */
export interface NewItfmBatch {
  readonly kind: ItfmBatchKind;
  readonly fileName: string;
  readonly sha256: string;
  readonly format: string;
  readonly rows: number;
  /** Months or GL periods the file covers, as first days (`2025-01-01`). */
  readonly periods: readonly string[];
  readonly warnings: readonly string[];
  readonly readOptions: object;
  readonly importedBy: string;
  readonly surface: Surface;
}

/** Inserts the batch row and returns its id. */
export async function insertItfmBatch(db: Kysely<Database>, batch: NewItfmBatch): Promise<number> {
  const { id } = await db
    .insertInto('import_batch')
    .values({
      kind: batch.kind,
      file_name: batch.fileName,
      sha256: batch.sha256,
      format: batch.format,
      focus_version: null,
      rows: batch.rows,
      billing_periods: [...batch.periods],
      warnings: JSON.stringify(batch.warnings),
      read_options: JSON.stringify(batch.readOptions),
      imported_by: batch.importedBy,
      surface: batch.surface,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
