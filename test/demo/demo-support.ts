// Helpers for the demo-data tests: temp directories, CSV parsing and exact decimal sums.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Decimal as BaseDecimal } from 'decimal.js';

/** Decimal with enough precision that sums of FOCUS amounts are exact. */
export const Decimal = BaseDecimal.clone({ precision: 60 });
export type Decimal = BaseDecimal;

/** A fresh temp directory; remove it with {@link removeDir}. */
export function tempDir(prefix = 'costbridge-demo-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Every file under a directory: relative path (with `/`) -> content. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(relative(dir, p).split('\\').join('/'), await readFile(p, 'utf8'));
    }
  };
  await walk(dir);
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export type CsvRecord = Record<string, string>;

/** Parses CSV text with a header into records (empty cell = ''). */
export function parseCsv(text: string): { header: string[]; records: CsvRecord[] } {
  const rows = parse(text, { relax_column_count: false }) as string[][];
  const [header = [], ...body] = rows;
  return { header, records: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

/** The exact sum of a column (empty cells count as zero). */
export function sum(records: readonly CsvRecord[], column: string): Decimal {
  return records.reduce((s, r) => s.plus(r[column] ? new Decimal(r[column]!) : 0), new Decimal(0));
}

/** Groups and sums a column exactly. */
export function sumBy(records: readonly CsvRecord[], key: (r: CsvRecord) => string, column: string): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const r of records) {
    const k = key(r);
    out.set(k, (out.get(k) ?? new Decimal(0)).plus(r[column] ? new Decimal(r[column]!) : 0));
  }
  return out;
}

const costCenterKeys = new Set(['costcenter', 'cost-center', 'cost_center', 'cost center', 'cc']);

/** The cost center a FOCUS record's Tags name under any spelling, or undefined. */
export function taggedCostCenter(r: CsvRecord): string | undefined {
  if (!r['Tags']) return undefined;
  const tags = JSON.parse(r['Tags']) as Record<string, string>;
  for (const [k, v] of Object.entries(tags)) if (costCenterKeys.has(k.trim().toLowerCase())) return v;
  return undefined;
}
