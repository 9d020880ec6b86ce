import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRound, formatMicros, formatMillis, formatNanos, formatScaled } from '../../src/demo/demo-money.js';
import { csvCell } from '../../src/demo/demo-focus-format.js';
import { deriveSeed, DemoRandom } from '../../src/demo/demo-random.js';
import { Decimal } from './demo-support.js';

describe('demo money formatting', () => {
  it('formats scaled integers exactly', () => {
    expect(formatNanos(0n)).toBe('0.00');
    expect(formatNanos(1n)).toBe('0.000000001');
    expect(formatNanos(-250_000_000_000n)).toBe('-250.00');
    expect(formatNanos(12_500_000_000n)).toBe('12.50');
    expect(formatMicros(312_000n)).toBe('0.312');
    expect(formatMillis(24_000n)).toBe('24');
    expect(formatMillis(57_752n)).toBe('57.752');
  });

  it('round-trips through decimal.js for any value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }), (v, places) => {
        const text = formatScaled(v, places, 2);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(new Decimal(text).equals(new Decimal(v.toString()).div(new Decimal(10).pow(places)))).toBe(true);
      }),
    );
  });

  it('rounds half away from zero', () => {
    expect(divRound(5n, 2n)).toBe(3n);
    expect(divRound(-5n, 2n)).toBe(-3n);
    expect(divRound(4n, 3n)).toBe(1n);
    expect(divRound(-4n, 3n)).toBe(-1n);
  });
});

describe('demo CSV cells and randomness', () => {
  it('quotes only cells that need it', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('{"k":"v"}')).toBe('"{""k"":""v""}"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });

  it('seeded streams are reproducible and independent', () => {
    const a = DemoRandom.for(1, 'x', 2);
    const b = DemoRandom.for(1, 'x', 2);
    const seqA = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(seqA);
    expect(deriveSeed(1, 'x', 2)).not.toBe(deriveSeed(1, 'x', 3));
    expect(deriveSeed(1, 'x')).not.toBe(deriveSeed(2, 'x'));
    const r = DemoRandom.for(9);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 7);
      expect(v >= 3 && v <= 7).toBe(true);
    }
  });
});
