import { Money } from '../domain/money.js';
import type { BillingMonth } from '../domain/billing-month.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import { sharedFields, type SharedField } from '../domain/shared-fields.js';
import type { Store } from '../store/database.js';
import { sumSeenTagKeys, sumTagCoverage, type SeenTagKey } from '../store/tag-coverage.js';

/** Coverage of cost: the exact covered cost and its share of the total (4 decimals, null when the total is 0). */
export interface Coverage {
  readonly cost: string;
  readonly share: string | null;
}

/** Tag coverage of one provider and sub-account (or a whole currency). */
export interface CoverageRow {
  readonly provider: string | null;
  readonly subAccountId: string | null;
  readonly subAccountName: string | null;
  readonly lines: number;
  readonly total: string;
  /** Every required shared field resolved. */
  readonly required: Coverage;
  readonly fields: Readonly<Record<SharedField, Coverage>>;
}

/** The tag report of one currency: coverage rows, the overall row, and the tag keys seen. */
export interface CurrencyTagReport {
  readonly currency: string;
  readonly rows: readonly CoverageRow[];
  readonly overall: CoverageRow;
  readonly mappedKeys: readonly SeenTagKey[];
  readonly unmappedKeys: readonly SeenTagKey[];
}

/** Tag coverage by cost for a billing month. */
export interface TagReport {
  readonly period: string;
  readonly basis: CostBasis;
  readonly requiredFields: readonly SharedField[];
  readonly currencies: readonly CurrencyTagReport[];
}

/**
 * The share of a total: cost ÷ total, rounded half away from zero to 4 decimals. Net
 * cost is used (credits count negative), the same cost every other report sums.
 */
export function costShare(cost: string, total: string): string | null {
  const t = new Money(total);
  return t.isZero() ? null : new Money(cost).div(t).toDecimalPlaces(4, Money.ROUND_HALF_UP).toFixed(4);
}

function coverage(cost: string, total: string): Coverage {
  return { cost: new Money(cost).toFixed(), share: costShare(cost, total) };
}

/**
 * Tag coverage by cost (not by line count) per provider and sub-account, for the required shared
 * fields together and for each field, plus every tag key seen in the period: those an alias maps
 * to a shared field, and those that map to none (candidates for `costbridge aliases add`).
 */
export async function reportTags(
  store: Store,
  request: { period: BillingMonth; basis: CostBasis; requiredFields: readonly SharedField[] },
): Promise<TagReport> {
  const groups = await sumTagCoverage(store.db, request.period, request.basis, request.requiredFields);
  const keys = (await sumSeenTagKeys(store.db, request.period, request.basis)).map((k) => ({ ...k, cost: new Money(k.cost).toFixed() }));
  const currencies = [...new Set(groups.map((g) => g.currency))].sort();
  const order = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  const byCost = (a: SeenTagKey, b: SeenTagKey) => new Money(b.cost).cmp(a.cost) || order(a.key, b.key);
  return {
    period: request.period.key,
    basis: request.basis,
    requiredFields: request.requiredFields,
    currencies: currencies.map((currency) => {
      const mine = groups.filter((g) => g.currency === currency).sort((a, b) => order(a.provider, b.provider) || order(a.subAccountId, b.subAccountId));
      const rows = mine.map((g) => ({
        provider: g.provider,
        subAccountId: g.subAccountId,
        subAccountName: g.subAccountName,
        lines: g.lines,
        total: new Money(g.total).toFixed(),
        required: coverage(g.covered, g.total),
        fields: Object.fromEntries(sharedFields.map((f) => [f, coverage(g.byField[f], g.total)])) as Record<SharedField, Coverage>,
      }));
      const sum = (pick: (g: (typeof mine)[number]) => string) => mine.reduce((s, g) => s.plus(pick(g)), new Money(0)).toFixed();
      const total = sum((g) => g.total);
      const overall: CoverageRow = {
        provider: null,
        subAccountId: null,
        subAccountName: null,
        lines: mine.reduce((s, g) => s + g.lines, 0),
        total,
        required: coverage(sum((g) => g.covered), total),
        fields: Object.fromEntries(sharedFields.map((f) => [f, coverage(sum((g) => g.byField[f]), total)])) as Record<SharedField, Coverage>,
      };
      const seen = keys.filter((k) => k.currency === currency);
      return {
        currency,
        rows,
        overall,
        mappedKeys: seen.filter((k) => k.field !== null).sort(byCost),
        unmappedKeys: seen.filter((k) => k.field === null).sort(byCost),
      };
    }),
  };
}
