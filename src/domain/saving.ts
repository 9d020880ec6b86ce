import { CostbridgeError } from './costbridge-error.js';
import { Money } from './money.js';

/** How a saving is achieved. Rate levers lower the price paid, usage levers the quantity used. */
export const savingLevers = [
  'commitment-discount',
  'negotiated-price',
  'license-harvest',
  'rightsizing',
  'cleanup',
  'scheduling',
  'architecture',
] as const;
/** One saving lever. */
export type SavingLever = (typeof savingLevers)[number];
/** Rate (price) or usage (quantity): decides how a saving is measured. */
export type LeverKind = 'rate' | 'usage';

const rateLevers: ReadonlySet<SavingLever> = new Set(['commitment-discount', 'negotiated-price', 'license-harvest']);

/** Whether a lever changes the rate or the usage. */
export function leverKind(lever: SavingLever): LeverKind {
  return rateLevers.has(lever) ? 'rate' : 'usage';
}

/**
 * Cost reduction lowers spend that is in the current run rate and budget; cost avoidance prevents
 * a cost that was not in it yet (so it never lowers a budget line).
 */
export const savingTypes = ['reduction', 'avoidance'] as const;
/** Reduction or avoidance. */
export type SavingType = (typeof savingTypes)[number];

/** Where a saving is in its lifecycle. */
export const savingStatuses = ['proposed', 'validated', 'recognized', 'rejected', 'withdrawn'] as const;
/** One lifecycle state. */
export type SavingStatus = (typeof savingStatuses)[number];

/** The cost a usage saving's run rates are computed on. */
export type UsageBasis = 'effective' | 'billed';
/** The price a rate saving is measured against: ListCost or ContractedCost. */
export type ReferenceCost = 'list' | 'contracted';

/** A FOCUS field a saving's scope can filter on, as named on the command line, and its cost_line column. */
export interface SavingFilterField {
  readonly name: string;
  readonly focusColumn: string;
  readonly column: string;
}

/** Every field `--filter FIELD=VALUE` accepts. */
export const savingFilterFields: readonly SavingFilterField[] = [
  { name: 'provider', focusColumn: 'ProviderName', column: 'provider_name' },
  { name: 'billing-account', focusColumn: 'BillingAccountId', column: 'billing_account_id' },
  { name: 'sub-account', focusColumn: 'SubAccountId', column: 'sub_account_id' },
  { name: 'service-category', focusColumn: 'ServiceCategory', column: 'service_category' },
  { name: 'service', focusColumn: 'ServiceName', column: 'service_name' },
  { name: 'sku', focusColumn: 'SkuId', column: 'sku_id' },
  { name: 'region', focusColumn: 'RegionId', column: 'region_id' },
  { name: 'resource', focusColumn: 'ResourceId', column: 'resource_id' },
  { name: 'commitment-discount-id', focusColumn: 'CommitmentDiscountId', column: 'commitment_discount_id' },
];

/** Field name → the values it may take (alternatives); sorted, no duplicates. */
export type SavingFilters = Readonly<Record<string, readonly string[]>>;

