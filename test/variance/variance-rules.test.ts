import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { componentsNeedingExplanation, isMaterial } from '../../src/domain/materiality.js';
import { handoffDate, isBusinessDay } from '../../src/domain/business-days.js';
import { addDays, daysBetween, parseIsoDay } from '../../src/domain/forecast-calendar.js';
import { backtestRunRate, projectRunRate, type DailyCost } from '../../src/domain/forecast-run-rate.js';
import { plannedSavingEffect, plannedSavingEffectText, type PlannedSaving } from '../../src/domain/forecast-planned-savings.js';
import { ledgerTiming } from '../../src/domain/variance-ledger.js';
import { checkExplanation } from '../../src/domain/variance-explanation.js';
import { parseVarianceComponent, varianceComponentNames, type VarianceComponents } from '../../src/domain/variance-components.js';

const zero = Object.fromEntries(varianceComponentNames.map((n) => [n, '0'])) as unknown as VarianceComponents;

describe('materiality', () => {
  const t = { amount: '1000', share: '0.05' };
  it('needs both the amount and the share of the comparison', () => {
    expect(isMaterial('1000', '20000', t)).toBe(true);
    expect(isMaterial('-1000', '20000', t)).toBe(true);
    expect(isMaterial('999.99', '1000', t)).toBe(false);
    expect(isMaterial('1000', '20000.01', t)).toBe(false);
    expect(isMaterial('1500', '-20000', t)).toBe(true);
    expect(isMaterial('1000', '0', t)).toBe(true);
    expect(isMaterial('0', '0', { amount: '0', share: '0' })).toBe(false);
  });
  it('asks for the components that are material on their own, else the largest one', () => {
    expect(componentsNeedingExplanation({ ...zero, rate: '1200', volume: '-1500', tax: '20' }, t)).toEqual(['rate', 'volume']);
    expect(componentsNeedingExplanation({ ...zero, rate: '600', volume: '-700', tax: '20' }, t)).toEqual(['volume']);
    expect(componentsNeedingExplanation(zero, t)).toEqual([]);
  });
  it('parses component names in both spellings', () => {
    expect(parseVarianceComponent('baseline-gap')).toBe('baselineGap');
    expect(parseVarianceComponent('Rate')).toBe('rate');
    expect(parseVarianceComponent('price')).toBeUndefined();
  });
});

describe('explanation checks', () => {
  it('requires an action for a planned component and a known component', () => {
    expect(checkExplanation({ component: 'rate', planned: true, text: 'price rise' })).toMatchObject({ ok: false, message: expect.stringContaining('saving id') });
    expect(checkExplanation({ component: 'rate', planned: true, text: ' price rise ', change: 'CHG-1' })).toEqual({
      ok: true,
      draft: { component: 'rate', planned: true, text: 'price rise', savingId: null, change: 'CHG-1' },
    });
    expect(checkExplanation({ component: 'cost', planned: false, text: 'x' })).toMatchObject({ ok: false });
    expect(checkExplanation({ component: 'new', planned: false, text: '   ' })).toMatchObject({ ok: false, message: 'the explanation text is empty' });
  });
});

describe('handoffDate', () => {
  it('counts business days back from the last business day of the period', () => {
    // November 2026 ends on Monday the 30th.
    expect(handoffDate('2026-11', 0)).toBe('2026-11-30');
    expect(handoffDate('2026-11', 1)).toBe('2026-11-27');
    expect(handoffDate('2026-11', 3)).toBe('2026-11-25');
    // January 2027 ends on a Sunday: the last business day is Friday the 29th.
    expect(handoffDate('2027-01', 0)).toBe('2027-01-29');
    expect(handoffDate('2027-01', 5)).toBe('2027-01-22');
  });
  it('always lands on a business day with exactly N business days after it in the period', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 15 }), (y, m, n) => {
        const period = `${y}-${String(m).padStart(2, '0')}`;
        const d = handoffDate(period, n);
        expect(isBusinessDay(d)).toBe(true);
        const end = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
        let after = 0;
        for (let x = addDays(d, 1); x < end; x = addDays(x, 1)) if (isBusinessDay(x)) after++;
        expect(after).toBe(n);
      }),
    );
  });
  it('rejects bad input', () => {
    expect(() => handoffDate('2026-13', 3)).toThrow(/--period/);
    expect(() => handoffDate('2026-11', -1)).toThrow(/business days/);
    expect(() => parseIsoDay('2026-02-30')).toThrow(/--as-of/);
    expect(daysBetween('2026-02-01', '2026-03-01')).toBe(28);
  });
});

