import { describe, expect, it } from 'vitest';
import { canonicalJson, sameJson } from '../../src/domain/canonical-json.js';

// sameJson must agree with comparing canonicalJson strings, which is what it replaces.
const pairs: [unknown, unknown][] = [
  [{ a: 1, b: [1, 2, { c: 'x' }] }, { b: [1, 2, { c: 'x' }], a: 1 }],
  [{ a: 1, b: undefined }, { a: 1 }],
  [{ a: 1 }, { a: 1, b: null }],
  [{ a: [1, 2] }, { a: [2, 1] }],
  [{ a: [1, 2] }, { a: [1, 2, 3] }],
  [{ a: '1' }, { a: 1 }],
  [{ a: {} }, { a: [] }],
  [[{ x: { y: { z: 'deep' } } }], [{ x: { y: { z: 'deeper' } } }]],
  [null, {}],
  ['x', 'x'],
  [{ n: 1.5 }, { n: 1.5 }],
  [{ k: 'v', extra: undefined }, { extra: undefined, k: 'v' }],
  [{ k: 'v' }, { j: 'v' }],
];

describe('sameJson', () => {
  it.each(pairs.map((p, i) => [i, ...p] as const))('agrees with canonicalJson equality (case %i)', (_i, a, b) => {
    expect(sameJson(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
    expect(sameJson(b, a)).toBe(canonicalJson(a) === canonicalJson(b));
  });

  it('sees a change deep inside an otherwise shared structure', () => {
    const entries = Array.from({ length: 400 }, (_, i) => [{ kind: 'text', text: `item ${i}` }]);
    const current = { blocks: [{ kind: 'list', items: entries }] };
    const revised = { blocks: [{ kind: 'list', items: entries.map((e, i) => (i === 399 ? [{ kind: 'text', text: 'claimed' }] : e)) }] };
    expect(sameJson(current, revised)).toBe(false);
    expect(sameJson(current, JSON.parse(JSON.stringify(current)))).toBe(true);
  });
});
