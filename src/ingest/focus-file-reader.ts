import { CostbridgeError } from '../domain/costbridge-error.js';
import { normalizeFocusRow, planFocusHeader, type CellError, type FocusHeaderPlan, type FocusLine } from '../domain/focus-row.js';
import { TagResolver } from '../domain/shared-fields.js';
import { readCsvRecords, type RecordBatch } from './csv-records.js';
import type { DataFileFormat } from './file-format.js';
import { TextDecoding, type TextEncoding } from './text-decoding.js';

/** How to read a FOCUS file. */
export interface FocusFileReadOptions {
  /** The text encoding of a CSV file (UTF-8 when absent); a byte-order mark overrides it. */
  readonly encoding?: TextEncoding;
}

/** A row that failed validation, with its cells as read (for the `--skip-invalid` side file). */
export interface RejectedRow {
  readonly line: number;
  readonly errors: readonly CellError[];
  readonly cells: readonly string[];
}

/** One run of a file's rows, validated: the valid lines and the rejected rows, each in file order. */
export interface FocusFileBatch {
  readonly lines: FocusLine[];
  readonly rejected: RejectedRow[];
}

// Shared fields are decided by attribution (which also keeps the winning tag keys), so the row
// normaliser gets an empty alias table and resolves nothing.
const noTags = new TagResolver([]);

/**
 * Reads and validates one FOCUS file (CSV, CSV.gz or Parquet) as batches of validated lines, with
 * no database in sight, so that the work can later be spread over worker threads. Problems of the
 * file as a whole (no header, a missing mandatory column, bytes that are not valid text, a truncated
 * gzip stream) are thrown as {@link CostbridgeError}s naming the file; problems of single rows are
 * returned in the batches.
 */
export class FocusFileReader {
  /** Data records read so far (valid and rejected; the header is not one). */
  records = 0;

  private constructor(
    readonly path: string,
    readonly format: DataFileFormat,
    readonly plan: FocusHeaderPlan,
    private readonly decoding: TextDecoding | undefined,
    private readonly source: AsyncGenerator<RecordBatch>,
    private first: RecordBatch | undefined,
  ) {}

  /** How rows are located in messages: CSV lines, or Parquet row numbers. */
  get unit(): 'line' | 'row' {
    return this.format === 'parquet' ? 'row' : 'line';
  }

  /** The header's warnings (non-FOCUS columns kept) and the decoding's (a byte-order mark overriding --encoding). */
  get warnings(): string[] {
    return [...this.plan.warnings, ...(this.decoding?.warnings ?? [])];
  }

  /**
   * Opens the file and reads its header: the reader, or the header's errors when it is not a FOCUS
   * header. Throws when the file is empty or cannot be read as text.
   */
  static async open(
    path: string,
    format: DataFileFormat,
    options: FocusFileReadOptions = {},
  ): Promise<{ ok: true; reader: FocusFileReader } | { ok: false; errors: CellError[] }> {
    const decoding =
      format === 'parquet'
        ? undefined
        : new TextDecoding(path, options.encoding, 'if the file is Latin-1 or Windows-1252, import it with --encoding latin1 or --encoding windows-1252');
    const source = format === 'parquet' ? parquetRecords(path) : readCsvRecords(path, decoding);
    try {
      for (;;) {
        const next = await source.next();
        if (next.done) throw new CostbridgeError('INPUT_INVALID', `${path}: the file is empty (no header row)`);
        const batch = next.value;
        if (batch.rows.length === 0) continue;
        const planned = planFocusHeader(batch.rows[0]!);
        if (!planned.ok) {
          await source.return(undefined);
          return { ok: false, errors: planned.errors };
        }
        const rest: RecordBatch = { rows: batch.rows.slice(1), lines: batch.lines.slice(1), problems: batch.problems };
        return { ok: true, reader: new FocusFileReader(path, format, planned.plan, decoding, source, rest) };
      }
    } catch (e) {
      await source.return(undefined);
      throw e;
    }
  }

  /** The data rows, validated, one batch per chunk read. */
  async *batches(): AsyncGenerator<FocusFileBatch> {
    try {
      if (this.first) {
        const first = this.first;
        this.first = undefined;
        yield this.#validate(first);
      }
      for await (const batch of this.source) yield this.#validate(batch);
    } finally {
      await this.source.return(undefined);
    }
  }

  #validate(batch: RecordBatch): FocusFileBatch {
    const lines: FocusLine[] = [];
    const rejected: RejectedRow[] = [];
    const problems = batch.problems.length > 0 ? new Map(batch.problems.map((p) => [p.line, `malformed CSV: ${p.reason}`])) : undefined;
    for (let i = 0; i < batch.rows.length; i++) {
      const line = batch.lines[i]!;
      const cells = batch.rows[i]!;
      const problem = problems?.get(line);
      const result = problem
        ? { ok: false as const, errors: [{ line, column: '(row)', reason: problem }] }
        : normalizeFocusRow(this.plan, cells, line, noTags);
      if (result.ok) lines.push(result.line);
      else rejected.push({ line, errors: result.errors, cells });
    }
    this.records += batch.rows.length;
    return { lines, rejected };
  }
}

/** A Parquet file's records, with the Parquet reader loaded on first use (CSV imports never need it). */
async function* parquetRecords(path: string): ReturnType<typeof import('./parquet-records.js').readParquetRecords> {
  const { readParquetRecords } = await import('./parquet-records.js');
  return yield* readParquetRecords(path);
}
