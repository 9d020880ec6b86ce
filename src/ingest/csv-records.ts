import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import Papa from 'papaparse';
import { detectFileFormat } from './file-format.js';
import { TextDecoding } from './text-decoding.js';

/** A run of parsed records with the file line each one starts on. */
export interface RecordBatch {
  readonly rows: string[][];
  readonly lines: number[];
  /** Parse problems (unterminated quotes ...), by line. */
  readonly problems: { line: number; reason: string }[];
}

/** A quoted cell longer than this is taken for a missing closing quote rather than buffered forever. */
const maxPendingChars = 64 << 20;

/**
 * A CSV file's bytes, gunzipped when they are gzip (whatever the name says). Errors of the file and of
 * the gzip stream both surface from the iteration (a truncated `.csv.gz` included).
 */
export async function* csvFileBytes(path: string): AsyncGenerator<Buffer> {
  const gzip = (await detectFileFormat(path)) === 'csv.gz';
  const raw = createReadStream(path, { highWaterMark: 1 << 18 });
  if (!gzip) {
    try {
      for await (const chunk of raw) yield chunk as Buffer;
    } finally {
      raw.destroy();
    }
    return;
  }
  const gunzip = createGunzip({ chunkSize: 1 << 18 });
  raw.on('error', (e) => gunzip.destroy(e));
  raw.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
}

/** Opens a CSV file as text: gunzipped when gzip, decoded (UTF-8 unless told) and checked by `decoding`. */
export function openCsvText(path: string, decoding: TextDecoding = new TextDecoding(path)): AsyncGenerator<string> {
  return decoding.decode(csvFileBytes(path));
}

/**
 * Streams a CSV file (RFC 4180: quoted cells may hold commas, quotes and newlines; CRLF or LF) as
 * batches of records, one batch per chunk read. Reading waits while the consumer works on a batch,
 * so memory stays bounded whatever the file size. The header is the first record of the first
 * batch; a leading byte-order mark is removed. Text that is not valid in the encoding (UTF-8 by
 * default) fails with file, line and column.
 */
export async function* readCsvRecords(path: string, decoding?: TextDecoding): AsyncGenerator<RecordBatch> {
  const input = openCsvText(path, decoding);
  let parser: Papa.Parser | undefined;
  let pending = '';
  let nextLine = 1;
  let first = true;
  try {
    for await (const chunk of input) {
      let text = pending + (chunk as string);
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        parser = new Papa.Parser({ delimiter: ',', newline: detectNewline(text), quoteChar: '"' });
        first = false;
      }
      const result = parser!.parse(text, 0, true);
      pending = text.substring(result.meta.cursor);
      if (pending.length > maxPendingChars) {
        throw new Error(`line ${nextLine}: a quoted cell never ends (or one row is larger than 64 MB); check for a missing closing quote`);
      }
      const batch = toBatch(result, nextLine, countNewlines(text, result.meta.cursor));
      nextLine = batch.nextLine;
      if (batch.rows.length > 0 || batch.problems.length > 0) yield batch;
    }
    if (first) return;
    if (pending.length > 0) {
      const batch = toBatch(parser!.parse(pending, 0, false), nextLine, undefined);
      if (batch.rows.length > 0 || batch.problems.length > 0) yield batch;
    }
  } finally {
    await input.return(undefined);
  }
}

// Papaparse needs the line break up front; a file uses one style throughout.
function detectNewline(text: string): '\n' | '\r\n' | '\r' {
  const lf = text.indexOf('\n');
  if (lf > 0 && text[lf - 1] === '\r') return '\r\n';
  if (lf === -1 && text.includes('\r')) return '\r';
  return '\n';
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/**
 * Turns parsed records into a batch with each record's starting line. When the consumed text holds
 * exactly one line break per record (the common case), no cell spans lines and the per-cell scan for
 * embedded line breaks is skipped.
 */
function toBatch(result: Papa.ParseResult<string[]>, startLine: number, consumedNewlines: number | undefined): RecordBatch & { nextLine: number } {
  const rows: string[][] = [];
  const lines: number[] = [];
  const rowLine: number[] = [];
  const scanCells = consumedNewlines !== result.data.length;
  let nextLine = startLine;
  for (const cells of result.data) {
    const line = nextLine;
    rowLine.push(line);
    let breaks = 0;
    if (scanCells) {
      for (const cell of cells) {
        let at = cell.indexOf('\n');
        while (at !== -1) {
          breaks++;
          at = cell.indexOf('\n', at + 1);
        }
      }
    }
    nextLine += 1 + breaks;
    if (cells.length === 1 && cells[0] === '') continue;
    rows.push(cells);
    lines.push(line);
  }
  const problems = result.errors.map((e) => ({
    line: e.row !== undefined && e.row !== null ? (rowLine[e.row] ?? nextLine) : nextLine,
    reason: e.message,
  }));
  return { rows, lines, problems, nextLine };
}
