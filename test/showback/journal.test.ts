import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Money } from '../../src/domain/money.js';
import { computeShowback, type ShowbackGroup } from '../../src/domain/allocation-showback.js';
import type { SharedPool } from '../../src/domain/allocation-pools.js';
import { buildChargebackJournal } from '../../src/domain/journal.js';
import { journalCsvRecords, neutralizeCell } from '../../src/domain/journal-csv.js';
import { reconcileChargeback } from '../../src/domain/journal-reconciliation.js';

const accounts = { clearingAccount: 'IT-CLEARING', defaultGlAccount: 'IT-CLOUD' };
const amount = fc
  .tuple(fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }), fc.integer({ min: 0, max: 11 }))
  .map(([n, p]) => new Money(n.toString()).div(new Money(10).pow(p)).toFixed());
const pools: SharedPool[] = [
  { name: 'platform', method: 'proportional', match: { costCenter: ['PLAT'], unattributedOnly: false }, where: 'p.yaml:2:5', references: [] },
  { name: 'support', method: 'fixed', match: { service: ['Support'], unattributedOnly: false }, shares: [{ costCenter: 'A', percent: '70' }, { costCenter: 'B', percent: '30' }], glAccount: '6200', where: 'p.yaml:5:5', references: [] },
  { name: 'network', method: 'even', match: { provider: ['Net'], unattributedOnly: false }, where: 'p.yaml:9:5', references: [] },
];
const group = fc.record({
  currency: fc.constantFrom('USD', 'EUR'),
  costCenter: fc.constantFrom('A', 'B', 'C', null),
  pool: fc.constantFrom(null, null, 'platform', 'support', 'network', 'dismissed-db'),
  glAccount: fc.constantFrom(null, '6100', '=HYPERLINK("x")'),
  billed: amount,
  effective: amount,
  lines: fc.integer({ min: 1, max: 50 }),
});

