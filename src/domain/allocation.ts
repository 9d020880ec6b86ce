import { Money } from './money.js';

/** How a shared-cost pool is split between cost centers. */
export type AllocationMethod = 'proportional' | 'even' | 'fixed';

/** Every allocation method, as written in the pools file and shown in memos. */
export const allocationMethods: readonly AllocationMethod[] = ['proportional', 'even', 'fixed'];

/** What a method means, in words a finance reader sees in journal memos. */
export function describeAllocationMethod(method: AllocationMethod): string {
  switch (method) {
    case 'proportional':
      return 'proportional to direct cost';
    case 'even':
      return 'even split';
    case 'fixed':
      return 'fixed percentages';
  }
}

/** A cost center taking part in an allocation and its weight (direct cost, percentage, or anything for `even`). */
export interface AllocationRecipient {
  readonly code: string;
  readonly weight: string;
}

/** One cost center's share of a pool, in whole cents. */
export interface AllocationShare {
  readonly code: string;
  readonly amount: string;
}

/** The outcome of splitting one pool. */
export interface PoolSplit {
  /** The pool rounded to the cent: exactly the sum of the shares. */
  readonly rounded: string;
  /** The exact pool minus the rounded pool (|residual| < 0.005), kept visible rather than lost. */
  readonly residual: string;
  /** Shares in recipient code order; empty when there is no recipient. */
  readonly shares: readonly AllocationShare[];
  /** Proportional weights were all zero (or negative), so the pool was split evenly instead. */
  readonly fellBackToEven: boolean;
}

/** Rounds to the cent, half away from zero (the same rule as displayed amounts). */
export function roundToCent(amount: string | Money): Money {
  return new Money(amount).toDecimalPlaces(2, Money.ROUND_HALF_UP);
}

/**
 * Splits a pool between recipients so the shares add up to the pool to the cent.
 *
 * Rule (documented in the README): the pool is first rounded to the cent, half away from zero; the
 * difference to the exact pool is returned as `residual`. The rounded pool's whole cents are then
 * split by the largest-remainder (Hamilton) method: each recipient gets the floor of its exact quota
 * |cents| × weight / Σ weights, and the cents left over go one each to the largest remainders, ties
 * to the smaller cost center code (plain code-unit order). A negative pool (credits) is split as its
 * absolute value and negated, so a credit is shared exactly like a charge of the same size.
 *
 * Weights: `proportional` uses each recipient's direct cost; a zero or negative direct cost weighs
 * nothing (a net-credited cost center does not absorb shared cost), and when every weight is zero
 * the pool falls back to an even split. `even` ignores weights. `fixed` uses the percentages as given.
 * Everything is computed in integers (BigInt), so no quotient is ever rounded.
 */
export function splitPool(pool: string, method: AllocationMethod, recipients: readonly AllocationRecipient[]): PoolSplit {
  const rounded = roundToCent(pool);
  const residual = new Money(pool).minus(rounded).toFixed();
  const codes = recipients.map((r) => r.code);
  if (new Set(codes).size !== codes.length) throw new Error(`splitPool: recipient listed twice in ${codes.join(', ')}`);
  if (recipients.length === 0) return { rounded: rounded.toFixed(2), residual, shares: [], fellBackToEven: false };

  let weights = recipients.map((r) => {
    if (method === 'even') return new Money(1);
    const w = new Money(r.weight);
    return method === 'proportional' && w.isNeg() ? new Money(0) : w;
  });
  if (method === 'fixed' && weights.some((w) => w.isNeg())) throw new Error('splitPool: fixed percentages must not be negative');
  let fellBackToEven = false;
  if (weights.every((w) => w.isZero())) {
    weights = recipients.map(() => new Money(1));
    fellBackToEven = method !== 'even';
  }

  const scale = Math.max(0, ...weights.map((w) => w.decimalPlaces()));
  const intWeights = weights.map((w) => BigInt(w.times(new Money(10).pow(scale)).toFixed(0)));
  const total = intWeights.reduce((a, b) => a + b, 0n);
  const cents = BigInt(rounded.times(100).toFixed(0));
  const negative = cents < 0n;
  const magnitude = negative ? -cents : cents;

  const parts = recipients.map((r, i) => {
    const numerator = magnitude * intWeights[i]!;
    return { code: r.code, floor: numerator / total, remainder: numerator % total };
  });
  let left = magnitude - parts.reduce((a, p) => a + p.floor, 0n);
  const order = [...parts].sort((a, b) =>
    a.remainder !== b.remainder ? (a.remainder > b.remainder ? -1 : 1) : a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
  );
  const extra = new Set<string>();
  for (const p of order) {
    if (left === 0n) break;
    extra.add(p.code);
    left -= 1n;
  }
  const shares = parts
    .map((p) => {
      const c = p.floor + (extra.has(p.code) ? 1n : 0n);
      return { code: p.code, amount: new Money((negative ? -c : c).toString()).div(100).toFixed(2) };
    })
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { rounded: rounded.toFixed(2), residual, shares, fellBackToEven };
}
