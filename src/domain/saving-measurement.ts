import { Money } from './money.js';
import { addDays, daysBetween, savingFilterFields, type Saving } from './saving.js';

/**
 * Decimal places kept where a measurement divides (run rates, prorated estimates): a quotient like
 * 100/30 has no exact decimal form. Sums of cost lines are never rounded.
 */
export const quotientDecimals = 6;

function quotient(value: Money): string {
  return value.toDecimalPlaces(quotientDecimals, Money.ROUND_HALF_EVEN).toFixed();
}

/** The part of one calendar month a saving is measured over: [from, to) as `YYYY-MM-DD`. */
export interface MeasurementWindow {
  readonly month: string;
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly daysInMonth: number;
}

function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

function nextMonth(date: string): string {
  const d = new Date(`${monthStart(date)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Monthly windows from the effective date to the end of the saving (inclusive end date) or of the
 * data (`dataEnd`, exclusive: the day after the last complete charge day), whichever is first.
 */
export function measurementWindows(effectiveDate: string, endDate: string | null, dataEnd: string | null): MeasurementWindow[] {
  if (dataEnd === null) return [];
  const stop = endDate !== null && addDays(endDate, 1) < dataEnd ? addDays(endDate, 1) : dataEnd;
  const out: MeasurementWindow[] = [];
  for (let from = effectiveDate; from < stop; from = nextMonth(from)) {
    const end = nextMonth(from);
    const to = end < stop ? end : stop;
    out.push({ month: from.slice(0, 7), from, to, days: daysBetween(from, to), daysInMonth: daysBetween(monthStart(from), end) });
  }
  return out;
}

/** Sums over a rate saving's lines in one month. */
export interface RateMonthSums {
  readonly month: string;
  /** Σ (reference cost − EffectiveCost) over the covered (not Unused) usage lines. */
  readonly gross: string;
  /** Σ EffectiveCost of the commitment's Unused lines. */
  readonly unused: string;
  readonly lines: number;
}

/** Cost and PricingQuantity of a usage saving's lines of one SKU (SkuId, else SkuPriceId, else ChargeDescription). */
export interface UsageSkuSums {
  readonly sku: string;
  readonly cost: string;
  readonly quantity: string;
  readonly lines: number;
}

/** Sums over a usage saving's lines in one month (its window), per SKU. */
export interface UsageMonthSums {
  readonly month: string;
  readonly cost: string;
  readonly lines: number;
  readonly skus: readonly UsageSkuSums[];
}

/** What the data says a saving realized in one month, next to the (prorated) estimate. */
export interface MeasuredMonth {
  readonly month: string;
  readonly from: string;
  readonly to: string;
  readonly days: number;
  /** The monthly estimate × days measured / days in the month. */
  readonly estimate: string;
  readonly measured: string;
  readonly lines: number;
  /** Rate levers. */
  readonly gross?: string;
  readonly unused?: string;
  /** Usage levers: the month's cost in scope and its daily run rate. */
  readonly cost?: string;
  readonly dailyRate?: string;
  /**
   * Usage levers: actual quantity × (actual − baseline unit price), per SKU: what a price change
   * did to the cost. Not this saving; shown apart so a price rise is never read as a failed saving.
   */
  readonly priceEffect?: string;
}

/** The baseline of a usage saving: cost (and per SKU, quantity) of the inclusive window [from, to] on its basis. */
export interface UsageBaseline {
  readonly from: string;
  readonly to: string;
  readonly cost: string;
  readonly lines: number;
  readonly skus: readonly UsageSkuSums[];
}

/** A saving's measurement: per month, the total, and the assumptions printed next to the numbers. */
export interface SavingMeasurement {
  readonly method: 'rate' | 'usage';
  readonly months: readonly MeasuredMonth[];
  readonly total: string;
  /** Usage levers: the price effect over all months (not this saving). */
  readonly priceEffect?: string;
  /** `YYYY-MM-DD`, exclusive; null when no line of the scope's billing accounts is stored. */
  readonly dataEnd: string | null;
  readonly baseline?: UsageBaseline & { readonly days: number; readonly dailyRate: string };
  readonly assumptions: readonly string[];
}

function prorated(estimate: string, w: MeasurementWindow): string {
  return quotient(new Money(estimate).times(w.days).div(w.daysInMonth));
}

function scopeText(s: Saving): string {
  const parts = [`cost center ${s.costCenter} (the line's attributed cost center)`];
  for (const f of savingFilterFields) {
    const values = s.filters[f.name];
    if (values) parts.push(`${f.focusColumn} ${values.length === 1 ? values[0] : `in (${values.join(', ')})`}`);
  }
  parts.push(`BillingCurrency ${s.currency}`);
  return parts.join(', ');
}

function throughText(dataEnd: string | null): string {
  return dataEnd === null
    ? 'no cost lines are stored for the billing accounts in scope, so nothing is measured yet'
    : `measured through ${addDays(dataEnd, -1)}, the last complete charge day of the billing accounts in scope`;
}

/**
 * Rate lever: per month, (ListCost or ContractedCost) − EffectiveCost over the covered usage lines,
 * net of the commitment's unused part (EffectiveCost of its Unused lines).
 */
export function measureRateSaving(saving: Saving, windows: readonly MeasurementWindow[], sums: readonly RateMonthSums[], dataEnd: string | null): SavingMeasurement {
  const byMonth = new Map(sums.map((s) => [s.month, s]));
  let total = new Money(0);
  const months = windows.map((w) => {
    const s = byMonth.get(w.month);
    const gross = new Money(s?.gross ?? 0);
    const unused = new Money(s?.unused ?? 0);
    const measured = gross.minus(unused);
    total = total.plus(measured);
    return { month: w.month, from: w.from, to: w.to, days: w.days, estimate: prorated(saving.estimateMonthly, w), measured: measured.toFixed(), lines: s?.lines ?? 0, gross: gross.toFixed(), unused: unused.toFixed() };
  });
  const reference = saving.referenceCost === 'contracted' ? 'ContractedCost' : 'ListCost';
  const commitment = saving.lever === 'commitment-discount';
  return {
    method: 'rate',
    months,
    total: total.toFixed(),
    dataEnd,
    assumptions: [
      `rate lever: measured = Σ (${reference} − EffectiveCost) over the Usage lines in scope${commitment ? ' carrying the commitment discount' : ''} whose CommitmentDiscountStatus is not Unused, minus Σ EffectiveCost of the Unused lines of ${commitment ? 'that commitment (unused capacity is consumed by no cost center or resource, so only the commitment id, provider and billing account select it)' : 'any commitment in scope'}; a line without ${reference} counts zero`,
      `scope: ${scopeText(saving)}; lines by ChargePeriodStart from ${saving.effectiveDate}${saving.endDate ? ` to ${saving.endDate}` : ''}`,
      throughText(dataEnd),
      `estimate per month prorated by days measured / days in the month, to ${quotientDecimals} decimals`,
    ],
  };
}

/**
 * One month of a usage saving, per SKU: (baseline quantity for the days − actual quantity) ×
 * baseline unit price, the baseline quantity prorated straight-line from the baseline window. The
 * rest of the cost change, actual quantity × (actual − baseline unit price), is the price effect.
 * A SKU without baseline quantity has no baseline price: its whole cost change counts (a new SKU
 * after rightsizing is new usage), with no price effect.
 */
function usageMonth(baselineSkus: ReadonlyMap<string, UsageSkuSums>, baselineDays: number, days: number, actual: readonly UsageSkuSums[]) {
  const actualBySku = new Map(actual.map((a) => [a.sku, a]));
  let measured = new Money(0);
  let priceEffect = new Money(0);
  for (const sku of new Set([...baselineSkus.keys(), ...actualBySku.keys()])) {
    const b = baselineSkus.get(sku);
    const a = actualBySku.get(sku);
    const baselineCost = new Money(b?.cost ?? 0).times(days).div(baselineDays);
    const actualCost = new Money(a?.cost ?? 0);
    const baselineQuantity = new Money(b?.quantity ?? 0);
    if (baselineQuantity.isZero()) {
      measured = measured.plus(baselineCost.minus(actualCost));
      continue;
    }
    // Actual quantity at the baseline unit price: what the month would have cost at the old price.
    const atBaselinePrice = new Money(b!.cost).times(a?.quantity ?? 0).div(baselineQuantity);
    measured = measured.plus(baselineCost.minus(atBaselinePrice));
    priceEffect = priceEffect.plus(actualCost.minus(atBaselinePrice));
  }
  return { measured: new Money(quotient(measured)), priceEffect: new Money(quotient(priceEffect)) };
}

/**
 * Usage lever: per month and SKU, (baseline quantity − actual quantity) × baseline unit price, the
 * baseline quantity prorated by days from the baseline window; a price change with unchanged
 * usage measures 0 and is reported apart as the price effect.
 */
export function measureUsageSaving(
  saving: Saving,
  windows: readonly MeasurementWindow[],
  baseline: UsageBaseline,
  sums: readonly UsageMonthSums[],
  dataEnd: string | null,
  dataStart: string | null,
): SavingMeasurement {
  const baselineDays = daysBetween(baseline.from, addDays(baseline.to, 1));
  const baselineCost = new Money(baseline.cost);
  const baselineSkus = new Map(baseline.skus.map((s) => [s.sku, s]));
  const byMonth = new Map(sums.map((s) => [s.month, s]));
  let total = new Money(0);
  let priceTotal = new Money(0);
  const months = windows.map((w) => {
    const s = byMonth.get(w.month);
    const cost = new Money(s?.cost ?? 0);
    const { measured, priceEffect } = usageMonth(baselineSkus, baselineDays, w.days, s?.skus ?? []);
    total = total.plus(measured);
    priceTotal = priceTotal.plus(priceEffect);
    return {
      month: w.month, from: w.from, to: w.to, days: w.days, estimate: prorated(saving.estimateMonthly, w),
      measured: measured.toFixed(), lines: s?.lines ?? 0, cost: cost.toFixed(), dailyRate: quotient(cost.div(w.days)), priceEffect: priceEffect.toFixed(),
    };
  });
  const basis = saving.basis === 'billed' ? 'BilledCost' : 'EffectiveCost';
  const dailyRate = quotient(baselineCost.div(baselineDays));
  const assumptions = [
    `usage lever on ${basis}: baseline window ${baseline.from} to ${baseline.to} (${baselineDays} days, cost ${baselineCost.toFixed()}), baseline daily run rate ${dailyRate}`,
    `usage measured per SKU: (baseline PricingQuantity × days / ${baselineDays} − actual PricingQuantity) × baseline unit price (baseline cost / baseline quantity), to ${quotientDecimals} decimals; a SKU with no baseline quantity counts its whole cost change`,
    `price effect (not this saving): actual quantity × (actual − baseline unit price), reported apart: ${priceTotal.toFixed()} in total`,
    `normalizing assumption: straight-line daily run rate within the baseline window`,
    `scope: ${scopeText(saving)}; Usage lines by ChargePeriodStart from ${saving.effectiveDate}${saving.endDate ? ` to ${saving.endDate}` : ''}`,
    throughText(dataEnd),
  ];
  if (dataStart !== null && dataStart > baseline.from) {
    assumptions.push(`warning: the data of the billing accounts in scope starts ${dataStart}, after the baseline start, so the baseline run rate is understated`);
  }
  if (dataEnd !== null && dataEnd <= baseline.to) {
    assumptions.push('warning: the data ends inside the baseline window, so the baseline run rate is understated');
  }
  return {
    method: 'usage', months, total: total.toFixed(), priceEffect: priceTotal.toFixed(), dataEnd,
    baseline: { ...baseline, days: baselineDays, dailyRate }, assumptions,
  };
}

/** The default baseline of a usage saving: the 30 days before it takes effect. */
export function defaultBaseline(effectiveDate: string): { from: string; to: string } {
  return { from: addDays(effectiveDate, -30), to: addDays(effectiveDate, -1) };
}

/** The end (exclusive date) of the complete days up to a ChargePeriodEnd: run rates need whole days. */
export function completeDaysEnd(lastChargeEnd: string): string {
  return lastChargeEnd.slice(0, 10);
}

/** The end (exclusive date) of the days a ChargePeriodEnd reaches into, partial ones included. */
export function coveredDaysEnd(lastChargeEnd: string): string {
  const day = lastChargeEnd.slice(0, 10);
  return lastChargeEnd.slice(11, 23) === '00:00:00.000' ? day : addDays(day, 1);
}

/** A saving's estimate next to what was measured over the same months, and the price effect kept apart. */
export interface EstimateVersusMeasured {
  /** Σ of the prorated monthly estimate over the months measured. */
  readonly estimate: string;
  readonly measured: string;
  /** measured − estimate: negative when the saving falls short. */
  readonly difference: string;
  /** Usage levers: the price effect over those months (not this saving); null for rate levers. */
  readonly priceEffect: string | null;
  readonly months: number;
}

/** Estimate, measured and their difference over the measured months; null before any month is measured. */
export function estimateVersusMeasured(m: SavingMeasurement): EstimateVersusMeasured | null {
  if (m.months.length === 0) return null;
  const estimate = m.months.reduce((s, x) => s.plus(x.estimate), new Money(0));
  const measured = new Money(m.total);
  return {
    estimate: estimate.toFixed(),
    measured: measured.toFixed(),
    difference: measured.minus(estimate).toFixed(),
    priceEffect: m.method === 'usage' ? (m.priceEffect ?? '0') : null,
    months: m.months.length,
  };
}
