import { open } from 'node:fs/promises';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, RowGroup, SchemaElement, SchemaTree } from 'hyparquet';
import { isListLike, isMapLike } from 'hyparquet/src/schema.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import type { RecordBatch } from './csv-records.js';

/**
 * Most rows decoded at once. A row group up to this size is read in one go; a bigger one is read
 * in equal slices of at most this many rows, so memory stays bounded whatever the writer chose.
 */
export const PARQUET_BATCH_ROWS = 50_000;

export interface ParquetReadRecordsOptions {
  /** Overrides {@link PARQUET_BATCH_ROWS} (mainly for tests). */
  readonly batchRows?: number;
}

const utf8 = new TextDecoder();
// Parquet strings are UTF-8 by the format; bytes that are not are refused, never read as U+FFFD.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A string value whose bytes are not valid UTF-8, kept until its row and column are known. */
class InvalidUtf8 {
  constructor(readonly bytes: Uint8Array) {}
}

/** Thrown by a formatter that meets an {@link InvalidUtf8}; the reader adds row and column. */
class InvalidTextError extends Error {
  constructor(readonly bytes: Uint8Array) {
    super('not valid UTF-8');
  }
}

function stringFromBytes(bytes: Uint8Array): string | InvalidUtf8 {
  if (!bytes) return bytes;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return new InvalidUtf8(bytes);
  }
}

function invalidText(path: string, row: number, column: string, bytes: Uint8Array): CostbridgeError {
  const shown = [...bytes.subarray(0, 12)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
  return new CostbridgeError('INPUT_INVALID', `${path}: row ${row}: ${column}: the text is not valid UTF-8 (bytes ${shown}${bytes.length > 12 ? ' ...' : ''}); nothing imported`);
}

/** True when the file starts with the Parquet magic bytes `PAR1`, whatever its name says. */
export async function isParquet(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.toString('latin1') === 'PAR1';
  } finally {
    await fh.close();
  }
}

/**
 * Streams a Parquet file as batches of records shaped like the CSV reader's: the first record of
 * the first batch is the header (the top-level column names), then one record per row with one
 * string per column in header order (null → `''`). `lines` holds 1-based row numbers (the header
 * is line 0). One row group — or a slice of at most `batchRows` rows of a bigger one — is decoded
 * per batch, so memory stays bounded whatever the file size.
 *
 * Values are rendered exactly: DECIMAL columns are read as their raw unscaled integers and
 * formatted here (hyparquet would turn them into floats), timestamps as ISO-8601 UTC, dates as
 * `YYYY-MM-DD`, maps/structs/lists as JSON text, JSON columns verbatim.
 */
export async function* readParquetRecords(
  path: string,
  options: ParquetReadRecordsOptions = {},
): AsyncGenerator<RecordBatch> {
  const batchRows = Math.max(1, Math.floor(options.batchRows ?? PARQUET_BATCH_ROWS));
  const opened = await openParquet(path);
  const { metadata } = opened;
  const columns = parquetSchema(metadata).children;
  const header = columns.map((c) => c.element.name);
  const formatters = columns.map((c) => columnFormatter(c, opened.decimals));
  const all = columns.map((_, i) => i);

  let pending: { rows: string[][]; lines: number[] } | undefined = { rows: [header], lines: [0] };
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    const groupEnd = groupStart + groupRows;
    const slices = Math.ceil(groupRows / batchRows);
    // hyparquet decodes a nested column (struct, map, list) to the end of its chunk whatever row
    // range is asked for, unless the file has offset indexes. Slicing such a row group would decode
    // those columns once per slice, so decode them once, as cell text, and slice the rest.
    const whole = slices > 1 ? all.filter((c) => isNested(columns[c]!) && !hasOffsetIndex(group, header[c]!)) : [];
    const sliced = whole.length > 0 ? all.filter((c) => !whole.includes(c)) : all;
    const cached = new Map<number, string[]>();
    if (whole.length > 0) {
      const raw = await readRows(path, opened, header, whole, groupStart, groupEnd);
      for (let k = 0; k < whole.length; k++) {
        const c = whole[k]!;
        let j = 0;
        try {
          const texts = new Array<string>(raw.length);
          for (j = 0; j < raw.length; j++) texts[j] = formatters[c]!(raw[j]![k]);
          cached.set(c, texts);
        } catch (e) {
          throw e instanceof InvalidTextError ? invalidText(path, groupStart + j + 1, header[c]!, e.bytes) : e;
        }
      }
    }
    for (let s = 0; s < slices; s++) {
      const start = groupStart + Math.floor((groupRows * s) / slices);
      const end = groupStart + Math.floor((groupRows * (s + 1)) / slices);
      const raw = await readRows(path, opened, header, sliced, start, end);
      const rows: string[][] = pending?.rows ?? [];
      const lines: number[] = pending?.lines ?? [];
      pending = undefined;
      // Kept outside the loops so that a cell that is not valid UTF-8 can be named by row and column.
      let i = 0;
      let k = 0;
      try {
        for (i = 0; i < raw.length; i++) {
          const values = raw[i]!;
          const cells = new Array<string>(columns.length);
          for (k = 0; k < sliced.length; k++) cells[sliced[k]!] = formatters[sliced[k]!]!(values[k]);
          for (const [c, texts] of cached) cells[c] = texts[start - groupStart + i]!;
          rows.push(cells);
          lines.push(start + i + 1);
        }
      } catch (e) {
        throw e instanceof InvalidTextError ? invalidText(path, start + i + 1, header[sliced[k]!]!, e.bytes) : e;
      }
      yield { rows, lines, problems: [] };
    }
    groupStart = groupEnd;
  }
  if (pending) yield { rows: pending.rows, lines: pending.lines, problems: [] };
}