describe('chargeback journal', () => {
  it('neutralizes spreadsheet formulas in text cells only', () => {
    expect(['=SUM(A1)', '+1', '-2', '@x', '\tx', '\rx', 'CC-1', '', "'a"].map(neutralizeCell)).toEqual([
      "'=SUM(A1)", "'+1", "'-2", "'@x", "'\tx", "'\rx", 'CC-1', '', "'a",
    ]);
  });

  it('property: showback rows, unattributed, unallocated pools and residuals add up to the exact total; debits equal credits', () => {
    fc.assert(
      fc.property(fc.array(group, { maxLength: 25 }), fc.constantFrom('billed' as const, 'effective' as const), (groups: ShowbackGroup[], basis) => {
        const showbacks = computeShowback(groups, pools, basis);
        for (const s of showbacks) {
          const exact = groups.filter((g) => g.currency === s.currency).reduce((a, g) => a.plus(basis === 'billed' ? g.billed : g.effective), new Money(0));
          expect(new Money(s.total).eq(exact)).toBe(true);
          const rows = s.rows.reduce((a, r) => a.plus(r.total), new Money(0));
          expect(rows.plus(s.unattributed).plus(s.unallocated).plus(s.roundingResidual).eq(s.total)).toBe(true);
          for (const p of s.pools) {
            if (!p.unallocated) expect(p.shares.reduce((a, x) => a.plus(x.amount), new Money(0)).eq(p.allocated)).toBe(true);
          }
        }
        const entries = buildChargebackJournal('2024-09', basis, showbacks, accounts);
        expect(entries.map((e) => e.currency)).toEqual(showbacks.map((s) => s.currency));
        for (const e of entries) {
          const debits = e.lines.reduce((a, l) => a.plus(l.debit ?? 0), new Money(0));
          const credits = e.lines.reduce((a, l) => a.plus(l.credit ?? 0), new Money(0));
          expect(debits.eq(credits)).toBe(true);
          expect(debits.toFixed(2)).toBe(e.debitTotal);
          for (const l of e.lines) expect(new Money(l.debit ?? l.credit!).decimalPlaces()).toBeLessThanOrEqual(2);
        }
        for (const r of journalCsvRecords('2024-09', entries).slice(1)) {
          for (const i of [1, 3, 4, 7, 8]) expect(r[i]!).not.toMatch(/^[=+\-@\t\r]/);
          for (const i of [5, 6]) if (r[i] !== '') expect(r[i]).toMatch(/^-?\d+\.\d\d$/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('books pool shares to the pool GL account and names the method in the memo', () => {
    const groups: ShowbackGroup[] = [
      { currency: 'USD', costCenter: 'A', pool: null, glAccount: null, billed: '10.004', effective: '0', lines: 1 },
      { currency: 'USD', costCenter: 'B', pool: null, glAccount: '6100', billed: '-5', effective: '0', lines: 1 },
      { currency: 'USD', costCenter: null, pool: 'support', glAccount: null, billed: '1.00', effective: '0', lines: 1 },
      { currency: 'USD', costCenter: null, pool: null, glAccount: null, billed: '2.50', effective: '0', lines: 3 },
    ];
    const [entry] = buildChargebackJournal('2024-09', 'billed', computeShowback(groups, pools, 'billed'), accounts);
    expect(entry!.lines.map((l) => [l.account, l.costCenter, l.debit, l.credit, l.memo])).toEqual([
      ['6200', 'A', '0.70', null, 'chargeback 2024-09 BilledCost: shared pool "support" (fixed percentages) 0.70'],
      ['IT-CLOUD', 'A', '10.00', null, 'chargeback 2024-09 BilledCost: direct 10.00'],
      ['6100', 'B', '-5.00', null, 'chargeback 2024-09 BilledCost: direct -5.00'],
      ['6200', 'B', '0.30', null, 'chargeback 2024-09 BilledCost: shared pool "support" (fixed percentages) 0.30'],
      ['IT-CLEARING', null, null, '6.00', 'chargeback 2024-09 BilledCost: clearing for 2 cost center(s); not charged: 2.5 (no known cost center or pool without recipients)'],
    ]);
    expect(entry!.notCharged).toBe('2.5');
  });

  it('reconciles per cost center; the total is the sum of the lines', () => {
    const r = reconcileChargeback({
      currency: 'USD',
      chargeback: new Map([['A', '128.37'], ['B', '64.70']]),
      gl: new Map([['A', '40'], ['C', '1.00']]),
      timing: new Map([['A', '60']]),
      basis: new Map([['A', '-12.33'], ['B', '12.33']]),
    });
    expect(r.costCenters).toEqual([
      { costCenter: 'A', chargeback: '128.37', gl: '40', difference: '88.37', timing: '60', basis: '-12.33', postClose: '0', notCharged: '0', unexplained: '40.7' },
      { costCenter: 'B', chargeback: '64.7', gl: '0', difference: '64.7', timing: '0', basis: '12.33', postClose: '0', notCharged: '0', unexplained: '52.37' },
      { costCenter: 'C', chargeback: '0', gl: '1', difference: '-1', timing: '0', basis: '0', postClose: '0', notCharged: '0', unexplained: '-1' },
    ]);
    expect(r.total).toEqual({ chargeback: '193.07', gl: '41', difference: '152.07', timing: '60', basis: '0', postClose: '0', notCharged: '0', unexplained: '92.07' });
    // Carried post-close adjustments explain their part of the difference.
    const carried = reconcileChargeback({
      currency: 'USD',
      chargeback: new Map([['A', '165.00']]),
      gl: new Map([['A', '100']]),
      timing: new Map(),
      basis: new Map(),
      postClose: new Map([['A', '65.00']]),
    });
    expect(carried.total).toEqual({ chargeback: '165', gl: '100', difference: '65', timing: '0', basis: '0', postClose: '65', notCharged: '0', unexplained: '0' });
  });
});
