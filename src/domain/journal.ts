import { Money } from './money.js';
import { describeAllocationMethod } from './allocation.js';
import { roundToCent } from './allocation.js';
import type { CurrencyShowback } from './allocation-showback.js';
import type { CostBasis } from './spend-dimensions.js';

/** One line of a journal entry: a debit to a cost center's GL account, or the credit to the clearing account. */
export interface JournalLine {
  readonly entry: string;
  readonly account: string;
  /** Null on the clearing-account credit. */
  readonly costCenter: string | null;
  /** Whole cents, signed (a cost center credited net shows a negative debit); null on the credit line. */
  readonly debit: string | null;
  /** Whole cents, signed; null on debit lines. */
  readonly credit: string | null;
  readonly currency: string;
  readonly memo: string;
}

/** One balanced journal entry per currency: debits equal the credit exactly. */
export interface JournalEntry {
  readonly entry: string;
  readonly currency: string;
  readonly lines: readonly JournalLine[];
  readonly debitTotal: string;
  readonly creditTotal: string;
  /** Cost of the period in this currency that no cost center is charged (no cost center, or a pool nobody takes). */
  readonly notCharged: string;
}

/** Accounts a chargeback posts to. */
export interface ChargebackAccounts {
  readonly clearingAccount: string;
  readonly defaultGlAccount: string;
}

/** Per cost center, the total it is charged in a currency (sum of its debit lines). */
export function chargedByCostCenter(entry: JournalEntry): Map<string, string> {
  const out = new Map<string, Money>();
  for (const l of entry.lines) if (l.costCenter !== null && l.debit !== null) out.set(l.costCenter, (out.get(l.costCenter) ?? new Money(0)).plus(l.debit));
  return new Map([...out].map(([k, v]) => [k, v.toFixed(2)]));
}

/**
 * Chargeback journal entries from a showback: per currency one entry, one debit per cost center and
 * GL account (direct cost rounded to the cent per cost center and account, half away from zero, plus
 * the whole-cent pool shares booked to that account), and one credit to the clearing account equal
 * to the sum of the debits. Lines that round to zero are left out.
 */
export function buildChargebackJournal(
  period: string,
  basis: CostBasis,
  showbacks: readonly CurrencyShowback[],
  accounts: ChargebackAccounts,
): JournalEntry[] {
  const basisLabel = basis === 'billed' ? 'BilledCost' : 'EffectiveCost';
  return showbacks.map((s) => {
    const entry = `CB-${period}-${s.currency}`;
    const lines: JournalLine[] = [];
    let debitTotal = new Money(0);
    for (const row of [...s.rows].sort((a, b) => (a.costCenter < b.costCenter ? -1 : a.costCenter > b.costCenter ? 1 : 0))) {
      const byAccount = new Map<string, { direct: Money; hasDirect: boolean; shares: { text: string; amount: Money }[] }>();
      const slot = (account: string) => {
        let v = byAccount.get(account);
        if (!v) byAccount.set(account, (v = { direct: new Money(0), hasDirect: false, shares: [] }));
        return v;
      };
      for (const d of row.directByGlAccount) {
        const v = slot(d.glAccount ?? accounts.defaultGlAccount);
        v.direct = v.direct.plus(d.amount);
        v.hasDirect = true;
      }
      for (const share of row.shares) {
        const pool = s.pools.find((p) => p.name === share.pool);
        slot(pool?.glAccount ?? accounts.defaultGlAccount).shares.push({
          text: `shared pool "${share.pool}" (${describeAllocationMethod(share.method)}${pool?.fellBackToEven ? ', all direct costs zero: even split' : ''})`,
          amount: new Money(share.amount),
        });
      }
      for (const account of [...byAccount.keys()].sort()) {
        const v = byAccount.get(account)!;
        const direct = roundToCent(v.direct);
        const amount = v.shares.reduce((a, x) => a.plus(x.amount), direct);
        if (amount.isZero()) continue;
        const parts = [
          ...(v.hasDirect ? [`direct ${direct.toFixed(2)}`] : []),
          ...v.shares.map((x) => `${x.text} ${x.amount.toFixed(2)}`),
        ];
        lines.push({ entry, account, costCenter: row.costCenter, debit: amount.toFixed(2), credit: null, currency: s.currency, memo: `chargeback ${period} ${basisLabel}: ${parts.join('; ')}` });
        debitTotal = debitTotal.plus(amount);
      }
    }
    const notCharged = new Money(s.unattributed).plus(s.unallocated);
    const charged = new Set(lines.map((l) => l.costCenter)).size;
    lines.push({
      entry,
      account: accounts.clearingAccount,
      costCenter: null,
      debit: null,
      credit: debitTotal.toFixed(2),
      currency: s.currency,
      memo: `chargeback ${period} ${basisLabel}: clearing for ${charged} cost center(s); not charged: ${notCharged.toFixed()} (no known cost center or pool without recipients)`,
    });
    return { entry, currency: s.currency, lines, debitTotal: debitTotal.toFixed(2), creditTotal: debitTotal.toFixed(2), notCharged: notCharged.toFixed() };
  });
}
