// Unattributed spend: lines lacking a required shared field, grouped into items people can claim
// or dismiss. Shares are exact quotients rounded half-up to 4 decimals for display only.

import { Decimal } from 'decimal.js';
import { Money } from './money.js';

/** `part / whole` as a 4-decimal string, rounded half-up (0.12345 -> "0.1235"); null when whole is zero. */
export function shareText(part: string, whole: string): string | null {
  const w = new Money(whole);
  if (w.isZero()) return null;
  return new Money(part).div(w).toFixed(4, Decimal.ROUND_HALF_UP);
}

/** Noise control thresholds: an item below BOTH is kept but not alerted. */
export interface AlertThresholds {
  readonly minAmount: string;
  readonly minShare: string;
}

/**
 * Whether unattributed lines net to a credit: nothing charged on either basis (billed ≤ 0 and
 * effective ≤ 0). Such an item is nobody's spend to claim: it is listed apart as an unattributed
 * credit, never alerted and never offered for claiming. SQL twin: {@link unattributedCreditSql}.
 */
export function isUnattributedCredit(billedCost: string, effectiveCost: string): boolean {
  return new Money(billedCost).lte(0) && new Money(effectiveCost).lte(0);
}

/** SQL over summed `billed` and `effective` expressions: the same test as {@link isUnattributedCredit}. */
export function unattributedCreditSql(billed: string, effective: string): string {
  return `(${billed} <= 0 AND ${effective} <= 0)`;
}

/**
 * Whether an open item is worth an alert: its cost is positive and reaches `minAmount`, or its share
 * of the period's total (absolute, exact) reaches `minShare`. Claimed and dismissed items, and
 * items that net to zero or a credit on the basis shown, never alert.
 */
export function isAlerted(status: string, cost: string, periodTotal: string, t: AlertThresholds): boolean {
  if (status !== 'open') return false;
  if (!new Money(cost).gt(0)) return false;
  const c = new Money(cost).abs();
  if (c.gte(t.minAmount)) return true;
  const total = new Money(periodTotal).abs();
  return !total.isZero() && c.div(total).gte(t.minShare);
}

/** The reasons of an item's lines, largest cost first, joined for people: `no tags; unknown cost center value CC-9999`. */
export function itemReason(reasons: readonly { reason: string; cost: string }[]): string {
  return [...reasons]
    .sort((a, b) => new Money(b.cost).abs().cmp(new Money(a.cost).abs()) || a.reason.localeCompare(b.reason))
    .map((r) => r.reason)
    .join('; ');
}
