import type { CopyIn } from './database.js';

type Query = (sql: string, params?: readonly unknown[]) => Promise<unknown>;

// Rows are sent in batches of about this many bytes of COPY text.
const batchBytes = 4 << 20;

/**
 * A `COPY table (columns) FROM STDIN` (text format) carried out as INSERTs, for a connection that
 * cannot stream COPY data: an embedded database reached through the process serving it (PGlite
 * executes one protocol message at a time). Each batch of rows becomes one
 * `INSERT ... SELECT cast(column) FROM unnest(text arrays)`: the same type input functions COPY uses,
 * so values load exactly as they would by COPY.
 */
export function copyAsInsert(query: Query, table: string, columns: readonly string[]): CopyIn {
  let types: Promise<string[]> | undefined;
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const columnTypes = async (): Promise<string[]> => {
    const rows = (await query(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
         FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
      [table],
    )) as { name: string; type: string }[];
    const byName = new Map(rows.map((r) => [r.name, r.type]));
    return columns.map((c) => {
      const type = byName.get(c);
      if (!type) throw new Error(`copy into ${table}: no column ${c}`);
      return type;
    });
  };

  const insert = async (text: string) => {
    const rows = text.split('\n');
    const values: (string | null)[][] = columns.map(() => []);
    for (const row of rows) {
      const cells = row.split('\t');
      if (cells.length !== columns.length) throw new Error(`copy into ${table}: a row has ${cells.length} fields, expected ${columns.length}`);
      cells.forEach((cell, i) => values[i]!.push(decodeCopyCell(cell)));
    }
    const t = await (types ??= columnTypes());
    const names = columns.map((_, i) => `c${i}`);
    const select = names.map((n, i) => `u.${n}::${t[i]}`).join(', ');
    const arrays = names.map((_, i) => `$${i + 1}::text[]`).join(', ');
    await query(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${select} FROM unnest(${arrays}) AS u(${names.join(', ')})`, values);
  };

  // Whole rows only: a chunk may end mid-row, and a row's bytes never contain a raw newline.
  const flush = async (all: boolean) => {
    if (pendingBytes === 0) return;
    const bytes = Buffer.concat(pending);
    const cut = all ? bytes.length : bytes.lastIndexOf(0x0a) + 1;
    pending = cut < bytes.length ? [bytes.subarray(cut)] : [];
    pendingBytes = bytes.length - cut;
    let text = bytes.subarray(0, cut).toString('utf8');
    if (text.endsWith('\n')) text = text.slice(0, -1);
    if (text.length > 0) await insert(text);
  };

  return {
    async write(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes >= batchBytes) await flush(false);
    },
    end: () => flush(true),
  };
}

const escapes: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** One field of COPY text format: `\N` is null; backslash sequences as PostgreSQL reads them. */
export function decodeCopyCell(cell: string): string | null {
  if (cell === '\\N') return null;
  if (!cell.includes('\\')) return cell;
  return cell.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_m, seq: string) => {
    if (seq[0] === 'x' && seq.length > 1) return String.fromCharCode(parseInt(seq.slice(1), 16));
    if (/^[0-7]/.test(seq)) return String.fromCharCode(parseInt(seq, 8));
    return escapes[seq] ?? seq;
  });
}
