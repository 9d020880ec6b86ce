import { formulaSafeCsv } from './formula-safe-csv.js';
import { openOutputFile, type OutputFile } from './output-file.js';

/** The first two columns of every rejected-rows file: how costbridge knows one it wrote. */
const leadingColumns = ['line', 'errors'] as const;

/**
 * The `--skip-invalid` side file (`<file>.rejected.csv`): each rejected row with its line or row
 * number and reasons, then its cells, through the formula-safe CSV writer and the output-file rules
 * (never through a symbolic link; an existing file only if it is an earlier rejected-rows file, or
 * with `force`). Rows go to a temporary file that `close` puts in place.
 */
export class RejectedRowsFile {
  private constructor(private readonly file: OutputFile) {}

  get path(): string {
    return this.file.path;
  }

  static async open(path: string, header: readonly string[], options: { force?: boolean } = {}): Promise<RejectedRowsFile> {
    const file = await openOutputFile(path, {
      ownFirstLine: (line) => line.startsWith(`${leadingColumns.join(',')},`),
      force: options.force ?? false,
      what: 'the rejected-rows file',
    });
    const rejected = new RejectedRowsFile(file);
    await file.write(formulaSafeCsv([[...leadingColumns, ...header]]));
    return rejected;
  }

  /** One rejected row: where it was, why, and its cells as read. */
  add(line: number, reasons: string, cells: readonly string[]): Promise<void> {
    return this.file.write(formulaSafeCsv([[String(line), reasons, ...cells]]));
  }

  /** Puts the file in place. */
  close(): Promise<void> {
    return this.file.commit();
  }
}
