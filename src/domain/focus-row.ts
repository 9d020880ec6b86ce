import {
  chargeCategories,
  detectFocusVersion,
  focusColumnIndex,
  focusColumns,
  focusIndexOf,
  type FocusVersion,
} from './focus-columns.js';
import { decimalText, isCurrencyCode, parseJsonObject, parseTimestamp } from './cell-values.js';
import type { TagResolver } from './shared-fields.js';

/** A problem with one cell or the header, located for the person who has to fix the file. */
export interface CellError {
  readonly line: number;
  readonly column: string;
  readonly reason: string;
}

/** How a file's columns map onto the FOCUS catalog, decided once from its header. */
export interface FocusHeaderPlan {
  readonly version: FocusVersion;
  /** For each file column: its index in the catalog, or -1 when it is kept in `extra`. */
  readonly catalogIndex: readonly number[];
  /** For each file column: its header name as written (trimmed). */
  readonly names: readonly string[];
  /** Non-FOCUS columns kept in the `extra` JSON (x_ custom columns and unknown ones). */
  readonly extraColumns: readonly string[];
  readonly warnings: readonly string[];
}

const chargeCategorySet: ReadonlySet<string> = new Set(chargeCategories);
const nullTokens: ReadonlySet<string> = new Set(['', 'NULL', 'null']);

/**
 * Maps a header row onto the FOCUS catalog. Matching is by exact FOCUS name, tolerating case and
 * surrounding blanks. Fails when a mandatory column is missing or a column appears twice.
 */
export function planFocusHeader(header: readonly string[]): { ok: true; plan: FocusHeaderPlan } | { ok: false; errors: CellError[] } {
  const byLower = new Map(focusColumns.map((c, i) => [c.name.toLowerCase(), i]));
  const names = header.map((h) => h.replace(/^\uFEFF/, '').trim());
  const catalogIndex: number[] = [];
  const seen = new Map<string, number>();
  const errors: CellError[] = [];
  const extraColumns: string[] = [];
  const unknown: string[] = [];
  names.forEach((name, i) => {
    const lower = name.toLowerCase();
    if (name === '') {
      errors.push({ line: 1, column: `#${i + 1}`, reason: 'header cell is empty' });
    } else if (seen.has(lower)) {
      errors.push({ line: 1, column: name, reason: `column appears twice (positions ${seen.get(lower)! + 1} and ${i + 1})` });
    }
    seen.set(lower, i);
    const idx = byLower.get(lower);
    catalogIndex.push(idx ?? -1);
    if (idx === undefined && name !== '') {
      extraColumns.push(name);
      if (!lower.startsWith('x_')) unknown.push(name);
    }
  });
  const present = new Set(catalogIndex.filter((i) => i >= 0).map((i) => focusColumns[i]!.name));
  const successorOf: Record<string, string> = { ProviderName: 'ServiceProviderName', PublisherName: 'ServiceProviderName' };
  for (const c of focusColumns) {
    if (!c.mandatory || present.has(c.name)) continue;
    const successor = successorOf[c.name];
    if (successor && present.has(successor)) continue;
    errors.push({ line: 1, column: c.name, reason: 'mandatory FOCUS column is missing from the header' });
  }
  if (errors.length > 0) return { ok: false, errors };
  const warnings = unknown.length
    ? [`kept ${unknown.length} non-FOCUS column(s) in extra: ${unknown.join(', ')}`]
    : [];
  return {
    ok: true,
    plan: { version: detectFocusVersion(present), catalogIndex, names, extraColumns, warnings },
  };
}

/** One validated FOCUS row, ready to store: catalog-ordered values plus what was resolved from it. */
export interface FocusLine {
  readonly sourceLine: number;
  /** Cell values in {@link focusColumns} order, normalised (timestamps ISO with zone), null when absent. */
  readonly values: (string | null)[];
  /** The six shared fields in `sharedFields` order. */
  readonly shared: (string | null)[];
  /** JSON text of non-FOCUS columns, or null when there are none with a value. */
  readonly extra: string | null;
  readonly billingAccountId: string;
  readonly billingPeriodStart: string;
  readonly billingPeriodStartMs: number;
}

const I = {
  billingAccountId: focusIndexOf('BillingAccountId'),
  billingPeriodStart: focusIndexOf('BillingPeriodStart'),
  billingPeriodEnd: focusIndexOf('BillingPeriodEnd'),
  chargePeriodStart: focusIndexOf('ChargePeriodStart'),
  chargePeriodEnd: focusIndexOf('ChargePeriodEnd'),
  providerName: focusIndexOf('ProviderName'),
  serviceProviderName: focusIndexOf('ServiceProviderName'),
  tags: focusIndexOf('Tags'),
};

