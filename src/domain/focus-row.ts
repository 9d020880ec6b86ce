import {
  chargeCategories,
  detectFocusVersion,
  focusColumns,
  focusIndexOf,
  type FocusColumn,
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
  readonly chargePeriodStartMs: number;
  /** The Tags object as parsed while validating it, so nothing parses it twice. */
  readonly tags: Readonly<Record<string, unknown>> | null;
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

const enum Kind {
  Text,
  Decimal,
  Datetime,
  Currency,
  ChargeCategory,
  ChargeClass,
  Json,
}
const kindOf: Record<FocusColumn['type'], Kind> = {
  text: Kind.Text,
  decimal: Kind.Decimal,
  datetime: Kind.Datetime,
  currency: Kind.Currency,
  'charge-category': Kind.ChargeCategory,
  'charge-class': Kind.ChargeClass,
  'json-object': Kind.Json,
};
// Per catalog column, decided once: this loop runs for every cell of files with millions of rows.
const catalogKinds: readonly Kind[] = focusColumns.map((c) => kindOf[c.type]);
const requiredIndexes: readonly number[] = focusColumns.flatMap((c, i) => (c.required ? [i] : []));

function isNullCell(raw: string): boolean {
  return raw === '' || raw === 'NULL' || raw === 'null';
}

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
  if (cells.length !== plan.names.length) {
    const reason = `has ${cells.length} cells but the header has ${plan.names.length} columns`;
    return { ok: false, errors: [{ line: sourceLine, column: '(row)', reason }] };
  }
  const values: (string | null)[] = new Array(focusColumns.length).fill(null);
  let errors: CellError[] | undefined;
  let extra: Record<string, string> | undefined;
  let parsedTags: Record<string, unknown> | null = null;
  let billingStart = NaN, billingEnd = NaN, chargeStart = NaN, chargeEnd = NaN;
  const catalogIndex = plan.catalogIndex;

  for (let i = 0; i < cells.length; i++) {
    const raw = cells[i]!;
    const ci = catalogIndex[i]!;
    if (isNullCell(raw)) continue;
    if (ci < 0) {
      (extra ??= {})[plan.names[i]!] = raw;
      continue;
    }
    let reason: string | undefined;
    if (raw.includes('\u0000')) {
      reason = 'contains a NUL character';
    } else {
      switch (catalogKinds[ci]) {
        case Kind.Text:
          values[ci] = raw;
          break;
        case Kind.Decimal: {
          const text = decimalText(raw);
          if (text === undefined) reason = `is not a number: ${JSON.stringify(raw)}`;
          else values[ci] = text;
          break;
        }
        case Kind.Datetime: {
          const ts = parseTimestamp(raw);
          if (!ts) {
            reason = `is not an ISO 8601 date-time (like 2024-09-01T00:00:00Z): ${JSON.stringify(raw)}`;
            break;
          }
          values[ci] = ts.iso;
          if (ci === I.billingPeriodStart) billingStart = ts.epochMs;
          else if (ci === I.billingPeriodEnd) billingEnd = ts.epochMs;
          else if (ci === I.chargePeriodStart) chargeStart = ts.epochMs;
          else if (ci === I.chargePeriodEnd) chargeEnd = ts.epochMs;
          break;
        }
        case Kind.Currency:
          if (!isCurrencyCode(raw)) reason = `is not a three-letter currency code: ${JSON.stringify(raw)}`;
          else values[ci] = raw;
          break;
        case Kind.ChargeCategory:
          if (!chargeCategorySet.has(raw)) reason = `must be one of ${chargeCategories.join(', ')}; got ${JSON.stringify(raw)}`;
          else values[ci] = raw;
          break;
        case Kind.ChargeClass:
          if (raw !== 'Correction') reason = `must be empty or Correction; got ${JSON.stringify(raw)}`;
          else values[ci] = raw;
          break;
        case Kind.Json: {
          const parsed = parseJsonObject(raw);
          if (!parsed.ok) reason = parsed.reason;
          else {
            values[ci] = raw;
            if (ci === I.tags) parsedTags = parsed.value;
          }
          break;
        }
      }
    }
    if (reason !== undefined) (errors ??= []).push({ line: sourceLine, column: focusColumns[ci]!.name, reason });
  }
  for (const ci of requiredIndexes) {
    if (values[ci] !== null) continue;
    const column = focusColumns[ci]!.name;
    if (!errors?.some((e) => e.column === column)) (errors ??= []).push({ line: sourceLine, column, reason: 'is required but empty' });
  }
  if (billingEnd < billingStart) (errors ??= []).push({ line: sourceLine, column: 'BillingPeriodEnd', reason: 'is before BillingPeriodStart' });
  if (chargeEnd < chargeStart) (errors ??= []).push({ line: sourceLine, column: 'ChargePeriodEnd', reason: 'is before ChargePeriodStart' });
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
      billingPeriodStart: new Date(billingStart).toISOString(),
      billingPeriodStartMs: billingStart,
      chargePeriodStartMs: chargeStart,
      tags: parsedTags,
    },
  };
}

