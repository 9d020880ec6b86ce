import type { CellError } from '../domain/focus-row.js';
import type { LinedRow } from '../domain/itfm-checks.js';
import { planItfmHeader, rowCells, type ColumnMap, type ItfmHeaderPlan } from '../domain/itfm-header.js';
import { parseItfmRow, type ItfmFormat } from '../domain/itfm-rows.js';
import { readCsvRecords } from './csv-records.js';

/** How many row errors are kept; the rest are only counted (an import shows the first 20). */
const keptErrors = 20;

/** One ITFM CSV file read and validated against its format. */
export interface ItfmCsv<Row> {
  /** The rows that passed validation, in file order. */
  readonly rows: LinedRow<Row>[];
  /** The first errors by line (header, CSV syntax or cell errors); `errorCount` counts them all. */
  readonly errors: CellError[];
  readonly errorCount: number;
  /** Our columns the file has (after `--map` renames). */
  readonly columns: ReadonlySet<string>;
  /** Header cells the format does not know, ignored. */
  readonly ignored: readonly string[];
  /** The header text of one of our columns, as the file writes it (for error messages). */
  label(column: string): string;
}

/**
 * Streams a CSV file and validates every data row with the format's schema. ITFM files are small
 * (master data, a year of budget lines, a month or a few of GL), so the validated rows are held in
 * memory: cross-row rules (duplicate keys, parent cycles) and the one-transaction write need them
 * all. Errors are kept only up to the number an import shows, so a broken big file stays cheap.
 */
export async function readItfmCsv<Row>(path: string, format: ItfmFormat<Row>, map: ColumnMap): Promise<ItfmCsv<Row>> {
  const rows: LinedRow<Row>[] = [];
  const errors: CellError[] = [];
  let errorCount = 0;
  const fail = (found: readonly CellError[]) => {
    errorCount += found.length;
    for (const e of found) if (errors.length < keptErrors) errors.push(e);
  };
  let plan: ItfmHeaderPlan | undefined;
  const label = (column: string) => plan?.label.get(column) ?? column;
  const relabel = (found: readonly CellError[]) => found.map((e) => ({ ...e, column: label(e.column) }));
  let sawHeader = false;
  for await (const batch of readCsvRecords(path)) {
    // A row with a parse problem (an unclosed quote ...) is reported by that problem alone.
    const problems = new Map<number, string>();
    for (const p of batch.problems) problems.set(p.line, `malformed CSV: ${p.reason}`);
    for (let i = 0; i < batch.rows.length; i++) {
      const cells = batch.rows[i]!;
      const line = batch.lines[i]!;
      const problem = problems.get(line);
      if (problem !== undefined) {
        problems.delete(line);
        fail([{ line, column: '(row)', reason: problem }]);
        if (sawHeader) continue;
      }
      if (!sawHeader) {
        sawHeader = true;
        const planned = planItfmHeader(cells, format, map, line);
        if (!planned.ok || problem !== undefined) {
          if (!planned.ok) fail(planned.errors);
          return { rows: [], errors, errorCount, columns: new Set(), ignored: [], label };
        }
        plan = planned.plan;
        continue;
      }
      if (cells.length !== plan!.width) {
        fail([{ line, column: '(row)', reason: `has ${cells.length} cells but the header has ${plan!.width} columns` }]);
        continue;
      }
      const parsed = parseItfmRow(format, rowCells(plan!, cells), line);
      if (parsed.ok) rows.push({ line, row: parsed.row });
      else fail(relabel(parsed.errors));
    }
    for (const [line, reason] of problems) fail([{ line, column: '(row)', reason }]);
  }
  if (!sawHeader) fail([{ line: 1, column: '(header)', reason: `the file is empty; it needs a header row (${format.columns.join(',')})` }]);
  return { rows, errors, errorCount, columns: new Set(plan?.position.keys()), ignored: plan?.ignored ?? [], label };
}
