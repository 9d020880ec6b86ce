import type { CellError } from './focus-row.js';
import type { ItfmFormat } from './itfm-rows.js';

/** Source header (as typed) -> our column name, from `--map "Cost Centre=cost_center"` options. */
export type ColumnMap = ReadonlyMap<string, string>;

/**
 * Parses `source=target` renames. The last `=` splits them (a source header may contain one); the
 * target must be a column of the format and may be named once; sources compare trimmed and case-blind.
 */
export function parseColumnMap(
  entries: readonly string[],
  format: ItfmFormat<unknown>,
): { ok: true; map: ColumnMap } | { ok: false; errors: string[] } {
  const map = new Map<string, string>();
  const sources = new Set<string>();
  const targets = new Map<string, string>();
  const errors: string[] = [];
  for (const entry of entries) {
    const at = entry.lastIndexOf('=');
    const source = at < 0 ? '' : entry.slice(0, at).trim();
    const target = at < 0 ? '' : entry.slice(at + 1).trim();
    if (source === '' || target === '') {
      errors.push(`--map ${JSON.stringify(entry)}: write it as "source column=target column"`);
    } else if (!format.columns.includes(target)) {
      errors.push(
        `--map ${JSON.stringify(entry)}: ${JSON.stringify(target)} is not a ${format.kind} column (${format.columns.join(', ')})`,
      );
    } else if (sources.has(source.toLowerCase())) {
      errors.push(`--map ${JSON.stringify(entry)}: ${JSON.stringify(source)} is already mapped`);
    } else if (targets.has(target)) {
      errors.push(`--map ${JSON.stringify(entry)}: ${target} is already the target of ${JSON.stringify(targets.get(target))}`);
    } else {
      map.set(source, target);
      sources.add(source.toLowerCase());
      targets.set(target, source);
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, map };
}

/** How a file's header maps onto a format, decided once before any data row is read. */
export interface ItfmHeaderPlan {
  /** Our column name -> its position in the file; absent columns are not keys. */
  readonly position: ReadonlyMap<string, number>;
  /** Our column name -> the header as the file writes it, to point people at the cell to fix. */
  readonly label: ReadonlyMap<string, string>;
  /** How many cells every data row must have. */
  readonly width: number;
  /** Header cells the format does not know, ignored. */
  readonly ignored: readonly string[];
}

/**
 * Matches a header row to a format: a `--map` rename first, else our column name (trimmed,
 * case-blind). A leading byte-order mark is dropped. Fails on a missing required column, a column
 * named twice, or a `--map` source the header does not have.
 */
export function planItfmHeader(
  header: readonly string[],
  format: ItfmFormat<unknown>,
  map: ColumnMap,
  line = 1,
): { ok: true; plan: ItfmHeaderPlan } | { ok: false; errors: CellError[] } {
  const names = header.map((h, i) => (i === 0 ? withoutByteOrderMark(h) : h).trim());
  const position = new Map<string, number>();
  const label = new Map<string, string>();
  const ignored: string[] = [];
  const errors: CellError[] = [];
  const renames = new Map([...map].map(([source, target]) => [source.toLowerCase(), target]));
  const targets = new Set(map.values());
  const used = new Set<string>();
  names.forEach((name, i) => {
    const lower = name.toLowerCase();
    const mapped = renames.get(lower);
    if (mapped !== undefined) used.add(lower);
    // A column renamed onto ours wins over a file column that happens to carry our name.
    const column = mapped ?? format.columns.find((c) => c === lower && !targets.has(c));
    if (column === undefined) {
      if (name !== '') ignored.push(name);
      return;
    }
    const earlier = position.get(column);
    if (earlier !== undefined) {
      errors.push({ line, column: name, reason: `is a second ${column} column (column ${earlier + 1} is one already)` });
      return;
    }
    position.set(column, i);
    label.set(column, name);
  });
  const unmet = new Set<string>();
  for (const [source, target] of map) {
    if (used.has(source.toLowerCase())) continue;
    errors.push({ line, column: source, reason: 'is not in the header (it was given with --map)' });
    unmet.add(target);
  }
  for (const column of format.required) {
    if (!position.has(column) && !unmet.has(column)) {
      errors.push({ line, column, reason: 'required column is missing from the header' });
    }
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, plan: { position, label, width: header.length, ignored } };
}

/**
 * The first header cell without a leading U+FEFF. The CSV parser sees the mark before an opening
 * quote as an ordinary character, so `\uFEFF"code"` arrives with its quotes: remove them too.
 */
function withoutByteOrderMark(cell: string): string {
  if (!cell.startsWith('\uFEFF')) return cell;
  const rest = cell.slice(1);
  const quoted = /^"((?:[^"]|"")*)"$/.exec(rest);
  return quoted ? quoted[1]!.replace(/""/g, '"') : rest;
}

/** The cells of one data row keyed by our column name (undefined for a column the file lacks). */
export function rowCells(plan: ItfmHeaderPlan, cells: readonly string[]): Record<string, string | undefined> {
  const keyed: Record<string, string | undefined> = {};
  for (const [column, i] of plan.position) keyed[column] = cells[i];
  return keyed;
}