describe('run-rate projection', () => {
  const period = { periodStart: '2026-11-01', periodEnd: '2026-12-01', windowDays: 7 };
  const day = (d: string, cost: string, inPeriod = true, oneOff = false): DailyCost => ({ day: d, cost, inPeriod, oneOff });
  const daily: DailyCost[] = [
    day('2026-10-29', '10', false),
    day('2026-10-30', '10', false),
    day('2026-10-31', '10', false),
    day('2026-11-01', '12'),
    day('2026-11-01', '500', true, true), // a purchase: known item
    day('2026-11-02', '12'),
    day('2026-11-03', '12'),
    day('2026-11-04', '12'),
    day('2026-11-04', '-30', true, true), // a credit
  ];
  it('adds month to date and the trailing run rate times the days left', () => {
    const p = projectRunRate(daily, period, '2026-11-05');
    expect(p).toMatchObject({ elapsedDays: 4, remainingDays: 26, windowStart: '2026-10-29', windowEnd: '2026-11-05' });
    expect(p.monthToDate).toBe('518');
    expect(p.knownItems).toBe('470');
    expect(p.windowTotal).toBe('78');
    expect(p.dailyRunRate).toBe('11.142857');
    // 78 x 26 / 7 = 289.714285... -> 289.71
    expect(p.projectedRemaining).toBe('289.71');
    expect(p.baseline).toBe('807.71');
  });
  it('is the actual once the period is over and nothing before it starts', () => {
    expect(projectRunRate(daily, period, '2026-12-10')).toMatchObject({ remainingDays: 0, monthToDate: '518', baseline: '518' });
    const before = projectRunRate(daily, period, '2026-10-15');
    expect(before).toMatchObject({ elapsedDays: 0, remainingDays: 30, monthToDate: '0' });
  });
  it('backtests each day against the actual with a mean absolute percentage error', () => {
    const flat: DailyCost[] = [];
    for (let i = -7; i < 30; i++) flat.push(day(addDays('2026-11-01', i), '10', i >= 0));
    const b = backtestRunRate(flat, period);
    expect(b.actual).toBe('300');
    expect(b.days).toHaveLength(30);
    expect(b.days.every((d) => d.projected === '300' && d.ape === '0')).toBe(true);
    expect(b.mape).toBe('0');
    const doubled = flat.map((d) => (d.day >= '2026-11-16' ? { ...d, cost: '20' } : d));
    const b2 = backtestRunRate(doubled, period);
    expect(b2.actual).toBe('450');
    // As of the 1st: 10 x 30 = 300, 1/3 off.
    expect(b2.days[0]).toMatchObject({ asOf: '2026-11-01', projected: '300', error: '-150', ape: '0.333333' });
    expect(Number(b2.mape)).toBeGreaterThan(0);
  });
  it('lowers the days after a planned reduction takes effect, pro rata, only where the run rate does not hold it yet (hand-computed)', () => {
    const s: PlannedSaving = { id: 'SAV-1', title: 'rightsize', status: 'validated', type: 'reduction', costCenter: 'CC', effectiveDate: '2026-11-21', endDate: null, monthly: '300', currency: 'USD' };
    // November: 30 days; 300 a month = 10 a day; a 7-day run-rate window before as-of.
    const frame = (asOf: string) => ({ periodStart: '2026-11-01', periodEnd: '2026-12-01', asOf, windowStart: addDays(asOf, -7), windowDays: 7 });
    // As of the 5th the window (Oct 29 - Nov 4) predates the saving: 10 days from the 21st x 10 = 100.
    expect(plannedSavingEffect(s, frame('2026-11-05'))).toMatchObject({ days: 10, inWindowDays: 0, reduction: '100', treatment: 'applied' });
    // As of the 25th the window (Nov 18-24) holds it for 4 of 7 days: 6 days x 10 x 3/7 = 25.714… -> 25.71.
    expect(plannedSavingEffect(s, frame('2026-11-25'))).toMatchObject({ days: 6, inWindowDays: 4, reduction: '25.71' });
    // The case: 50 a month in effect since the 10th, as of the 20th: the whole window (Nov 13-19)
    // already runs at the lower rate, so nothing more is deducted (it used to take 50 x 11/30 = 18.33 again).
    expect(plannedSavingEffect({ ...s, monthly: '50', effectiveDate: '2026-11-10' }, frame('2026-11-20'))).toMatchObject({ days: 11, inWindowDays: 7, reduction: '0' });
    // Proposed: potential, not applied, unless asked for.
    expect(plannedSavingEffect({ ...s, status: 'proposed' }, frame('2026-11-05'))).toMatchObject({ reduction: '100', treatment: 'potential' });
    expect(plannedSavingEffect({ ...s, status: 'proposed' }, frame('2026-11-05'), true)).toMatchObject({ treatment: 'applied' });
    expect(plannedSavingEffect({ ...s, type: 'avoidance' }, frame('2026-11-05'))).toBeUndefined();
    expect(plannedSavingEffect({ ...s, status: 'rejected' }, frame('2026-11-05'))).toBeUndefined();
    expect(plannedSavingEffect({ ...s, effectiveDate: '2026-12-01' }, frame('2026-11-05'))).toBeUndefined();
    // Effective on Oct 31, as of Nov 3: the window (Oct 27 - Nov 2) holds it for 3 of 7 days: 28 days x 10 x 4/7 = 160.
    expect(plannedSavingEffect({ ...s, effectiveDate: '2026-10-31' }, frame('2026-11-03'))).toMatchObject({ days: 28, inWindowDays: 3, reduction: '160' });
    // Before the window and the period: not this forecast's business.
    expect(plannedSavingEffect({ ...s, effectiveDate: '2026-10-15' }, frame('2026-11-03'))).toBeUndefined();
  });
  it('stops a planned reduction at its end date and adds back the days the run rate holds it for after it ends (hand-computed)', () => {
    const s: PlannedSaving = { id: 'SAV-2', title: 'reserved', status: 'recognized', type: 'reduction', costCenter: 'CC', effectiveDate: '2026-11-21', endDate: '2026-11-25', monthly: '300', currency: 'USD' };
    const frame = (asOf: string) => ({ periodStart: '2026-11-01', periodEnd: '2026-12-01', asOf, windowStart: addDays(asOf, -7), windowDays: 7 });
    // In effect Nov 21-25 only: 5 days x 10 = 50, not the 10 days to the period end (100).
    expect(plannedSavingEffect(s, frame('2026-11-05'))).toMatchObject({ days: 5, inWindowDays: 0, reduction: '50' });
    // In effect since October, ends Nov 22, as of the 20th: the window (Nov 13-19) runs at the lower rate
    // and projects it onto all 11 remaining days, but only 3 (20-22) keep it: 10 x (3 - 11) = -80, added back.
    const ending = { ...s, effectiveDate: '2026-10-01', endDate: '2026-11-22' };
    expect(plannedSavingEffect(ending, frame('2026-11-20'))).toMatchObject({ days: 3, inWindowDays: 7, reduction: '-80' });
    expect(plannedSavingEffectText(plannedSavingEffect(ending, frame('2026-11-20'))!, 'USD')).toBe(
      '+USD 80.00 added back (the run rate holds it for days after it ends, ends 2026-11-22)',
    );
    // Ended on the 15th, inside the window (3 of its 7 days): 10 x (0 - 11 x 3/7) = -47.142… -> -47.14.
    expect(plannedSavingEffect({ ...ending, endDate: '2026-11-15' }, frame('2026-11-20'))).toMatchObject({ days: 0, inWindowDays: 3, reduction: '-47.14' });
    // Ended before the window and after the period start, or before both: nothing to do with this projection.
    expect(plannedSavingEffect({ ...ending, endDate: '2026-11-10' }, frame('2026-11-20'))).toBeUndefined();
    expect(plannedSavingEffect({ ...ending, endDate: '2026-10-20' }, frame('2026-11-20'))).toBeUndefined();
    // Ending on the period's last day is the same as never ending.
    const figures = (e: ReturnType<typeof plannedSavingEffect>) => e && { days: e.days, inWindowDays: e.inWindowDays, reduction: e.reduction };
    expect(figures(plannedSavingEffect({ ...s, endDate: '2026-11-30' }, frame('2026-11-25')))).toEqual({ days: 6, inWindowDays: 4, reduction: '25.71' });
    expect(figures(plannedSavingEffect({ ...s, endDate: null }, frame('2026-11-25')))).toEqual({ days: 6, inWindowDays: 4, reduction: '25.71' });
    expect(plannedSavingEffectText(plannedSavingEffect(s, frame('2026-11-05'))!, 'USD')).toBe('-USD 50.00 (ends 2026-11-25)');
  });
});

