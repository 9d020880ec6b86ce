// Validators for single FOCUS cells. They run once per cell on files of millions of rows, so they
// use anchored regular expressions and small caches instead of general-purpose parsers.

const decimalPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?$/;

/** A decimal as written in a file (`12.5`, `-0.000001`, `1E-7`), trimmed; undefined when it is not one. */
export function decimalText(raw: string): string | undefined {
  const text = raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
  return decimalPattern.test(text) ? text : undefined;
}

const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** A timestamp normalised to ISO 8601 with an explicit zone, and the instant it denotes. */
export interface Timestamp {
  readonly iso: string;
  readonly epochMs: number;
}

const timestampCache = new Map<string, Timestamp | null>();

/**
 * Parses `2024-09-01`, `2024-09-01 00:00:00`, `2024-09-01T00:00:00Z` or `...+02:00`.
 * A timestamp without a zone is UTC, as FOCUS requires. Returns undefined for anything else,
 * including impossible dates such as 2024-02-30.
 */
export function parseTimestamp(raw: string): Timestamp | undefined {
  const cached = timestampCache.get(raw);
  if (cached !== undefined) return cached ?? undefined;
  const parsed = parseTimestampUncached(raw.trim());
  if (timestampCache.size > 10_000) timestampCache.clear();
  // A cell read from a CSV chunk is a slice that keeps the whole chunk alive; cache a copy instead.
  timestampCache.set(copyString(raw), parsed ?? null);
  return parsed;
}

function parseTimestampUncached(text: string): Timestamp | undefined {
  const m = timestampPattern.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zoneRaw = 'Z'] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let zone = zoneRaw;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const zh = Number(digits.slice(0, 2));
    const zm = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (zh > 23 || zm > 59) return undefined;
    zone = `${zone[0]}${digits.slice(0, 2)}:${digits.length > 2 ? digits.slice(2) : '00'}`;
  }
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone}`;
  const epochMs = Date.parse(iso);
  if (Number.isNaN(epochMs)) return undefined;
  return { iso, epochMs };
}

/**
 * A copy of a string that shares no memory with it: a cell value is a slice of its CSV chunk, and
 * keeping the slice would keep the whole chunk alive.
 */
export function copyString(s: string): string {
  return s.split('').join('');
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const currencyPattern = /^[A-Z]{3}$/;

/** An ISO 4217 style three-letter currency code, upper case. */
export function isCurrencyCode(text: string): boolean {
  return currencyPattern.test(text);
}

/** Parses a cell that must hold a JSON object; returns the object, or a reason it is not one. */
export function parseJsonObject(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `is not valid JSON (${(e as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: `must be a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}` };
  }
  // Postgres jsonb cannot hold a NUL character.
  if (text.includes('\\u0000')) return { ok: false, reason: 'contains a NUL character (\\u0000)' };
  return { ok: true, value: value as Record<string, unknown> };
}
