import type { SharedFieldValues } from './attribution.js';
import { tagKeyOf, trimSpaces } from './attribution.js';
import { parseBillingMonth, type BillingMonth } from './billing-month.js';
import { CostbridgeError } from './costbridge-error.js';
import { parseSharedField, sharedFieldFlag, sharedFields } from './shared-fields.js';

/** Parses repeated `--set cost-center=CC-1` options into the fields a rule assigns. */
export function parseAssignments(items: readonly string[], flag = '--set'): SharedFieldValues {
  const out: SharedFieldValues = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const field = eq > 0 ? parseSharedField(item.slice(0, eq)) : undefined;
    const value = eq > 0 ? item.slice(eq + 1).trim() : '';
    if (!field) {
      throw new CostbridgeError(
        'INPUT_INVALID',
        `${flag} ${JSON.stringify(item)}: expected FIELD=VALUE with FIELD one of ${sharedFields.map(sharedFieldFlag).join(', ')}`,
      );
    }
    if (value === '') throw new CostbridgeError('INPUT_INVALID', `${flag} ${JSON.stringify(item)}: the value is empty`);
    if (out[field] !== undefined) throw new CostbridgeError('INPUT_INVALID', `${flag}: ${sharedFieldFlag(field)} given twice`);
    out[field] = value;
  }
  if (Object.keys(out).length === 0) throw new CostbridgeError('INPUT_INVALID', `a rule must set at least one field (${flag} cost-center=CC-1)`);
  return out;
}

/** Parses repeated `--tag KEY=VALUE` conditions; the key is trimmed and case-folded, the value is a glob. */
export function parseTagConditions(items: readonly string[]): { key: string; value: string }[] {
  return items.map((item) => {
    const eq = item.indexOf('=');
    const key = eq > 0 ? tagKeyOf(item.slice(0, eq)) : '';
    const value = eq > 0 ? trimSpaces(item.slice(eq + 1)) : '';
    if (key === '' || value === '') {
      throw new CostbridgeError('INPUT_INVALID', `--tag ${JSON.stringify(item)}: expected KEY=VALUE (VALUE may use * as a wildcard)`);
    }
    return { key, value };
  });
}

/** Parses `--priority`: a whole number; the LOWEST number wins. */
export function parsePriority(text: string): number {
  if (!/^-?\d{1,6}$/.test(text.trim())) throw new CostbridgeError('INPUT_INVALID', `--priority must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** The billing months a rule is effective in: `from` inclusive, `to` inclusive (optional). */
export interface EffectivePeriods {
  readonly from: BillingMonth;
  readonly to: BillingMonth | null;
  /** Exclusive end instant (the month after `to`), or null. */
  readonly until: string | null;
}

/** Parses `--from YYYY-MM [--to YYYY-MM]`. */
export function parseEffectivePeriods(from: string, to?: string): EffectivePeriods {
  const f = parseBillingMonth(from, '--from');
  const t = to === undefined ? null : parseBillingMonth(to, '--to');
  if (t && t.start < f.start) throw new CostbridgeError('INPUT_INVALID', `--to ${t.key} is before --from ${f.key}`);
  return { from: f, to: t, until: t ? t.end : null };
}