/**
 * Validates one data row against its header plan. On success the line is ready to store; on failure
 * every bad cell is reported with its line and column.
 */
export function normalizeFocusRow(
  plan: FocusHeaderPlan,
  cells: readonly string[],
  sourceLine: number,
  tags: TagResolver,
): { ok: true; line: FocusLine } | { ok: false; errors: CellError[] } {
  const values: (string | null)[] = new Array(focusColumns.length).fill(null);
  let errors: CellError[] | undefined;
  let extra: Record<string, string> | undefined;
  let parsedTags: Record<string, unknown> | null = null;
  const epoch: number[] = [];
  const fail = (column: string, reason: string) => (errors ??= []).push({ line: sourceLine, column, reason });

  if (cells.length !== plan.names.length) {
    fail('(row)', `has ${cells.length} cells but the header has ${plan.names.length} columns`);
    return { ok: false, errors: errors! };
  }
  for (let i = 0; i < cells.length; i++) {
    const raw = cells[i]!;
    const ci = plan.catalogIndex[i]!;
    if (ci < 0) {
      if (!nullTokens.has(raw)) (extra ??= {})[plan.names[i]!] = raw;
      continue;
    }
    if (nullTokens.has(raw)) continue;
    const column = focusColumns[ci]!;
    if (raw.includes('\u0000')) {
      fail(column.name, 'contains a NUL character');
      continue;
    }
    switch (column.type) {
      case 'text':
        values[ci] = raw;
        break;
      case 'decimal': {
        const text = decimalText(raw);
        if (text === undefined) fail(column.name, `is not a number: ${JSON.stringify(raw)}`);
        else values[ci] = text;
        break;
      }
      case 'datetime': {
        const ts = parseTimestamp(raw);
        if (!ts) fail(column.name, `is not an ISO 8601 date-time (like 2024-09-01T00:00:00Z): ${JSON.stringify(raw)}`);
        else {
          values[ci] = ts.iso;
          epoch[ci] = ts.epochMs;
        }
        break;
      }
      case 'currency':
        if (!isCurrencyCode(raw)) fail(column.name, `is not a three-letter currency code: ${JSON.stringify(raw)}`);
        else values[ci] = raw;
        break;
      case 'charge-category':
        if (!chargeCategorySet.has(raw)) {
          fail(column.name, `must be one of ${chargeCategories.join(', ')}; got ${JSON.stringify(raw)}`);
        } else values[ci] = raw;
        break;
      case 'charge-class':
        if (raw !== 'Correction') fail(column.name, `must be empty or Correction; got ${JSON.stringify(raw)}`);
        else values[ci] = raw;
        break;
      case 'json-object': {
        const parsed = parseJsonObject(raw);
        if (!parsed.ok) fail(column.name, parsed.reason);
        else {
          values[ci] = raw;
          if (ci === I.tags) parsedTags = parsed.value;
        }
        break;
      }
    }
  }
  for (const c of focusColumns) {
    if (!c.required) continue;
    const ci = focusColumnIndex.get(c.name)!;
    if (values[ci] === null && !errors?.some((e) => e.column === c.name)) fail(c.name, 'is required but empty');
  }
  checkOrder(epoch, I.billingPeriodStart, I.billingPeriodEnd, 'BillingPeriodEnd', 'BillingPeriodStart', fail);
  checkOrder(epoch, I.chargePeriodStart, I.chargePeriodEnd, 'ChargePeriodEnd', 'ChargePeriodStart', fail);
  if (errors) return { ok: false, errors };

  if (values[I.providerName] === null) values[I.providerName] = values[I.serviceProviderName] ?? null;
  return {
    ok: true,
    line: {
      sourceLine,
      values,
      shared: tags.resolve(parsedTags),
      extra: extra ? JSON.stringify(extra) : null,
      billingAccountId: values[I.billingAccountId]!,
      billingPeriodStart: new Date(epoch[I.billingPeriodStart]!).toISOString(),
      billingPeriodStartMs: epoch[I.billingPeriodStart]!,
    },
  };
}

function checkOrder(
  epoch: readonly number[],
  startIndex: number,
  endIndex: number,
  endName: string,
  startName: string,
  fail: (column: string, reason: string) => void,
): void {
  const start = epoch[startIndex];
  const end = epoch[endIndex];
  if (start !== undefined && end !== undefined && end < start) fail(endName, `is before ${startName}`);
}
