import { CostbridgeError } from '../domain/costbridge-error.js';
import type { CellError } from '../domain/focus-row.js';
import { mergeByLine, type LinedRow } from '../domain/itfm-checks.js';
import { parseColumnMap } from '../domain/itfm-header.js';
import type { ItfmFormat, ItfmKind } from '../domain/itfm-rows.js';
import { detectFileFormat, sha256OfFile } from '../ingest/file-format.js';
import { readItfmCsv } from '../ingest/itfm-csv.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { findUnchangedBatch, insertItfmBatch, lockItfmImports } from '../store/itfm-batches.js';
import { importRejected } from './import-errors.js';

/** The database handle a step works with: the import's transaction. */
type Db = Store['db'];

/** What to import and on whose behalf. */
export interface ItfmImportRequest {
  readonly path: string;
  readonly actor: string;
  readonly surface: Surface;
  /** `source=target` header renames (`--map "Cost Centre=cost_center"`). */
  readonly map?: readonly string[];
}

/** What every ITFM import reports. */
export interface ItfmImportOutcome {
  readonly file: string;
  readonly kind: ItfmKind;
  readonly sha256: string;
  readonly format: 'csv' | 'csv.gz';
  /** The batch written now, or the earlier batch of the same bytes when `skipped`. */
  readonly batchId: number;
  /** Rows stored now (0 when skipped). */
  readonly rows: number;
  readonly skipped: boolean;
  /** Why nothing changed, when `skipped`. */
  readonly skippedReason?: string;
  readonly warnings: readonly string[];
}

/** The kind-specific parts of an import, run by {@link runItfmImport}. */
export interface ItfmImportSteps<Row, Info> {
  readonly format: ItfmFormat<Row>;
  /** Options besides `--map` that change how the bytes are read (they are part of "same file"). */
  readonly readOptions?: Readonly<Record<string, string>>;
  /** What the result says when nothing was imported. */
  readonly nothing: Info;
  /** Rules across the file's rows (duplicate keys), in line order, under our column names. */
  fileErrors(rows: readonly LinedRow<Row>[]): CellError[];
  /** Rules against stored data (unknown cost centers, cycles), run inside the transaction. */
  storeErrors(db: Db, rows: readonly LinedRow<Row>[]): Promise<CellError[]>;
  /** Months or GL periods the rows cover, as first days, sorted. */
  periods(rows: readonly LinedRow<Row>[]): string[];
  /** Writes the rows; `columns` are our columns the file has. */
  write(db: Db, rows: readonly LinedRow<Row>[], batchId: number, columns: ReadonlySet<string>): Promise<Info>;
}

/**
 * Imports one ITFM CSV all-or-nothing: reads and validates every row, checks them against the store,
 * then writes the rows, an `import_batch` row and an audit row in one transaction. Any error fails
 * the whole file with the first errors located by file, line and column. The same bytes, read the
 * same way, as the latest batch of the kind change nothing.
 */
export async function runItfmImport<Row, Info extends object>(
  store: Store,
  request: ItfmImportRequest,
  steps: ItfmImportSteps<Row, Info>,
): Promise<ItfmImportOutcome & Info> {
  const { path } = request;
  const { kind } = steps.format;
  const mapped = parseColumnMap(request.map ?? [], steps.format);
  if (!mapped.ok) throw new CostbridgeError('INPUT_INVALID', `${path}: nothing imported, a --map option is wrong`, mapped.errors);
  const format = await detectFileFormat(path);
  if (format === 'parquet') {
    throw new CostbridgeError('INPUT_INVALID', `${path}: ${kind} files are CSV (or gzipped CSV), not Parquet`);
  }
  const sha256 = await sha256OfFile(path);
  const readOptions = {
    ...(mapped.map.size ? { map: [...mapped.map].map(([s, t]) => `${s}=${t}`).sort() } : {}),
    ...steps.readOptions,
  };
  const base = { file: path, kind, sha256, format };
  const skipped = (earlier: { id: number; importedAt: Date }): ItfmImportOutcome & Info => ({
    ...base,
    batchId: earlier.id,
    rows: 0,
    skipped: true,
    skippedReason: `already imported as batch ${earlier.id} on ${earlier.importedAt.toISOString()}; nothing changed`,
    warnings: [],
    ...steps.nothing,
  });

  const before = await findUnchangedBatch(store.db, kind, sha256, readOptions);
  if (before) return skipped(before);

  const csv = await readItfmCsv(path, steps.format, mapped.map);
  const relabel = (errors: readonly CellError[]) => errors.map((e) => ({ ...e, column: csv.label(e.column) }));
  const fileErrors = relabel(steps.fileErrors(csv.rows));
  const warnings = csv.ignored.length ? [`ignored column(s) that are not part of the ${kind} format: ${csv.ignored.join(', ')}`] : [];

  return store.db.transaction().execute(async (trx) => {
    await lockItfmImports(trx, kind);
    const meanwhile = await findUnchangedBatch(trx, kind, sha256, readOptions);
    if (meanwhile) return skipped(meanwhile);
    const storeErrors = relabel(await steps.storeErrors(trx, csv.rows));
    const total = csv.errorCount + fileErrors.length + storeErrors.length;
    if (total > 0) throw importRejected(path, mergeByLine(csv.errors, fileErrors, storeErrors), total);

    const periods = steps.periods(csv.rows);
    const batchId = await insertItfmBatch(trx, {
      kind,
      fileName: path,
      sha256,
      format,
      rows: csv.rows.length,
      periods,
      warnings,
      readOptions,
      importedBy: request.actor,
      surface: request.surface,
    });
    const info = await steps.write(trx, csv.rows, batchId, csv.columns);
    const outcome = { ...base, batchId, rows: csv.rows.length, skipped: false, warnings, ...info };
    await recordAudit(trx, {
      actor: request.actor,
      surface: request.surface,
      action: `import.${kind}`,
      subjectType: 'import_batch',
      subjectId: String(batchId),
      after: outcome,
    });
    return outcome;
  });
}

/** `2025-03-01` -> `2025-03`, how months and periods are shown. */
export function monthOf(firstDay: string): string {
  return firstDay.slice(0, 7);
}

/** The distinct values of a row field, sorted. */
export function distinctSorted<Row>(rows: readonly LinedRow<Row>[], pick: (row: Row) => string): string[] {
  return [...new Set(rows.map((r) => pick(r.row)))].sort();
}
