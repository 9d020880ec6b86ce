import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { leverKind, parseSavingFilters, parsePositiveAmount, savingId, savingLevers } from '../../src/domain/saving.js';
import { illegalTransition, actionSources } from '../../src/domain/saving-lifecycle.js';
import { filtersOverlap, periodsOverlap, scopesOverlap, type SavingScope } from '../../src/domain/saving-overlap.js';
import { measurementWindows, coveredDaysEnd, completeDaysEnd } from '../../src/domain/saving-measurement.js';
import { budgetYearMonths, monthAt, plannedRevisions } from '../../src/domain/saving-recognition.js';
import { holdsRole, type Person } from '../../src/domain/people.js';

const scope = (s: Partial<SavingScope>): SavingScope => ({ id: 'A', costCenter: 'PLAT', filters: {}, effectiveDate: '2026-01-01', endDate: null, status: 'validated', ...s });

describe('saving domain', () => {
  it('levers: rate for price, usage for quantity', () => {
    expect(savingLevers.map((l) => [l, leverKind(l)])).toEqual([
      ['commitment-discount', 'rate'], ['negotiated-price', 'rate'], ['license-harvest', 'rate'],
      ['rightsizing', 'usage'], ['cleanup', 'usage'], ['scheduling', 'usage'], ['architecture', 'usage'],
    ]);
  });

  it('ids, amounts and filters', () => {
    expect([savingId(1), savingId(9999), savingId(12345)]).toEqual(['SAV-0001', 'SAV-9999', 'SAV-12345']);
    expect(parsePositiveAmount('0012.50', '--x')).toBe('12.5');
    expect(() => parsePositiveAmount('0', '--x')).toThrow('--x must be a positive amount');
    expect(() => parsePositiveAmount('1e3', '--x')).toThrow();
    expect(parseSavingFilters(['service=B', 'provider=P', 'service=A', 'service=B', 'resource=a=b'])).toEqual({ provider: ['P'], service: ['A', 'B'], resource: ['a=b'] });
  });

  it('lifecycle: only the listed sources allow each action, with a message naming the state', () => {
    expect(actionSources).toEqual({
      validate: ['proposed'],
      recognize: ['validated'],
      reject: ['proposed', 'validated'],
      withdraw: ['proposed', 'validated'],
      reverse: ['recognized'],
    });
    expect(illegalTransition('SAV-0001', 'withdrawn', 'reject')).toBe('SAV-0001 is withdrawn (withdrawn is final); only a saving that is proposed or validated can be rejected');
    expect(illegalTransition('SAV-0001', 'recognized', 'reject')).toBe('SAV-0001 is recognized; only a saving that is proposed or validated can be rejected; to undo its recognition: costbridge savings reverse SAV-0001 --reason "..." (itfm)');
    expect(illegalTransition('SAV-0001', 'validated', 'reverse')).toBe('SAV-0001 is validated; only a saving that is recognized can be reversed');
    expect(illegalTransition('SAV-0001', 'validated', 'recognize')).toBeUndefined();
  });

  it('overlap: same cost center (or shared commitment), compatible filters, meeting periods', () => {
    expect(filtersOverlap({ service: ['A'] }, { service: ['B'] })).toBe(false);
    expect(filtersOverlap({ service: ['A', 'B'] }, { service: ['B'], sku: ['x'] })).toBe(true);
    expect(periodsOverlap({ effectiveDate: '2026-01-01', endDate: '2026-01-31' }, { effectiveDate: '2026-01-31', endDate: null })).toBe(true);
    expect(periodsOverlap({ effectiveDate: '2026-01-01', endDate: '2026-01-30' }, { effectiveDate: '2026-01-31', endDate: null })).toBe(false);
    expect(scopesOverlap(scope({}), scope({ id: 'B', costCenter: 'ENG' }))).toBe(false);
    const ri = { 'commitment-discount-id': ['ri-1'] };
    expect(scopesOverlap(scope({ filters: ri }), scope({ id: 'B', costCenter: 'ENG', filters: ri }))).toBe(true);
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('service', 'sku', 'region'), fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 2 })),
        fc.dictionary(fc.constantFrom('service', 'sku', 'region'), fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 2 })),
        (a, b) => filtersOverlap(a, b) === filtersOverlap(b, a),
      ),
    );
  });

  it('measurement windows: months from the effective date to the end of the saving or of the data', () => {
    expect(measurementWindows('2026-01-15', null, '2026-03-10')).toEqual([
      { month: '2026-01', from: '2026-01-15', to: '2026-02-01', days: 17, daysInMonth: 31 },
      { month: '2026-02', from: '2026-02-01', to: '2026-03-01', days: 28, daysInMonth: 28 },
      { month: '2026-03', from: '2026-03-01', to: '2026-03-10', days: 9, daysInMonth: 31 },
    ]);
    expect(measurementWindows('2026-01-15', '2026-02-03', '2026-03-10').map((w) => [w.month, w.to, w.days])).toEqual([['2026-01', '2026-02-01', 17], ['2026-02', '2026-02-04', 3]]);
    expect(measurementWindows('2026-04-01', null, '2026-03-10')).toEqual([]);
    expect(measurementWindows('2026-04-01', null, null)).toEqual([]);
    expect([coveredDaysEnd('2023-01-01T01:00:00.000Z'), completeDaysEnd('2023-01-01T01:00:00.000Z'), coveredDaysEnd('2023-01-02T00:00:00.000Z')]).toEqual(['2023-01-02', '2023-01-01', '2023-01-02']);
  });

  it('recognition: the recognized amount off every month to the end of the calendar year; none for avoidance', () => {
    expect(budgetYearMonths('2026-10')).toEqual(['2026-10-01', '2026-11-01', '2026-12-01']);
    expect(plannedRevisions({ type: 'reduction' }, '800.5', '2026-12')).toEqual([{ month: '2026-12-01', amount: '-800.5' }]);
    expect(plannedRevisions({ type: 'avoidance' }, '800', '2026-01')).toEqual([]);
    expect(monthAt(new Date('2026-01-31T23:30:00Z'), 'Europe/Paris')).toBe('2026-02');
    expect(monthAt(new Date('2026-01-31T23:30:00Z'), 'UTC')).toBe('2026-01');
  });

  it('roles: a grant on a cost center covers its descendants', () => {
    const p: Person = { id: 'x', name: null, email: null, slackUserId: null, teamsAadId: null, roles: [{ role: 'itfm', costCenter: 'ENG' }] };
    expect(holdsRole(p, 'itfm', ['PLAT', 'ENG', 'CORP'])).toBe(true);
    expect(holdsRole(p, 'itfm', ['CORP'])).toBe(false);
    expect(holdsRole(p, 'finops', ['PLAT', 'ENG', 'CORP'])).toBe(false);
  });
});
