import { Money } from './money.js';
import {
  componentStrings,
  zeroComponentSums,
  type ComponentSums,
  type VarianceComponentName,
  type VarianceComponents,
} from './variance-components.js';

/**
 * What a unit of cost is priced by: provider, service, SKU (SkuId, else SkuPriceId, else
 * ChargeDescription), PricingUnit and ChargeCategory. SkuId comes first on purpose: a new
 * SkuPriceId on the same SKU is a price change, which is what the rate effect measures; keying by
 * SkuPriceId would turn every price change into a new and a discontinued key.
 */
export interface PriceKey {
  readonly provider: string | null;
  readonly service: string | null;
  readonly sku: string | null;
  readonly pricingUnit: string | null;
  readonly chargeCategory: string;
}

/**
 * One price key's totals in one period. `quantified` splits a key's Usage lines with a usable
 * PricingQuantity (not null, not zero) from those without, which are unquantified usage.
 */
export interface PriceKeyTotal {
  readonly key: PriceKey;
  readonly quantified: boolean;
  /** Exact decimal: the cost on the chosen basis. */
  readonly cost: string;
  /** Exact decimal: the sum of PricingQuantity ("0" when there is none). */
  readonly quantity: string;
}

/** How a key's change was classified. */
export type KeyEffectKind = 'rate-volume' | 'new' | 'discontinued' | 'purchases' | 'credits' | 'tax' | 'adjustments' | 'unquantified';

/** One price key's contribution to a variance. */
export interface KeyEffect {
  readonly key: PriceKey;
  readonly quantified: boolean;
  readonly kind: KeyEffectKind;
  readonly actual: string;
  readonly comparison: string;
  readonly variance: string;
  readonly actualQuantity: string;
  readonly comparisonQuantity: string;
  /** Key-level components (mix is always 0 at key level); they sum to `variance` exactly. */
  readonly components: VarianceComponents;
}

/** A scope's variance between two periods, split into components that sum to it exactly. */
export interface Decomposition {
  readonly actual: string;
  readonly comparison: string;
  readonly variance: string;
  /** Scope-level components: volume at the service level, mix the difference to the key-level volumes. */
  readonly components: VarianceComponents;
  /** Every key, largest absolute variance first. */
  readonly keys: readonly KeyEffect[];
}

/** Decimal places of a volume effect; the rounding goes to the rate effect of the same key. */
export const volumeDecimalPlaces = 12;

const categoryComponent: Readonly<Record<string, VarianceComponentName & KeyEffectKind>> = {
  Purchase: 'purchases',
  Credit: 'credits',
  Tax: 'tax',
  Adjustment: 'adjustments',
};

/** A stable identity of a key (and its quantified flag), for matching the two periods. */
export function priceKeyId(key: PriceKey, quantified: boolean): string {
  return JSON.stringify([key.provider, key.service, key.sku, key.pricingUnit, key.chargeCategory, quantified]);
}

/** The service-level group a key's volume is aggregated in to measure mix. */
function mixGroupId(key: PriceKey): string {
  return JSON.stringify([key.provider, key.service, key.pricingUnit, key.chargeCategory]);
}

function volumeEffect(q1: Money, q0: Money, c0: Money): Money {
  return q1.minus(q0).times(c0).div(q0).toDecimalPlaces(volumeDecimalPlaces, Money.ROUND_HALF_EVEN);
}

/**
 * Decomposes the change from `comparison` to `current` (each a list of price-key totals of one
 * scope and currency). Per key, in this order:
 * - ChargeCategory Purchase, Credit, Tax, Adjustment: the whole change is purchases, credits, tax
 *   or adjustments;
 * - Usage without a usable quantity (or whose comparison quantity sums to zero): unquantified;
 * - Usage present only now: new; present only in the comparison: discontinued (minus its cost);
 * - otherwise volume = (q1 - q0) x c0 / q0 (rounded to 12 places) and rate = (c1 - c0) - volume.
 * At scope level, volume is measured per service group (provider, service, unit) as
 * (Q1 - Q0) x C0 / Q0 over its matched keys, and mix = key-level volumes - group volumes.
 * Every sum is exact, so the components add up to the variance exactly.
 */