describe('ledger timing', () => {
  it('matches invoices by id and amount and books the timing on the GL cost center', () => {
    const invoices = [
      { invoiceId: 'INV-10', billingPeriod: '2026-10', currency: 'USD', billed: '150' },
      { invoiceId: 'INV-10B', billingPeriod: '2026-10', currency: 'USD', billed: '80' },
      { invoiceId: 'INV-11', billingPeriod: '2026-11', currency: 'USD', billed: '40' },
    ];
    const gl = [
      // INV-10 billed in October, booked in November on two cost centers: timing.
      { period: '2026-11', costCenter: 'A', invoiceId: 'INV-10', currency: 'USD', amount: '100' },
      { period: '2026-11', costCenter: 'B', invoiceId: 'INV-10', currency: 'USD', amount: '50' },
      // INV-10B booked late with a different amount: not a timing match.
      { period: '2026-11', costCenter: 'A', invoiceId: 'INV-10B', currency: 'USD', amount: '79' },
      { period: '2026-10', costCenter: 'A', invoiceId: 'INV-9', currency: 'USD', amount: '33' },
      { period: '2026-11', costCenter: 'B', invoiceId: 'INV-11', currency: 'USD', amount: '40' },
    ];
    expect(ledgerTiming('2026-10', invoices, gl)).toEqual([
      { costCenter: 'A', currency: 'USD', gl: '33', timing: '100' },
      { costCenter: 'B', currency: 'USD', gl: '0', timing: '50' },
    ]);
    expect(ledgerTiming('2026-11', invoices, gl)).toEqual([
      { costCenter: 'A', currency: 'USD', gl: '179', timing: '-100' },
      { costCenter: 'B', currency: 'USD', gl: '90', timing: '-50' },
    ]);
  });
});
