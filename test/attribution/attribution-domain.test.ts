import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileGlob, exactGlob, globToLike, globToRegExp, likeToGlob } from '../../src/domain/glob-pattern.js';
import { sameParty, isThirdPartyPublisher } from '../../src/domain/unclassified-spend.js';
import { shareText, isAlerted } from '../../src/domain/unattributed-spend.js';
import { parseContractFile } from '../../src/domain/contract-document.js';

describe('glob patterns', () => {
  it('translate to LIKE with %, _ and \\ escaped, and to an anchored RegExp', () => {
    expect(globToLike('arn:aws:*')).toBe('arn:aws:%');
    expect(globToLike('50%_off\\*x\\\\')).toBe('50\\%\\_off*x\\\\');
    expect(globToRegExp('a*b').test('a\nxb')).toBe(true);
    expect(compileGlob('vm-*').test('vm-1')).toBe(true);
    expect(compileGlob('vm-*').test('xvm-1')).toBe(false);
    expect(compileGlob('').test(null)).toBe(true);
    expect(compileGlob('').test('x')).toBe(false);
    expect(compileGlob('a.b').test('axb')).toBe(false);
  });
  it('round-trip: LIKE back to an equivalent glob, and exactGlob matches only its value', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '*', '\\', '%', '_', '.', 'b') }), fc.string({ unit: fc.constantFrom('a', '*', '\\', '%', '_', '.', 'b') }), (glob, value) => {
        expect(compileGlob(likeToGlob(globToLike(glob))).test(value)).toBe(compileGlob(glob).test(value));
        expect(compileGlob(exactGlob(value)).test(value)).toBe(true);
        expect(compileGlob(exactGlob(glob)).test(value)).toBe(glob === value);
      }),
    );
  });
});

describe('vendor parties', () => {
  it('treats legal suffixes, word prefixes and acronyms as the same party', () => {
    expect(sameParty('AWS', 'Amazon Web Services, Inc.')).toBe(true);
    expect(sameParty('AWS', 'Amazon Web Services EMEA SARL')).toBe(true);
    expect(sameParty('Ledgerly', 'Ledgerly Inc.')).toBe(true);
    expect(sameParty('Cortex AI', 'Cortex AI Labs, Inc.')).toBe(true);
    expect(isThirdPartyPublisher('AWS', 'Red Hat Inc.')).toBe(true);
    expect(isThirdPartyPublisher('Microsoft', 'Microsoft')).toBe(false);
  });
});

describe('shares and noise control', () => {
  it('rounds half-up to 4 decimals and is null for a zero total', () => {
    expect(shareText('1', '3')).toBe('0.3333');
    expect(shareText('0.12345', '1')).toBe('0.1235');
    expect(shareText('2', '3')).toBe('0.6667');
    expect(shareText('1', '0')).toBeNull();
  });
  it('alerts when either threshold is reached, never for claimed or dismissed items', () => {
    const t = { minAmount: '100', minShare: '0.01' };
    expect(isAlerted('open', '99.99', '100000', t)).toBe(false);
    expect(isAlerted('open', '100', '100000', t)).toBe(true);
    expect(isAlerted('open', '5', '400', t)).toBe(true);
    expect(isAlerted('claimed', '500', '400', t)).toBe(false);
  });
});

describe('contract files', () => {
  it('keep amounts exact and numbers as written, and accept JSON', () => {
    const y = parseContractFile('id: A\nvendor: {providerName: X}\ncategory: ai\nstartDate: 2026-01-01\nglAccount: 6410\nexpectedMonthlyAmount: 1234567890.123456789012\ncurrency: EUR\n');
    expect(y.ok && y.contracts[0]).toMatchObject({ glAccount: '6410', expectedMonthlyAmount: '1234567890.123456789012' });
    const j = parseContractFile('{"contracts": [{"id": "B", "vendor": {"publisherName": "P*"}, "category": "license", "startDate": "2026-02-01", "glAccount": "1", "attribution": {"CostCenter": "CC-1"}}]}');
    expect(j.ok && j.contracts[0]!.attribution).toEqual({ cost_center: 'CC-1' });
  });
  it('locate errors by line and column, including YAML syntax errors and unknown keys', () => {
    const bad = parseContractFile('id: A\nvendor: {providerName: X}\ncategory: ai\nstartDate: 2026-01-01\nglAccount: "1"\ncolour: red\nattribution:\n  team: x\n');
    expect(bad.ok ? [] : bad.errors).toEqual([
      { line: 8, column: 9, path: 'attribution.team', reason: 'is not a shared field; use cost-center, application, legal-entity, environment, project, owner' },
      { line: 1, column: 1, path: '(document)', reason: 'unknown key(s): colour' },
    ]);
    const syntax = parseContractFile('id: [\n');
    expect(syntax.ok).toBe(false);
    expect(!syntax.ok && syntax.errors[0]!.path).toBe('(file)');
  });
});
