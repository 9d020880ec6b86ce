import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { againstPlan, decomposeVariance, type PriceKey, type PriceKeyTotal } from '../../src/domain/variance-decomposition.js';
import { sumComponents, varianceComponentNames } from '../../src/domain/variance-components.js';

const D = Decimal.clone({ precision: 80 });

const key = (sku: string, over: Partial<PriceKey> = {}): PriceKey => ({
  provider: 'P',
  service: 'S',
  sku,
  pricingUnit: 'Hours',
  chargeCategory: 'Usage',
  ...over,
});
const t = (k: PriceKey, cost: string, quantity: string, quantified = true): PriceKeyTotal => ({ key: k, quantified, cost, quantity });

describe('decomposeVariance', () => {
  it('splits a key into volume at the old unit cost and rate for the rest', () => {
    const d = decomposeVariance([t(key('A'), '132', '12')], [t(key('A'), '100', '10')]);
    expect(d).toMatchObject({ actual: '132', comparison: '100', variance: '32' });
    expect(d.components).toMatchObject({ volume: '20', rate: '12', mix: '0', new: '0' });
    expect(d.keys[0]).toMatchObject({ kind: 'rate-volume', variance: '32', actualQuantity: '12', comparisonQuantity: '10' });
  });

  it('rounds the volume to 12 places and gives the rounding to the rate of the same key', () => {
    const d = decomposeVariance([t(key('A'), '1', '4')], [t(key('A'), '1', '3')]);
    expect(d.components.volume).toBe('0.333333333333');
    expect(d.components.rate).toBe('-0.333333333333');
    expect(d.variance).toBe('0');
  });

  it('classifies keys present in one period only as new or discontinued', () => {
    const d = decomposeVariance([t(key('NEW'), '7.5', '3')], [t(key('OLD'), '4.25', '2')]);
    expect(d.components).toMatchObject({ new: '7.5', discontinued: '-4.25', rate: '0', volume: '0' });
    expect(d.variance).toBe('3.25');
  });

  it('gives Purchase, Credit, Tax and Adjustment their own components whatever their quantities', () => {
    const cur = [
      t(key('RI', { chargeCategory: 'Purchase' }), '1000', '8760', false),
      t(key('CR', { chargeCategory: 'Credit' }), '-50', '0', false),
      t(key('TX', { chargeCategory: 'Tax' }), '8', '0', false),
      t(key('AD', { chargeCategory: 'Adjustment' }), '-1.5', '0', false),
    ];
    const before = [t(key('CR', { chargeCategory: 'Credit' }), '-20', '0', false), t(key('TX', { chargeCategory: 'Tax' }), '10', '0', false)];
    const d = decomposeVariance(cur, before);
    expect(d.components).toMatchObject({ purchases: '1000', credits: '-30', tax: '-2', adjustments: '-1.5', new: '0', discontinued: '0' });
    expect(d.variance).toBe('966.5');
  });

  it('puts usage without a usable quantity (none, or a comparison quantity summing to zero) into unquantified', () => {
    const d = decomposeVariance(
      [t(key('A'), '10', '0', false), t(key('B'), '6', '3')],
      [t(key('A'), '4', '0', false), t(key('B'), '5', '0')],
    );
    expect(d.components).toMatchObject({ unquantified: '7', rate: '0', volume: '0' });
  });

  it('reports the shift between SKUs of one service as mix', () => {
    // A costs 1 per hour, B 10 per hour; usage moves to B at unchanged prices.
    const d = decomposeVariance([t(key('A'), '10', '10'), t(key('B'), '200', '20')], [t(key('A'), '10', '10'), t(key('B'), '100', '10')]);
    // Service level: 30 hours vs 20 at an average 5.5 = 55 volume; key level volume 100, so mix 45.
    expect(d.components).toMatchObject({ volume: '55', mix: '45', rate: '0' });
    expect(d.keys.map((k) => k.components.volume)).toEqual(['100', '0']);
  });

  it('keeps currencies of providers and units in separate mix groups', () => {
    const d = decomposeVariance([t(key('A'), '10', '10'), t(key('B', { pricingUnit: 'GB' }), '200', '20')], [t(key('A'), '10', '10'), t(key('B', { pricingUnit: 'GB' }), '100', '10')]);
    expect(d.components).toMatchObject({ volume: '100', mix: '0' });
  });

  it('adds the gap already in the baseline against a plan', () => {
    const d = decomposeVariance([t(key('A'), '132', '12')], [t(key('A'), '100', '10')]);
    const p = againstPlan(d, '90.5');
    expect(p).toMatchObject({ actual: '132', comparison: '90.5', variance: '41.5' });
    expect(p.components).toMatchObject({ volume: '20', rate: '12', baselineGap: '9.5' });
    expect(sumComponents(p.components).toFixed()).toBe('41.5');
  });
});

