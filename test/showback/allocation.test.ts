import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Money } from '../../src/domain/money.js';
import { splitPool, type AllocationMethod } from '../../src/domain/allocation.js';

const sum = (xs: readonly { amount: string }[]) => xs.reduce((s, x) => s.plus(x.amount), new Money(0));
const codes = ['CC-A', 'CC-B', 'CC-C', 'CC-D', 'CC-E', 'CC-F', 'CC-G'];

/** A decimal string with up to 11 places, possibly negative, like a FOCUS cost. */
const decimalText = (maxInt: bigint, places = 11) =>
  fc
    .tuple(fc.bigInt({ min: -maxInt, max: maxInt }), fc.integer({ min: 0, max: places }))
    .map(([n, p]) => new Money(n.toString()).div(new Money(10).pow(p)).toFixed());

describe('splitPool (largest remainder at the cent)', () => {
  it('splits a hand-computed proportional pool: leftover cents go to the largest remainders', () => {
    // 30.00 over weights 90, 60, 0.005 (Σ 150.005): exact quotas in cents 1799.940..., 1199.960..., 0.0999...
    // floors 1799 + 1199 + 0 = 2998; the 2 cents left go to CC-B (.960) then CC-A (.940).
    const s = splitPool('30.00', 'proportional', [
      { code: 'CC-A', weight: '90' },
      { code: 'CC-B', weight: '60' },
      { code: 'CC-C', weight: '0.005' },
    ]);
    expect(s).toEqual({
      rounded: '30.00',
      residual: '0',
      fellBackToEven: false,
      shares: [
        { code: 'CC-A', amount: '18.00' },
        { code: 'CC-B', amount: '12.00' },
        { code: 'CC-C', amount: '0.00' },
      ],
    });
  });

  it('breaks ties by cost center code', () => {
    const s = splitPool('0.10', 'even', [{ code: 'CC-C', weight: '0' }, { code: 'CC-A', weight: '0' }, { code: 'CC-B', weight: '0' }]);
    expect(s.shares).toEqual([
      { code: 'CC-A', amount: '0.04' },
      { code: 'CC-B', amount: '0.03' },
      { code: 'CC-C', amount: '0.03' },
    ]);
    const two = splitPool('0.05', 'fixed', [{ code: 'Z', weight: '50' }, { code: 'Y', weight: '50' }]);
    expect(two.shares).toEqual([{ code: 'Y', amount: '0.03' }, { code: 'Z', amount: '0.02' }]);
  });

  it('rounds the pool to the cent half away from zero first and reports the residual', () => {
    const s = splitPool('10.005', 'even', [{ code: 'A', weight: '1' }, { code: 'B', weight: '1' }]);
    expect(s.rounded).toBe('10.01');
    expect(s.residual).toBe('-0.005');
    expect(s.shares).toEqual([{ code: 'A', amount: '5.01' }, { code: 'B', amount: '5.00' }]);
    const neg = splitPool('-10.005', 'even', [{ code: 'A', weight: '1' }, { code: 'B', weight: '1' }]);
    expect(neg.rounded).toBe('-10.01');
    expect(neg.residual).toBe('0.005');
    expect(neg.shares).toEqual([{ code: 'A', amount: '-5.01' }, { code: 'B', amount: '-5.00' }]);
  });

  it('splits a credit (negative pool) exactly like a charge of the same size, negated', () => {
    const s = splitPool('-30.00', 'proportional', [{ code: 'CC-A', weight: '90' }, { code: 'CC-B', weight: '60' }, { code: 'CC-C', weight: '0.005' }]);
    expect(s.shares.map((x) => x.amount)).toEqual(['-18.00', '-12.00', '0.00']);
  });

  it('proportional: zero and negative direct costs weigh nothing; all zero falls back to even', () => {
    const s = splitPool('9.00', 'proportional', [{ code: 'A', weight: '-50' }, { code: 'B', weight: '30' }, { code: 'C', weight: '0' }]);
    expect(s.shares).toEqual([{ code: 'A', amount: '0.00' }, { code: 'B', amount: '9.00' }, { code: 'C', amount: '0.00' }]);
    expect(s.fellBackToEven).toBe(false);
    const even = splitPool('9.00', 'proportional', [{ code: 'A', weight: '-50' }, { code: 'B', weight: '0' }, { code: 'C', weight: '0' }]);
    expect(even.shares.map((x) => x.amount)).toEqual(['3.00', '3.00', '3.00']);
    expect(even.fellBackToEven).toBe(true);
  });

  it('fixed: follows the percentages; no recipient leaves the pool unsplit', () => {
    const s = splitPool('100.00', 'fixed', [{ code: 'A', weight: '33.33' }, { code: 'B', weight: '33.33' }, { code: 'C', weight: '33.34' }]);
    expect(s.shares.map((x) => x.amount)).toEqual(['33.33', '33.33', '33.34']);
    expect(splitPool('5.00', 'even', [])).toEqual({ rounded: '5.00', residual: '0', shares: [], fellBackToEven: false });
  });

  const method = fc.constantFrom<AllocationMethod>('proportional', 'even', 'fixed');
  const recipients = fc.integer({ min: 1, max: codes.length }).chain((n) =>
    fc.tuple(fc.shuffledSubarray(codes, { minLength: n, maxLength: n }), fc.array(decimalText(10n ** 14n), { minLength: n, maxLength: n })),
  );

  it('property: the shares always sum to the pool rounded to the cent, and pool = rounded + residual', () => {
    fc.assert(
      fc.property(decimalText(10n ** 16n), method, recipients, (pool, m, [names, raw]) => {
        // fixed takes non-negative percentages; the others take any direct cost.
        const weights = m === 'fixed' ? raw.map((w) => new Money(w).abs().toFixed()) : raw;
        const s = splitPool(pool, m, names.map((code, i) => ({ code, weight: weights[i]! })));
        expect(sum(s.shares).eq(s.rounded)).toBe(true);
        expect(new Money(s.rounded).plus(s.residual).eq(pool)).toBe(true);
        expect(new Money(s.residual).abs().lte('0.005')).toBe(true);
        for (const x of s.shares) expect(new Money(x.amount).decimalPlaces()).toBeLessThanOrEqual(2);
      }),
      { numRuns: 500 },
    );
  });

  it('property: each share is within one cent of its exact quota, and the split is sign-symmetric', () => {
    fc.assert(
      fc.property(decimalText(10n ** 12n, 4), method, recipients, (pool, m, [names, raw]) => {
        const weights = m === 'fixed' ? raw.map((w) => new Money(w).abs().toFixed()) : raw;
        const rs = names.map((code, i) => ({ code, weight: weights[i]! }));
        const s = splitPool(pool, m, rs);
        let w = rs.map((r) => (m === 'even' ? new Money(1) : Money.max(new Money(r.weight), 0)));
        if (w.every((x) => x.isZero())) w = rs.map(() => new Money(1));
        const total = w.reduce((a, b) => a.plus(b), new Money(0));
        rs.forEach((r, i) => {
          const quota = new Money(s.rounded).times(w[i]!).div(total);
          const share = s.shares.find((x) => x.code === r.code)!;
          expect(new Money(share.amount).minus(quota).abs().lt('0.01')).toBe(true);
        });
        const mirrored = splitPool(new Money(pool).neg().toFixed(), m, rs);
        expect(mirrored.shares.map((x) => new Money(x.amount).neg().toFixed(2))).toEqual(s.shares.map((x) => new Money(x.amount).toFixed(2)));
      }),
      { numRuns: 300 },
    );
  });

  it('property: even shares differ by at most one cent, and the extra cents go to the smallest codes', () => {
    fc.assert(
      fc.property(decimalText(10n ** 9n, 2), recipients, (pool, [names]) => {
        const s = splitPool(pool, 'even', names.map((code) => ({ code, weight: '0' })));
        const cents = s.shares.map((x) => new Money(x.amount).abs().times(100).toNumber());
        expect(Math.max(...cents) - Math.min(...cents)).toBeLessThanOrEqual(1);
        // shares are in code order: bigger (in magnitude) ones first
        for (let i = 1; i < cents.length; i++) expect(cents[i]!).toBeLessThanOrEqual(cents[i - 1]!);
      }),
    );
  });
});