function isNested(node: SchemaTree): boolean {
  return node.children.length > 0 || node.element.repetition_type === 'REPEATED';
}

function hasOffsetIndex(group: RowGroup, column: string): boolean {
  return group.columns
    .filter((chunk) => chunk.meta_data?.path_in_schema[0] === column)
    .every((chunk) => Boolean(chunk.offset_index_offset && chunk.offset_index_length));
}

// ---------------------------------------------------------------------------------------------
// Opening and reading

interface OpenedParquet {
  readonly file: AsyncBuffer;
  /** A copy of the file's metadata with DECIMAL annotations removed from the leaves in `decimals`. */
  readonly metadata: FileMetaData;
  /** Scale of every DECIMAL leaf hyparquet now returns unscaled, keyed by its (copied) element. */
  readonly decimals: ReadonlyMap<SchemaElement, number>;
  /** A DECIMAL stored as BYTE_ARRAY: hyparquet must not utf8-decode unannotated byte arrays. */
  readonly needsRawBytes: boolean;
}

async function openParquet(path: string): Promise<OpenedParquet> {
  let magic: boolean;
  try {
    magic = await isParquet(path);
  } catch (e) {
    throw fileError(path, e);
  }
  if (!magic) throw invalid(path, 'not a Parquet file (it does not start with the PAR1 magic bytes)');
  let file: AsyncBuffer;
  try {
    file = await asyncBufferFromFile(path);
  } catch (e) {
    throw fileError(path, e);
  }
  let original: FileMetaData;
  try {
    original = await parquetMetadataAsync(file);
  } catch (e) {
    throw invalid(path, `invalid Parquet file, cannot read its footer metadata (${messageOf(e)})`);
  }
  if (original.schema.length === 0 || !Array.isArray(original.row_groups)) {
    throw invalid(path, 'invalid Parquet file, its metadata has no schema');
  }
  const schema = original.schema.map((e) => ({ ...e }));
  const metadata: FileMetaData = { ...original, schema };
  let tree: SchemaTree;
  try {
    tree = parquetSchema(metadata);
  } catch (e) {
    throw invalid(path, `invalid Parquet schema (${messageOf(e)})`);
  }
  const decimals = new Map<SchemaElement, number>();
  let needsRawBytes = false;
  const walk = (node: SchemaTree, parent?: SchemaTree, grand?: SchemaTree): void => {
    const el = node.element;
    if (node.children.length === 0) {
      const scale = decimalScale(el);
      // A map key decimal would be turned into an object key by hyparquet before we see it: leave it.
      const mapKey = grand !== undefined && parent !== undefined && isMapLike(grand) && el.name === 'key';
      if (scale !== undefined && !mapKey) {
        if (el.type !== 'INT32' && el.type !== 'INT64' && el.type !== 'FIXED_LEN_BYTE_ARRAY' && el.type !== 'BYTE_ARRAY') {
          throw invalid(path, `column ${node.path.join('.')}: DECIMAL cannot be stored as ${el.type ?? 'a group'}`);
        }
        decimals.set(el, scale);
        if (el.type === 'BYTE_ARRAY') needsRawBytes = true;
        el.converted_type = undefined;
        el.logical_type = undefined;
      }
      return;
    }
    for (const child of node.children) walk(child, node, parent);
  };
  walk(tree);
  return { file, metadata, decimals, needsRawBytes };
}

