import { describe, expect, it } from 'vitest';
import { ancestorsOf, comparedScopes, comparisonScopes, rollupLabel, sortComparisonRows, topLevel, unattributedScope } from '../../src/domain/cost-center-rollup.js';

// Master data as in the demo: CC-1000 > CC-1100, CC-1200 > CC-1210, CC-1300 > CC-1310, CC-1320; CC-2000 alone.
const parents = new Map<string, string | null>([
  ['CC-1000', null],
  ['CC-1100', 'CC-1000'],
  ['CC-1200', 'CC-1000'],
  ['CC-1210', 'CC-1200'],
  ['CC-1300', 'CC-1000'],
  ['CC-1310', 'CC-1300'],
  ['CC-1320', 'CC-1300'],
  ['CC-2000', null],
]);
const present = ['CC-1100', 'CC-1210', 'CC-1310', 'CC-1320', 'CC-2000', unattributedScope];

describe('cost-center roll-up and the bridge row', () => {
  it('without roll-up every scope is its own top-level row, the unattributed row last', () => {
    const rows = comparisonScopes(present, parents, { rollup: false, carrier: null });
    expect(rows.map((r) => [r.scope, r.depth, r.children, r.members])).toEqual([
      ['CC-1100', 0, 0, ['CC-1100']],
      ['CC-1210', 0, 0, ['CC-1210']],
      ['CC-1310', 0, 0, ['CC-1310']],
      ['CC-1320', 0, 0, ['CC-1320']],
      ['CC-2000', 0, 0, ['CC-2000']],
      [unattributedScope, 0, 0, [unattributedScope]],
    ]);
    expect(rows.every((r) => !r.carriesUnattributed && r.carriedBy === null)).toBe(true);
  });

  it('rolled up, ancestors become rows holding exactly their subtree, and top-level rows hold every scope once', () => {
    const rows = comparisonScopes(present, parents, { rollup: true, carrier: null });
    const by = new Map(rows.map((r) => [r.scope, r]));
    expect(rows.map((r) => r.scope)).toEqual(['CC-1000', 'CC-1100', 'CC-1200', 'CC-1210', 'CC-1300', 'CC-1310', 'CC-1320', 'CC-2000', unattributedScope]);
    expect(by.get('CC-1000')!.members.slice().sort()).toEqual(['CC-1000', 'CC-1100', 'CC-1200', 'CC-1210', 'CC-1300', 'CC-1310', 'CC-1320']);
    expect([by.get('CC-1000')!.children, by.get('CC-1300')!.children, by.get('CC-1200')!.children]).toEqual([6, 2, 1]);
    expect([by.get('CC-1310')!.depth, by.get('CC-1310')!.parent]).toEqual([2, 'CC-1300']);
    const covered = topLevel(rows).flatMap((r) => r.members).sort();
    expect(covered).toEqual([...new Set(covered)]);
    expect(covered).toEqual([...present, 'CC-1000', 'CC-1200', 'CC-1300'].sort());
    expect(rollupLabel(2)).toBe('incl. 2 children');
    expect(rollupLabel(1)).toBe('incl. 1 child');
    expect(rollupLabel(0)).toBe('');
  });

  it('the carrier compares its plan with the unattributed spend too, and so do its ancestors; the carried row compares nothing', () => {
    const flat = comparisonScopes(['CC-2000', unattributedScope], parents, { rollup: false, carrier: 'CC-1100' });
    // The carrier is a row even without spend of its own, so the unattributed spend meets its budget.
    expect(flat.map((r) => r.scope)).toEqual(['CC-1100', 'CC-2000', unattributedScope]);
    expect(comparedScopes(flat[0]!)).toEqual(['CC-1100', unattributedScope]);
    expect(comparedScopes(flat[2]!)).toEqual([]);
    expect(flat[2]!.carriedBy).toBe('CC-1100');

    const rolled = comparisonScopes(present, parents, { rollup: true, carrier: 'CC-1100' });
    const by = new Map(rolled.map((r) => [r.scope, r]));
    expect(by.get('CC-1000')!.carriesUnattributed).toBe(true);
    expect(by.get('CC-1300')!.carriesUnattributed).toBe(false);
    expect(by.get('CC-2000')!.carriesUnattributed).toBe(false);
    // Each unattributed amount is compared once among the top-level rows.
    expect(topLevel(rolled).flatMap(comparedScopes).filter((s) => s === unattributedScope)).toHaveLength(1);

    // No unattributed spend: the carrier adds nothing.
    const none = comparisonScopes(['CC-2000'], parents, { rollup: false, carrier: 'CC-1100' });
    expect(none.map((r) => r.scope)).toEqual(['CC-2000']);
  });

  it('a cycle in master data neither loops nor loses a row', () => {
    const cyclic = new Map<string, string | null>([
      ['A', 'B'],
      ['B', 'A'],
      ['C', 'A'],
    ]);
    expect(ancestorsOf('C', cyclic)).toEqual(['A', 'B']);
    const rows = comparisonScopes(['C'], cyclic, { rollup: true, carrier: null });
    expect(rows.map((r) => r.scope).sort()).toEqual(['A', 'B', 'C']);
    expect(topLevel(rows).length).toBeGreaterThan(0);
  });

  it('sorts siblings by the caller and keeps children under their parent', () => {
    const rows = [
      { scope: 'P', parent: null, v: 1 },
      { scope: 'Q', parent: null, v: 5 },
      { scope: 'P1', parent: 'P', v: 2 },
      { scope: 'P2', parent: 'P', v: 9 },
    ];
    expect(sortComparisonRows(rows, (a, b) => b.v - a.v, (r) => r.scope).map((r) => r.scope)).toEqual(['Q', 'P', 'P2', 'P1']);
  });
});
