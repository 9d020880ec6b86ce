import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Money } from '../../src/domain/money.js';
import { composeEntry, dueDebits, entryId, type ChargeDebit, type IssuedEntry } from '../../src/domain/chargeback-issue.js';
import {
  addMonths,
  booksReach,
  carriesAdjustmentsOf,
  closedMonthsNote,
  describeClosure,
  firstOpenMonthFrom,
  recognitionRefusal,
  type PeriodClosure,
} from '../../src/domain/period-close.js';
import { keyedDifferences } from '../../src/domain/post-close-adjustments.js';

const closure = (period: string, id = 1): PeriodClosure => ({ id, period, closedAt: '2026-11-05T10:00:00.000Z', closedBy: 'fin@example.com' });
const closedOf = (...periods: string[]) => new Map(periods.map((p, i) => [p, closure(p, i + 1)]));

describe('closed months', () => {
  it('finds the first open month and who carries a closed month\'s adjustments', () => {
    const closed = closedOf('2026-09', '2026-10', '2026-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(firstOpenMonthFrom('2026-09', closed)).toBe('2026-11');
    expect(firstOpenMonthFrom('2026-11', closed)).toBe('2026-11');
    expect(firstOpenMonthFrom('2026-12', closed)).toBe('2027-01');
    expect(carriesAdjustmentsOf('2026-11', '2026-09', closed)).toBe(true);
    expect(carriesAdjustmentsOf('2026-11', '2026-10', closed)).toBe(true);
    expect(carriesAdjustmentsOf('2026-11', '2026-12', closed)).toBe(false);
    expect(carriesAdjustmentsOf('2027-01', '2026-10', closed)).toBe(false);
    expect(carriesAdjustmentsOf('2027-01', '2026-12', closed)).toBe(true);
    expect(carriesAdjustmentsOf('2026-12', '2026-10', closed)).toBe(false);
  });

  it('says from which month a change reaches the books, and which closed months keep their figures', () => {
    const closed = closedOf('2026-09', '2026-10', '2026-12');
    expect(booksReach('2026-10', null, closed)).toEqual({ from: '2026-11', closedMonths: ['2026-10', '2026-12'], bookedIn: { '2026-10': '2026-11', '2026-12': '2027-01' } });
    expect(booksReach('2026-10', '2026-11', closed)).toEqual({ from: '2026-11', closedMonths: ['2026-10'], bookedIn: { '2026-10': '2026-11' } });
    expect(booksReach('2026-11', '2026-12', closed)).toEqual({ from: '2026-11', closedMonths: [], bookedIn: {} });
    expect(closedMonthsNote(booksReach('2026-11', '2026-12', closed))).toBeNull();
    expect(closedMonthsNote(booksReach('2026-09', null, closed))).toBe(
      "2026-09, 2026-10, 2026-12 are closed: their figures stay as closed and the change is a post-close adjustment (2026-09, 2026-10 in 2026-11's chargeback; 2026-12 in 2027-01's chargeback)",
    );
    expect(describeClosure(closure('2026-10'))).toBe('October 2026 closed on 2026-11-05 by fin@example.com');
  });

  it('refuses recognition that would revise a closed month, naming the first month it may start from', () => {
    const closed = closedOf('2026-10');
    expect(recognitionRefusal('2026-11', true, closed)).toBeNull();
    expect(recognitionRefusal('2026-10', true, closed)).toBe('2026-10 is closed: recognizing from 2026-10 would revise its budget; recognize from 2026-11, the first open month');
    // A reduction revises every later month of its budget year: from September it would reach October.
    expect(recognitionRefusal('2026-09', true, closed)).toContain('recognize from 2026-11');
    // An avoidance revises nothing but its own month.
    expect(recognitionRefusal('2026-09', false, closed)).toBeNull();
    expect(recognitionRefusal('2026-10', false, closed)).toContain('recognize from 2026-11');
    // Another budget year is untouched.
    expect(recognitionRefusal('2027-01', true, closedOf('2026-12'))).toBeNull();
  });

  it('post-close adjustments are the per-row differences, unchanged rows left out', () => {
    const before = [{ currency: 'USD', rows: [{ keys: { cc: 'A' }, cost: '100' }, { keys: { cc: 'B' }, cost: '5' }] }];
    const after = [{ currency: 'USD', rows: [{ keys: { cc: 'A' }, cost: '125.5' }, { keys: { cc: 'B' }, cost: '5' }, { keys: { cc: 'C' }, cost: '-1' }] }];
    expect(keyedDifferences(after, before)).toEqual([{ currency: 'USD', rows: [{ keys: { cc: 'A' }, cost: '25.5' }, { keys: { cc: 'C' }, cost: '-1' }], total: '24.5' }]);
    expect(keyedDifferences(before, before)).toEqual([]);
  });
});

describe('chargeback entries issued once', () => {
  const accounts = { clearingAccount: 'CLEAR', defaultGlAccount: 'IT' };
  const cents = fc.integer({ min: -100_000, max: 100_000 }).map((c) => new Money(c).div(100).toFixed(2));
  const target = fc.array(fc.record({ costCenter: fc.constantFrom('CC-1', 'CC-2', 'CC-3'), account: fc.constantFrom('6100', '6200'), amount: cents }), { maxLength: 6 });

  it('names entries and their adjustments', () => {
    expect(entryId('2026-10', 'USD', 0)).toBe('CB-2026-10-USD');
    expect(entryId('2026-10', 'USD', 2)).toBe('CB-2026-10-USD-A2');
  });

  it('over any run of changing figures: every entry balances, issued entries never change, and their sum is always the current figures', () => {
    fc.assert(
      fc.property(fc.array(target, { minLength: 1, maxLength: 6 }), (runs) => {
        const issued: IssuedEntry[] = [];
        for (const run of runs) {
          const figures: ChargeDebit[] = run.map((d) => ({ currency: 'USD', ...d }));
          const booked: ChargeDebit[] = issued.flatMap((e) => e.lines.filter((l) => l.debit !== null).map((l) => ({ currency: 'USD', costCenter: l.costCenter!, account: l.account, amount: l.debit! })));
          const due = dueDebits(figures, booked);
          const before = JSON.stringify(issued);
          if (issued.length === 0 || due.length > 0) {
            const e = composeEntry({
              period: '2026-10', currency: 'USD', sequence: issued.length, basis: 'billed', accounts, notCharged: '0', clearingMemo: 'clearing',
              debits: due.map((d) => ({ ...d, booksPeriod: '2026-10', closureId: null, memo: 'm' })),
            });
            const debits = e.lines.filter((l) => l.debit !== null).reduce((s, l) => s.plus(l.debit!), new Money(0));
            const credit = e.lines.filter((l) => l.credit !== null).reduce((s, l) => s.plus(l.credit!), new Money(0));
            expect(debits.eq(credit)).toBe(true);
            expect(e.debitTotal).toBe(e.creditTotal);
            expect(e.entry).toBe(entryId('2026-10', 'USD', issued.length));
            issued.push(e);
          }
          expect(JSON.stringify(issued.slice(0, JSON.parse(before).length))).toBe(before);
          // The chain now books exactly the current figures, key by key, and nothing more is due.
          const all = issued.flatMap((e) => e.lines.filter((l) => l.debit !== null).map((l) => ({ currency: 'USD', costCenter: l.costCenter!, account: l.account, amount: l.debit! })));
          expect(dueDebits(figures, all)).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('carries only what changed since close and was not booked before', () => {
    const asClosed: ChargeDebit[] = [{ currency: 'USD', costCenter: 'CC-1', account: '6100', amount: '100.00' }];
    const live: ChargeDebit[] = [
      { currency: 'USD', costCenter: 'CC-1', account: '6100', amount: '125.00' },
      { currency: 'USD', costCenter: 'CC-2', account: '6100', amount: '30.00' },
    ];
    const booked: ChargeDebit[] = [{ currency: 'USD', costCenter: 'CC-1', account: '6100', amount: '20.00' }];
    expect(dueDebits(live, booked, asClosed)).toEqual([
      { currency: 'USD', costCenter: 'CC-1', account: '6100', amount: '5.00', target: '25.00', booked: '20.00' },
      { currency: 'USD', costCenter: 'CC-2', account: '6100', amount: '30.00', target: '30.00', booked: '0.00' },
    ]);
  });
});