function decimalScale(el: SchemaElement): number | undefined {
  if (el.logical_type?.type === 'DECIMAL') return el.logical_type.scale ?? el.scale ?? 0;
  if (el.converted_type === 'DECIMAL') return el.scale ?? 0;
  return undefined;
}

/** Rows `[rowStart, rowEnd)` of the given columns (indexes into `header`), as hyparquet decodes them. */
async function readRows(
  path: string,
  { file, metadata, needsRawBytes }: OpenedParquet,
  header: readonly string[],
  columns: readonly number[],
  rowStart: number,
  rowEnd: number,
): Promise<unknown[][]> {
  if (columns.length === 0) return Array.from({ length: rowEnd - rowStart }, () => []);
  let rows: unknown[][] | undefined;
  try {
    await parquetRead({
      file,
      metadata,
      rowStart,
      rowEnd,
      ...(columns.length < header.length ? { columns: columns.map((c) => header[c]!) } : {}),
      rowFormat: 'array',
      // Read only the pages a slice needs when the file has offset indexes.
      useOffsetIndex: true,
      ...(needsRawBytes ? { utf8: false } : {}),
      // Keep JSON text verbatim instead of parsing it (which would round big numbers).
      parsers: { jsonFromBytes: stringFromBytes, stringFromBytes },
      onComplete: (r: unknown[][]) => {
        rows = r;
      },
    });
  } catch (e) {
    throw invalid(path, `cannot decode rows ${rowStart + 1}–${rowEnd} (${messageOf(e)})`);
  }
  if (!rows || rows.length !== rowEnd - rowStart) {
    throw invalid(path, `rows ${rowStart + 1}–${rowEnd}: expected ${rowEnd - rowStart} rows, decoded ${rows?.length ?? 0}`);
  }
  return rows;
}

function invalid(path: string, what: string): CostbridgeError {
  return new CostbridgeError('INPUT_INVALID', `${path}: ${what}`);
}

function fileError(path: string, e: unknown): CostbridgeError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new CostbridgeError('FILE_NOT_FOUND', `${path}: no such file`);
  if (code === 'EISDIR') return new CostbridgeError('INPUT_INVALID', `${path}: is a directory, not a file`);
  return new CostbridgeError('INPUT_INVALID', `${path}: cannot read (${messageOf(e)})`);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------------------------
// Values to text

type Formatter = (value: unknown) => string;

/** How one top-level column's values become cell text. */
function columnFormatter(node: SchemaTree, decimals: ReadonlyMap<SchemaElement, number>): Formatter {
  const el = node.element;
  if (node.children.length > 0 || el.repetition_type === 'REPEATED') {
    return (v) => (v === null || v === undefined ? '' : JSON.stringify(toPlain(node, v, decimals)));
  }
  const scale = decimals.get(el);
  if (scale !== undefined) {
    return (v) => (v === null || v === undefined ? '' : formatDecimal(unscaledOf(v), scale));
  }
  return (v) => leafText(el, v, decimals);
}

/** A scalar value as cell text. */
function leafText(el: SchemaElement, v: unknown, decimals: ReadonlyMap<SchemaElement, number>): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'undefined':
      return '';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (isDateElement(el)) return formatDate(new Date(v * 86_400_000));
      if (isTimeElement(el)) return formatTime(BigInt(v), timeUnitOf(el));
      return el.type === 'FLOAT' ? formatFloat32(v) : String(v);
    case 'bigint':
      if (isTimeElement(el)) return formatTime(v, timeUnitOf(el));
      return v.toString();
    case 'object':
      if (v === null) return '';
      if (v instanceof InvalidUtf8) throw new InvalidTextError(v.bytes);
      if (v instanceof Date) return isDateElement(el) ? formatDate(v) : formatTimestamp(v);
      if (v instanceof Uint8Array) return utf8.decode(v);
      return JSON.stringify(plainOf(v, decimals));
    default:
      return String(v);
  }
}

