import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import Papa from 'papaparse';

/** A run of parsed records with the file line each one starts on. */
export interface RecordBatch {
  readonly rows: string[][];
  readonly lines: number[];
  /** Parse problems (unterminated quotes ...), by line. */
  readonly problems: { line: number; reason: string }[];
}

/** True when the file starts with the gzip magic bytes, whatever its name says. */
export async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Opens a CSV file as a byte stream, gunzipping `.csv.gz` transparently. */
export async function openCsvStream(path: string): Promise<Readable> {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  return (await isGzip(path)) ? raw.pipe(createGunzip()) : raw;
}

/**
 * Streams a CSV file (RFC 4180: quoted cells may hold commas, quotes and newlines; CRLF or LF) as
 * batches of records. The parser pauses while the consumer works on a batch, so memory stays
 * bounded by one batch whatever the file size. The header is the first record of the first batch.
 */
export async function* readCsvRecords(path: string): AsyncGenerator<RecordBatch> {
  const input = await openCsvStream(path);
  const queue: (RecordBatch | Error | null)[] = [];
  let wake: (() => void) | undefined;
  let parser: Papa.Parser | undefined;
  let nextLine = 1;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  input.on('error', (e) => {
    queue.push(e);
    notify();
  });
  Papa.parse<string[]>(input as unknown as File, {
    delimiter: ',',
    skipEmptyLines: false,
    chunk(result, p) {
      parser = p;
      p.pause();
      const rows: string[][] = [];
      const lines: number[] = [];
      const problems: { line: number; reason: string }[] = [];
      const rowLine: number[] = [];
      for (const cells of result.data) {
        const line = nextLine;
        rowLine.push(line);
        let breaks = 0;
        for (const cell of cells) {
          let at = cell.indexOf('\n');
          while (at !== -1) {
            breaks++;
            at = cell.indexOf('\n', at + 1);
          }
        }
        nextLine += 1 + breaks;
        if (cells.length === 1 && cells[0] === '') continue;
        rows.push(cells);
        lines.push(line);
      }
      for (const e of result.errors) {
        const line = e.row !== undefined && e.row !== null ? (rowLine[e.row] ?? nextLine) : nextLine;
        problems.push({ line, reason: e.message });
      }
      queue.push({ rows, lines, problems });
      notify();
    },
    complete() {
      queue.push(null);
      notify();
    },
    error(e) {
      queue.push(e);
      notify();
    },
  });
  let done = false;
  try {
    while (true) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const item = queue.shift()!;
      if (item === null) {
        done = true;
        return;
      }
      if (item instanceof Error) throw item;
      yield item;
      parser?.resume();
    }
  } finally {
    if (!done) {
      parser?.abort();
      input.destroy();
    }
  }
}