/** A saving as the ledger holds it. Amounts are exact decimal strings; dates `YYYY-MM-DD`. */
export interface Saving {
  readonly id: string;
  readonly title: string;
  readonly lever: SavingLever;
  readonly leverKind: LeverKind;
  readonly type: SavingType;
  readonly costCenter: string;
  /** Budget category recognition lowers; '' = uncategorised. */
  readonly category: string;
  readonly filters: SavingFilters;
  readonly effectiveDate: string;
  /** Last day it applies (inclusive), or null when open-ended. */
  readonly endDate: string | null;
  readonly baselineStart: string | null;
  readonly baselineEnd: string | null;
  readonly basis: UsageBasis | null;
  readonly referenceCost: ReferenceCost | null;
  readonly estimateMonthly: string;
  readonly currency: string;
  readonly evidence: string | null;
  readonly proposer: string;
  readonly status: SavingStatus;
  readonly recognizedMonthly: string | null;
  /** `YYYY-MM`: first month of the budget revision. */
  readonly recognizedFrom: string | null;
  readonly approver: string | null;
  readonly recognizedBy: string | null;
  readonly closedBy: string | null;
  readonly rejectReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

function oneOf<T extends string>(values: readonly T[], text: string, what: string): T {
  const t = text.trim();
  if ((values as readonly string[]).includes(t)) return t as T;
  throw new CostbridgeError('INPUT_INVALID', `${what} must be one of ${values.join(', ')}, got ${JSON.stringify(text)}`);
}

/** Parses `--lever`. */
export function parseSavingLever(text: string, what = '--lever'): SavingLever {
  return oneOf(savingLevers, text, what);
}

/** Parses `--type`. */
export function parseSavingType(text: string, what = '--type'): SavingType {
  return oneOf(savingTypes, text, what);
}

/** Parses `--status`. */
export function parseSavingStatus(text: string, what = '--status'): SavingStatus {
  return oneOf(savingStatuses, text, what);
}

/** Parses `--basis` of a usage saving. */
export function parseUsageBasis(text: string, what = '--basis'): UsageBasis {
  return oneOf(['effective', 'billed'] as const, text, what);
}

/** Parses `--reference` of a rate saving. */
export function parseReferenceCost(text: string, what = '--reference'): ReferenceCost {
  return oneOf(['list', 'contracted'] as const, text, what);
}

/** The reference price a rate lever is measured against unless told otherwise. */
export function defaultReferenceCost(lever: SavingLever): ReferenceCost {
  // A commitment discount is a discount on the price otherwise paid (the negotiated one); a
  // negotiated price or a harvested license is a saving against the public price.
  return lever === 'commitment-discount' ? 'contracted' : 'list';
}

/** Parses repeated `FIELD=VALUE` filters; the same field given twice means either value. */
export function parseSavingFilters(texts: readonly string[], what = '--filter'): SavingFilters {
  const out: Record<string, Set<string>> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    const field = eq < 0 ? '' : text.slice(0, eq).trim();
    const value = eq < 0 ? '' : text.slice(eq + 1).trim();
    if (eq < 0 || field === '' || value === '') {
      throw new CostbridgeError('INPUT_INVALID', `${what} must be FIELD=VALUE, got ${JSON.stringify(text)}`);
    }
    if (!savingFilterFields.some((f) => f.name === field)) {
      throw new CostbridgeError(
        'INPUT_INVALID',
        `${what} ${JSON.stringify(text)}: unknown field ${JSON.stringify(field)}; use one of ${savingFilterFields.map((f) => f.name).join(', ')}`,
      );
    }
    (out[field] ??= new Set()).add(value);
  }
  return normalizeSavingFilters(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]])));
}

/** Filters with fields in catalog order and values sorted, so equal scopes compare equal. */
export function normalizeSavingFilters(filters: Readonly<Record<string, readonly string[]>>): SavingFilters {
  const out: Record<string, string[]> = {};
  for (const f of savingFilterFields) {
    const values = filters[f.name];
    if (values && values.length > 0) out[f.name] = [...new Set(values)].sort();
  }
  return out;
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a calendar date `YYYY-MM-DD` (checked to exist); `what` names the flag or field. */
export function parseCalendarDate(text: string, what: string): string {
  const t = text.trim();
  const m = datePattern.exec(t);
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    if (d.toISOString().slice(0, 10) === t) return t;
  }
  throw new CostbridgeError('INPUT_INVALID', `${what} must be a date like 2026-03-01, got ${JSON.stringify(text)}`);
}

/** Parses a positive money amount (`1200`, `99.95`) into an exact decimal string. */
export function parsePositiveAmount(text: string, what: string): string {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t) || /^\.\d+$/.test(t)) {
    const v = new Money(t);
    if (v.gt(0)) return v.toFixed();
  }
  throw new CostbridgeError('INPUT_INVALID', `${what} must be a positive amount such as 1200 or 99.95, got ${JSON.stringify(text)}`);
}

/** Parses a three-letter currency code. */
export function parseCurrencyCode(text: string, what = '--currency'): string {
  const t = text.trim().toUpperCase();
  if (/^[A-Z]{3}$/.test(t)) return t;
  throw new CostbridgeError('INPUT_INVALID', `${what} must be a three-letter currency code such as USD, got ${JSON.stringify(text)}`);
}

/** `SAV-0001` from a sequence number. */
export function savingId(n: number): string {
  return `SAV-${String(n).padStart(4, '0')}`;
}

/** Adds days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (dates, `to` exclusive). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Whether text is a plain positive decimal (`800`, `99.95`). */
export function isPositiveDecimal(text: string): boolean {
  return /^\d+(\.\d+)?$/.test(text) && new Money(text).gt(0);
}

/** An exact decimal string without trailing zeros (`800.00` → `800`). */
export function normalizeAmount(text: string): string {
  return new Money(text).toFixed();
}
