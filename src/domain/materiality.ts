import { CostbridgeError } from './costbridge-error.js';
import { Money } from './money.js';
import { varianceComponentNames, type VarianceComponentName, type VarianceComponents } from './variance-components.js';

/** When a variance must be explained: |variance| >= amount AND |variance| >= share x |comparison|. */
export interface MaterialityThreshold {
  /** Exact decimal, >= 0. */
  readonly amount: string;
  /** Exact decimal, >= 0 (0.05 = 5 %). */
  readonly share: string;
}

/** Whether a variance reaches both the minimum amount and the minimum share of its comparison. */
export function isMaterial(variance: string, comparison: string, threshold: MaterialityThreshold): boolean {
  const v = new Money(variance).abs();
  if (v.isZero()) return false;
  return v.gte(threshold.amount) && v.gte(new Money(threshold.share).times(new Money(comparison).abs()));
}

/**
 * The components an explanation is needed for: those whose absolute value reaches the materiality
 * amount on their own, or, when none does, the single largest one (ties: the first in component order).
 */
export function componentsNeedingExplanation(components: VarianceComponents, threshold: MaterialityThreshold): VarianceComponentName[] {
  const large = varianceComponentNames.filter((n) => {
    const v = new Money(components[n]).abs();
    return !v.isZero() && v.gte(threshold.amount);
  });
  if (large.length > 0) return large;
  let best: VarianceComponentName | undefined;
  for (const n of varianceComponentNames) {
    const v = new Money(components[n]).abs();
    if (!v.isZero() && (best === undefined || v.gt(new Money(components[best]).abs()))) best = n;
  }
  return best ? [best] : [];
}

/** Parses a threshold amount or share; `what` names the flag in the error. */
export function parseThresholdDecimal(text: string, what: string): string {
  const t = text.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) throw new CostbridgeError('INPUT_INVALID', `${what} must be a non-negative decimal such as 1000 or 0.05, got ${JSON.stringify(text)}`);
  return new Money(t).toFixed();
}