const decimalText = fc
  .tuple(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.integer({ min: 0, max: 11 }))
  .map(([units, scale]) => new D(units.toString()).div(new D(10).pow(scale)).toFixed());
const quantityText = fc.oneof(fc.constant('0'), decimalText, fc.bigInt({ min: 0n, max: 10n ** 9n }).map(String));
const keyArb = fc.record({
  provider: fc.constantFrom('AWS', 'Azure', null),
  service: fc.constantFrom('Compute', 'Storage', null),
  sku: fc.constantFrom('a', 'b', 'c', 'd', null),
  pricingUnit: fc.constantFrom('Hours', 'GB', null),
  chargeCategory: fc.constantFrom('Usage', 'Usage', 'Usage', 'Purchase', 'Credit', 'Tax', 'Adjustment'),
});
const totalArb = fc.record({ key: keyArb, quantified: fc.boolean(), cost: decimalText, quantity: quantityText });

describe('decomposeVariance properties', () => {
  it('components add up to the variance exactly, for every key and the scope, on random data', () => {
    fc.assert(
      fc.property(fc.array(totalArb, { maxLength: 25 }), fc.array(totalArb, { maxLength: 25 }), (cur, before) => {
        const d = decomposeVariance(cur, before);
        const actual = cur.reduce((s, x) => s.plus(x.cost), new D(0));
        const comparison = before.reduce((s, x) => s.plus(x.cost), new D(0));
        expect(new D(d.actual).eq(actual)).toBe(true);
        expect(new D(d.comparison).eq(comparison)).toBe(true);
        expect(new D(d.variance).eq(actual.minus(comparison))).toBe(true);
        expect(new D(sumComponents(d.components).toFixed()).eq(d.variance)).toBe(true);
        expect(d.components.baselineGap).toBe('0');
        for (const k of d.keys) {
          expect(new D(sumComponents(k.components).toFixed()).eq(k.variance)).toBe(true);
          expect(k.components.mix).toBe('0');
        }
        for (const name of varianceComponentNames) expect(d.components[name]).toMatch(/^-?\d+(\.\d+)?$/);
      }),
      { numRuns: 400 },
    );
  });

  it('against any plan, the components add up to actual - plan exactly', () => {
    fc.assert(
      fc.property(fc.array(totalArb, { maxLength: 15 }), fc.array(totalArb, { maxLength: 15 }), decimalText, (cur, before, plan) => {
        const p = againstPlan(decomposeVariance(cur, before), plan);
        expect(new D(sumComponents(p.components).toFixed()).eq(p.variance)).toBe(true);
        expect(new D(p.variance).eq(new D(p.actual).minus(plan))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('at unchanged unit prices, there is no rate effect', () => {
    const priced = fc.record({ sku: fc.constantFrom('a', 'b', 'c'), price: fc.integer({ min: 1, max: 10_000 }), q0: fc.integer({ min: 1, max: 10_000 }), q1: fc.integer({ min: 1, max: 10_000 }) });
    fc.assert(
      fc.property(fc.uniqueArray(priced, { selector: (p) => p.sku, maxLength: 3 }), (items) => {
        const d = decomposeVariance(
          items.map((i) => t(key(i.sku), new D(i.price).times(i.q1).div(1000).toFixed(), String(i.q1))),
          items.map((i) => t(key(i.sku), new D(i.price).times(i.q0).div(1000).toFixed(), String(i.q0))),
        );
        expect(d.components.rate).toBe('0');
      }),
    );
  });
});
