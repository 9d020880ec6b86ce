import { Money } from './money.js';
import type { ChargebackAccounts, JournalEntry, JournalLine } from './journal.js';
import type { CostBasis } from './spend-dimensions.js';

// Chargeback entries are issued once: the first run of a period issues `CB-P-CUR`, and a later run
// only issues what is still due (target minus what is booked) as an adjusting entry `-A1`, `-A2` ...
// An open month's entries also carry the post-close adjustments of the closed months before it.

/** A debit of a cost center's GL account, for the figures of one month (and close, when carried). */
export interface ChargeDebit {
  readonly currency: string;
  readonly costCenter: string;
  readonly account: string;
  /** Whole cents, signed. */
  readonly amount: string;
}

/** A line of an issued entry: which month's figures it books, and for a carried line the close it adjusts. */
export interface IssuedLine extends JournalLine {
  /** `YYYY-MM`: the entry's own period, or the closed month whose post-close adjustment it carries. */
  readonly booksPeriod: string;
  readonly closureId: number | null;
}

/** A chargeback entry as issued (or, on a dry run, as it would be). Never changed once issued. */
export interface IssuedEntry extends JournalEntry {
  /** `YYYY-MM` */
  readonly period: string;
  /** 0 for the entry itself, n for its n-th adjusting entry. */
  readonly sequence: number;
  readonly basis: CostBasis;
  readonly lines: readonly IssuedLine[];
  /** ISO instant; null while only pending (a dry run). */
  readonly issuedAt: string | null;
  readonly issuedBy: string | null;
}

/** `CB-2026-10-USD`, then `CB-2026-10-USD-A1`, `-A2` ... */
export function entryId(period: string, currency: string, sequence: number): string {
  return sequence === 0 ? `CB-${period}-${currency}` : `CB-${period}-${currency}-A${sequence}`;
}

const debitKey = (d: { currency: string; costCenter: string; account: string }) => JSON.stringify([d.currency, d.costCenter, d.account]);

/** The debit lines of journal entries as charge debits, with their memos by key. */
export function journalDebits(entries: readonly JournalEntry[]): { debits: ChargeDebit[]; memos: Map<string, string> } {
  const debits: ChargeDebit[] = [];
  const memos = new Map<string, string>();
  for (const e of entries) {
    for (const l of e.lines) {
      if (l.costCenter === null || l.debit === null) continue;
      const d = { currency: e.currency, costCenter: l.costCenter, account: l.account, amount: l.debit };
      debits.push(d);
      memos.set(debitKey(d), l.memo);
    }
  }
  return { debits, memos };
}

/** Sums debits per currency, cost center and account. */
export function sumDebits(debits: readonly ChargeDebit[]): Map<string, ChargeDebit> {
  const out = new Map<string, ChargeDebit>();
  for (const d of debits) {
    const k = debitKey(d);
    const prev = out.get(k);
    out.set(k, { ...d, amount: new Money(prev?.amount ?? 0).plus(d.amount).toFixed(2) });
  }
  return out;
}

/** One key's due amount, with what the target and the bookings were. */
export interface DueDebit extends ChargeDebit {
  readonly target: string;
  readonly booked: string;
}

/**
 * What is still due: per currency, cost center and account, `target` minus `booked` (minus
 * `subtracted`, when given), leaving out keys with nothing due. Ordered by currency, cost center, account.
 */
export function dueDebits(target: readonly ChargeDebit[], booked: readonly ChargeDebit[], subtracted: readonly ChargeDebit[] = []): DueDebit[] {
  const t = sumDebits(target);
  const b = sumDebits(booked);
  const s = sumDebits(subtracted);
  const out: DueDebit[] = [];
  for (const k of new Set([...t.keys(), ...b.keys(), ...s.keys()])) {
    const base = (t.get(k) ?? b.get(k) ?? s.get(k))!;
    const targetAmount = new Money(t.get(k)?.amount ?? 0).minus(s.get(k)?.amount ?? 0);
    const bookedAmount = new Money(b.get(k)?.amount ?? 0);
    const due = targetAmount.minus(bookedAmount);
    if (due.isZero()) continue;
    out.push({ currency: base.currency, costCenter: base.costCenter, account: base.account, amount: due.toFixed(2), target: targetAmount.toFixed(2), booked: bookedAmount.toFixed(2) });
  }
  return out.sort((x, y) => (debitKey(x) < debitKey(y) ? -1 : debitKey(x) > debitKey(y) ? 1 : 0));
}

/** A debit line to put in an entry. */
export interface EntryDebit extends ChargeDebit {
  readonly booksPeriod: string;
  readonly closureId: number | null;
  readonly memo: string;
}

/**
 * Composes one balanced entry: the debit lines (the period's own first, then carried ones by the
 * month they book, each by cost center and account) and one credit to the clearing account equal to
 * their sum. Zero debits are left out.
 */
export function composeEntry(e: {
  period: string;
  currency: string;
  sequence: number;
  basis: CostBasis;
  debits: readonly EntryDebit[];
  notCharged: string;
  accounts: ChargebackAccounts;
  clearingMemo: string;
}): IssuedEntry {
  const entry = entryId(e.period, e.currency, e.sequence);
  const rank = (d: EntryDebit) => (d.booksPeriod === e.period ? '' : d.booksPeriod);
  const debits = e.debits
    .filter((d) => !new Money(d.amount).isZero())
    .sort((a, b) => rank(a).localeCompare(rank(b)) || (a.costCenter < b.costCenter ? -1 : a.costCenter > b.costCenter ? 1 : 0) || (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  const total = debits.reduce((s, d) => s.plus(d.amount), new Money(0));
  const lines: IssuedLine[] = [
    ...debits.map((d) => ({
      entry,
      account: d.account,
      costCenter: d.costCenter,
      debit: new Money(d.amount).toFixed(2),
      credit: null,
      currency: e.currency,
      memo: d.memo,
      booksPeriod: d.booksPeriod,
      closureId: d.closureId,
    })),
    {
      entry,
      account: e.accounts.clearingAccount,
      costCenter: null,
      debit: null,
      credit: total.toFixed(2),
      currency: e.currency,
      memo: e.clearingMemo,
      booksPeriod: e.period,
      closureId: null,
    },
  ];
  return {
    entry,
    period: e.period,
    currency: e.currency,
    sequence: e.sequence,
    basis: e.basis,
    lines,
    debitTotal: total.toFixed(2),
    creditTotal: total.toFixed(2),
    notCharged: e.notCharged,
    issuedAt: null,
    issuedBy: null,
  };
}
