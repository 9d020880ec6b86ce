import { describe, expect, it } from 'vitest';
import { parseSharedPools } from '../../src/domain/allocation-pools.js';
import { CostbridgeError } from '../../src/domain/costbridge-error.js';

function failure(source: string, file = 'pools.yaml'): CostbridgeError {
  try {
    parseSharedPools(source, file);
  } catch (e) {
    if (e instanceof CostbridgeError) return e;
    throw e;
  }
  throw new Error('expected the file to be refused');
}

describe('shared-pools file', () => {
  it('reads YAML with exact percentages and every kind of condition', () => {
    const pools = parseSharedPools(
      [
        'pools:',
        '  - name: platform',
        '    method: proportional',
        '    match: { costCenter: PLAT }',
        '  - name: support',
        '    method: fixed',
        '    match:',
        '      service: [Support, Premium Support]',
        '      unattributedOnly: true',
        '    shares:',
        '      CC-A: 33.333333333333333333333',
        '      CC-B: 66.666666666666666666667',
        '    glAccount: "6200"',
        '  - name: network',
        '    method: even',
        '    match:',
        '      tags: { " Shared ": "yes" }',
        '      provider: AWS',
        '    among: [CC-A, CC-B]',
      ].join('\n'),
      'pools.yaml',
    );
    expect(pools.map((p) => [p.name, p.method, p.where])).toEqual([
      ['platform', 'proportional', 'pools.yaml:2:5'],
      ['support', 'fixed', 'pools.yaml:5:5'],
      ['network', 'even', 'pools.yaml:14:5'],
    ]);
    expect(pools[0]!.match).toEqual({ costCenter: ['PLAT'], unattributedOnly: false });
    expect(pools[0]!.references).toEqual([{ code: 'PLAT', where: 'pools.yaml:4:26' }]);
    expect(pools[1]!.shares).toEqual([
      { costCenter: 'CC-A', percent: '33.333333333333333333333' },
      { costCenter: 'CC-B', percent: '66.666666666666666666667' },
    ]);
    expect(pools[1]!.match).toEqual({ service: ['Support', 'Premium Support'], unattributedOnly: true });
    expect(pools[1]!.glAccount).toBe('6200');
    expect(pools[1]!.references.map((r) => r.where)).toEqual(['pools.yaml:11:7', 'pools.yaml:12:7']);
    expect(pools[2]!.match).toEqual({ tags: [{ key: 'shared', value: 'yes' }], provider: ['AWS'], unattributedOnly: false });
    expect(pools[2]!.among).toEqual(['CC-A', 'CC-B']);
  });

  it('reads JSON too, numbers kept exact', () => {
    const pools = parseSharedPools('{"pools":[{"name":"p","method":"fixed","match":{"provider":"AWS"},"shares":{"A":12.5,"B":87.5}}]}', 'pools.json');
    expect(pools[0]!.shares).toEqual([{ costCenter: 'A', percent: '12.5' }, { costCenter: 'B', percent: '87.5' }]);
  });

  it('refuses fixed percentages that do not sum to exactly 100, with file:line', () => {
    const e = failure(['pools:', '  - name: support', '    method: fixed', '    match: { service: Support }', '    shares:', '      A: 33.33', '      B: 66.66'].join('\n'));
    expect(e.message).toBe('pools.yaml: invalid shared-cost pools');
    expect(e.details).toEqual(['pools.yaml:6:7: pools[0].shares: percentages sum to 99.99, must be exactly 100']);
  });

  it('names the line, path and reason of every schema problem', () => {
    const e = failure(
      [
        'pools:',
        '  - name: a',
        '    method: weighted',
        '    match: { provider: AWS }',
        '  - name: b',
        '    method: even',
        '    match: { unattributedOnly: true }',
        '    colour: red',
        '  - method: fixed',
        '    match: { provider: AWS }',
        '    shares: { A: "ten" }',
      ].join('\n'),
    );
    expect(e.details).toEqual([
      'pools.yaml:3:13: pools[0].method: must be one of proportional, even, fixed',
      'pools.yaml:7:12: pools[1].match: needs at least one condition (costCenter, provider, service, serviceCategory, subAccount, billingAccount or tags)',
      'pools.yaml:8:5: pools[1]: unknown field(s) colour',
      'pools.yaml:9:5: pools[2].name: is required',
      'pools.yaml:11:18: pools[2].shares.A: must be a positive decimal percentage such as 25 or 33.34',
    ]);
  });

  it('refuses duplicate names, shares on other methods, among on fixed, zero percentages', () => {
    const e = failure(
      [
        'pools:',
        '  - { name: a, method: even, match: { provider: AWS }, shares: { A: 100 } }',
        '  - { name: a, method: fixed, match: { provider: AWS }, shares: { A: 0, B: 100 }, among: [A] }',
        '  - { name: c, method: even, match: { provider: AWS }, among: [A, B, A] }',
      ].join('\n'),
    );
    expect(e.details).toEqual([
      'pools.yaml:2:64: pools[0].shares: only method fixed takes shares',
      'pools.yaml:3:13: pools[1].name: pool "a" is already defined at pools.yaml:2:13',
      'pools.yaml:3:70: pools[1].shares.A: must be greater than 0',
      'pools.yaml:3:90: pools[1].among: not used by method fixed (the shares name the cost centers)',
      'pools.yaml:4:63: pools[2].among: A listed twice',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const e = failure('pools:\n  - name: a\n   method: even\n  x: [');
    expect(e.message).toBe('pools.yaml: not valid YAML or JSON');
    expect(e.details[0]).toMatch(/^pools\.yaml:\d+:\d+: /);
  });
});
