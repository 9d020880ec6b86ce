import { stringify } from 'csv-stringify/sync';
import { neutralizeCell } from '../domain/journal-csv.js';

// A plain decimal number (amounts, negative ones included) is read as a number, never as a formula.
const plainNumber = /^-?\d+(\.\d+)?$/;

/** A cell as written: plain numbers as they are, anything else neutralized for spreadsheets. */
export function formulaSafeCell(cell: string): string {
  return plainNumber.test(cell) ? cell : neutralizeCell(cell);
}

/**
 * The one CSV writer for everything costbridge writes as CSV (files, `--csv` on stdout, rejected
 * rows): RFC 4180 quoting, CRLF line ends, and every cell safe to open in a spreadsheet (a cell that
 * would start a formula gets a leading `'`).
 */
export function formulaSafeCsv(records: readonly (readonly string[])[]): string {
  return stringify(
    records.map((r) => r.map(formulaSafeCell)),
    { record_delimiter: '\r\n' },
  );
}