/** Shortest text that reads back as the same 32-bit float: 0.1f → `0.1`, not `0.10000000149011612`. */
function formatFloat32(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  for (let p = 1; p < 17; p++) {
    const text = String(Number(v.toPrecision(p)));
    if (Math.fround(Number(text)) === v) return text;
  }
  return String(v);
}

function isDateElement(el: SchemaElement): boolean {
  return el.converted_type === 'DATE' || el.logical_type?.type === 'DATE';
}

function isTimeElement(el: SchemaElement): boolean {
  return el.converted_type === 'TIME_MILLIS' || el.converted_type === 'TIME_MICROS' || el.logical_type?.type === 'TIME';
}

function timeUnitOf(el: SchemaElement): 'MILLIS' | 'MICROS' | 'NANOS' {
  if (el.logical_type?.type === 'TIME') return el.logical_type.unit;
  return el.converted_type === 'TIME_MICROS' ? 'MICROS' : 'MILLIS';
}

/** `2024-01-31T00:00:00.000Z`; an out-of-range instant becomes `Invalid Date`, which validation rejects. */
function formatTimestamp(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString();
}

function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return 'Invalid Date';
  const iso = d.toISOString();
  return iso.slice(0, iso.indexOf('T'));
}

/** Time of day since midnight → `HH:MM:SS`, with a fraction (trailing zeros trimmed) when not zero. */
function formatTime(value: bigint, unit: 'MILLIS' | 'MICROS' | 'NANOS'): string {
  const digits = unit === 'MILLIS' ? 3 : unit === 'MICROS' ? 6 : 9;
  const perSecond = 10n ** BigInt(digits);
  if (value < 0n) return value.toString();
  const seconds = value / perSecond;
  const fraction = value % perSecond;
  const hh = (seconds / 3600n).toString().padStart(2, '0');
  const mm = ((seconds / 60n) % 60n).toString().padStart(2, '0');
  const ss = (seconds % 60n).toString().padStart(2, '0');
  if (fraction === 0n) return `${hh}:${mm}:${ss}`;
  return `${hh}:${mm}:${ss}.${fraction.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

/** The unscaled integer of a raw DECIMAL value: INT32 number, INT64 bigint or big-endian two's complement. */
export function unscaledOf(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`unexpected unscaled DECIMAL value ${v}`);
    return BigInt(v);
  }
  if (v instanceof Uint8Array) {
    if (v.length === 0) return 0n;
    let hex = '';
    for (const b of v) hex += b.toString(16).padStart(2, '0');
    const unsigned = BigInt(`0x${hex}`);
    return (v[0]! & 0x80) !== 0 ? unsigned - (1n << BigInt(v.length * 8)) : unsigned;
  }
  throw new Error(`unexpected unscaled DECIMAL value of type ${typeof v}`);
}

/** Exact text of `unscaled × 10^-scale`: 12345n, 4 → `1.2345`; 1n, 4 → `0.0001`; -5n, 2 → `-0.05`. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  let text: string;
  if (scale <= 0) {
    text = unscaled === 0n ? '0' : digits + '0'.repeat(-scale);
  } else {
    const padded = digits.padStart(scale + 1, '0');
    text = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  }
  return negative ? `-${text}` : text;
}

// ---------------------------------------------------------------------------------------------
// Nested values (structs, maps, lists) to JSON-ready plain values

/** A nested value, guided by its schema node, as plain JSON-ready data. */
function toPlain(node: SchemaTree, v: unknown, decimals: ReadonlyMap<SchemaElement, number>): unknown {
  if (v === null || v === undefined) return null;
  const el = node.element;
  if (node.children.length === 0) {
    if (el.repetition_type === 'REPEATED' && Array.isArray(v)) return v.map((x) => leafPlain(el, x, decimals));
    return leafPlain(el, v, decimals);
  }
  if (el.logical_type?.type === 'VARIANT') return plainOf(v, decimals); // hyparquet decodes variants itself
  if (isMapLike(node)) {
    const valueNode = node.children[0]!.children.find((c) => c.element.name === 'value');
    return mapToObject(v, valueNode, decimals);
  }
  if (el.converted_type === 'MAP' || el.converted_type === 'MAP_KEY_VALUE' || el.logical_type?.type === 'MAP') {
    // Not shaped the way hyparquet assembles maps: it hands back the raw {key_value: [{key, value}]}.
    const entriesNode = node.children.length === 1 ? node.children[0] : undefined;
    const valueNode = entriesNode?.children.find((c) => c.element.name === 'value');
    const inner = isPlainObject(v) && entriesNode ? v[entriesNode.element.name] : v;
    return mapToObject(inner ?? [], valueNode, decimals);
  }
  if (isListLike(node) && Array.isArray(v)) {
    const elementNode = node.children[0]!.children[0]!;
    return v.map((x) => toPlain(elementNode, x, decimals));
  }
  if (el.repetition_type === 'REPEATED' && Array.isArray(v)) {
    return v.map((x) => structPlain(node, x, decimals));
  }
  return structPlain(node, v, decimals);
}

function structPlain(node: SchemaTree, v: unknown, decimals: ReadonlyMap<SchemaElement, number>): unknown {
  if (v === null || v === undefined) return null;
  if (!isPlainObject(v)) return plainOf(v, decimals);
  const out = plainRecord();
  for (const child of node.children) {
    const name = child.element.name;
    if (name in v) out[name] = toPlain(child, v[name], decimals);
  }
  return out;
}

/** Map entries in any shape hyparquet may produce (object, `{key, value}[]`, `[k, v][]`, Map) → `{k: v}`. */
function mapToObject(v: unknown, valueNode: SchemaTree | undefined, decimals: ReadonlyMap<SchemaElement, number>): unknown {
  const out = plainRecord();
  const put = (k: unknown, value: unknown) => {
    const key = typeof k === 'string' ? k : k instanceof Uint8Array ? utf8.decode(k) : String(plainOf(k, decimals));
    out[key] = valueNode ? toPlain(valueNode, value, decimals) : plainOf(value, decimals);
  };
  if (v instanceof Map) {
    for (const [k, value] of v) put(k, value);
  } else if (Array.isArray(v)) {
    for (const entry of v) {
      if (Array.isArray(entry) && entry.length === 2) put(entry[0], entry[1]);
      else if (isPlainObject(entry) && 'key' in entry) put(entry.key, entry.value);
      else return plainOf(v, decimals);
    }
  } else if (isPlainObject(v)) {
    for (const [k, value] of Object.entries(v)) put(k, value);
  } else {
    return plainOf(v, decimals);
  }
  return out;
}

/** A scalar inside a nested value: exact decimals as strings, dates as ISO text, JSON columns parsed. */
function leafPlain(el: SchemaElement, v: unknown, decimals: ReadonlyMap<SchemaElement, number>): unknown {
  if (v === null || v === undefined) return null;
  const scale = decimals.get(el);
  if (scale !== undefined) return formatDecimal(unscaledOf(v), scale);
  if (typeof v === 'string' && (el.converted_type === 'JSON' || el.logical_type?.type === 'JSON')) {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  }
  if (v instanceof Date || isDateElement(el) || isTimeElement(el)) return leafText(el, v, decimals);
  if (typeof v === 'number' && el.type === 'FLOAT' && Number.isFinite(v)) return Number(formatFloat32(v));
  return plainOf(v, decimals);
}

/** Any decoded value as JSON-ready data, without schema guidance. */
function plainOf(v: unknown, decimals: ReadonlyMap<SchemaElement, number>): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'string':
    case 'boolean':
      return v;
    case 'object':
      break;
    default:
      return String(v);
  }
  if (v instanceof InvalidUtf8) throw new InvalidTextError(v.bytes);
  if (v instanceof Date) return formatTimestamp(v);
  if (v instanceof Uint8Array) return utf8.decode(v);
  if (v instanceof Map) return mapToObject(v, undefined, decimals);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    return Array.from(v as ArrayLike<unknown>, (x) => plainOf(x, decimals));
  }
  const out = plainRecord();
  for (const [k, x] of Object.entries(v)) out[k] = plainOf(x, decimals);
  return out;
}

/** A prototype-less object, so that a key such as `__proto__` is kept as data. */
function plainRecord(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !ArrayBuffer.isView(v) && !(v instanceof Map);
}