export function decomposeVariance(current: readonly PriceKeyTotal[], comparison: readonly PriceKeyTotal[]): Decomposition {
  const merged = new Map<string, { key: PriceKey; quantified: boolean; c1: Money; q1: Money; c0: Money; q0: Money; now: boolean; before: boolean }>();
  const add = (t: PriceKeyTotal, isNow: boolean) => {
    const id = priceKeyId(t.key, t.quantified);
    let m = merged.get(id);
    if (!m) {
      m = { key: t.key, quantified: t.quantified, c1: new Money(0), q1: new Money(0), c0: new Money(0), q0: new Money(0), now: false, before: false };
      merged.set(id, m);
    }
    if (isNow) {
      m.c1 = m.c1.plus(t.cost);
      m.q1 = m.q1.plus(t.quantity);
      m.now = true;
    } else {
      m.c0 = m.c0.plus(t.cost);
      m.q0 = m.q0.plus(t.quantity);
      m.before = true;
    }
  };
  for (const t of current) add(t, true);
  for (const t of comparison) add(t, false);

  const scope = zeroComponentSums();
  let actual = new Money(0);
  let before = new Money(0);
  const groups = new Map<string, { c0: Money; q0: Money; q1: Money; keyVolume: Money }>();
  const keys: KeyEffect[] = [];
  for (const m of merged.values()) {
    actual = actual.plus(m.c1);
    before = before.plus(m.c0);
    const change = m.c1.minus(m.c0);
    const sums = zeroComponentSums();
    let kind: KeyEffectKind;
    const category = categoryComponent[m.key.chargeCategory];
    if (category) {
      kind = category;
      sums[category] = change;
    } else if (!m.quantified) {
      kind = 'unquantified';
      sums.unquantified = change;
    } else if (!m.before) {
      kind = 'new';
      sums.new = change;
    } else if (!m.now) {
      kind = 'discontinued';
      sums.discontinued = change;
    } else if (m.q0.isZero()) {
      kind = 'unquantified';
      sums.unquantified = change;
    } else {
      kind = 'rate-volume';
      sums.volume = volumeEffect(m.q1, m.q0, m.c0);
      sums.rate = change.minus(sums.volume);
      const gid = mixGroupId(m.key);
      const g = groups.get(gid) ?? { c0: new Money(0), q0: new Money(0), q1: new Money(0), keyVolume: new Money(0) };
      g.c0 = g.c0.plus(m.c0);
      g.q0 = g.q0.plus(m.q0);
      g.q1 = g.q1.plus(m.q1);
      g.keyVolume = g.keyVolume.plus(sums.volume);
      groups.set(gid, g);
    }
    for (const name of Object.keys(sums) as VarianceComponentName[]) {
      if (name !== 'volume') scope[name] = scope[name].plus(sums[name]);
    }
    keys.push({
      key: m.key,
      quantified: m.quantified,
      kind,
      actual: m.c1.toFixed(),
      comparison: m.c0.toFixed(),
      variance: change.toFixed(),
      actualQuantity: m.q1.toFixed(),
      comparisonQuantity: m.q0.toFixed(),
      components: componentStrings(sums),
    });
  }
  for (const g of groups.values()) {
    // A group whose comparison quantities cancel out has no unit cost: its volume stays key-level.
    const groupVolume = g.q0.isZero() ? g.keyVolume : volumeEffect(g.q1, g.q0, g.c0);
    scope.volume = scope.volume.plus(groupVolume);
    scope.mix = scope.mix.plus(g.keyVolume.minus(groupVolume));
  }
  // Sort keys are computed once per key: parsing decimals and building ids inside the comparator
  // costs n log n of each, which dominated an all-scopes report.
  const order = keys.map((k) => ({ k, size: new Money(k.variance).abs(), id: priceKeyId(k.key, k.quantified) }));
  order.sort((a, b) => b.size.cmp(a.size) || a.id.localeCompare(b.id));
  return { actual: actual.toFixed(), comparison: before.toFixed(), variance: actual.minus(before).toFixed(), components: componentStrings(scope), keys: order.map((o) => o.k) };
}

/** Against a budget or forecast: the consumption decomposition plus the gap already in the baseline. */
export interface PlanVariance {
  readonly actual: string;
  /** The budget or forecast amount. */
  readonly comparison: string;
  readonly variance: string;
  readonly components: VarianceComponents;
}

/**
 * Variance against a plan amount: actual - plan = (actual - comparison-period actual), split as
 * usual, + baselineGap = (comparison-period actual - plan), so the parts still add up exactly.
 */
export function againstPlan(decomposition: Decomposition, plan: string): PlanVariance {
  const sums = zeroComponentSums() as ComponentSums;
  for (const name of Object.keys(decomposition.components) as VarianceComponentName[]) sums[name] = new Money(decomposition.components[name]);
  sums.baselineGap = new Money(decomposition.comparison).minus(plan);
  return {
    actual: decomposition.actual,
    comparison: new Money(plan).toFixed(),
    variance: new Money(decomposition.actual).minus(plan).toFixed(),
    components: componentStrings(sums),
  };
}
