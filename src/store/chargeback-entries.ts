import type { Kysely, Transaction } from 'kysely';
import type { IssuedEntry, IssuedLine } from '../domain/chargeback-issue.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import type { CloseTables } from './tables-close.js';
import type { Database } from './tables.js';

type Db = Kysely<Database> | Transaction<Database>;
const tables = (db: Db) => db.withTables<CloseTables>();
const monthDate = (key: string) => `${key}-01`;

/** A debit line booking some month's figures, wherever it was issued. */
export interface Booking {
  readonly entry: string;
  /** `YYYY-MM` of the entry that holds it. */
  readonly entryPeriod: string;
  readonly currency: string;
  readonly costCenter: string;
  readonly account: string;
  readonly amount: string;
  readonly closureId: number | null;
}

/** Every issued entry of a period with its lines, by currency and sequence. */
export async function loadIssuedEntries(db: Db, period: string): Promise<IssuedEntry[]> {
  const entries = await tables(db).selectFrom('chargeback_entry').selectAll().where('period', '=', monthDate(period)).orderBy('currency').orderBy('sequence').execute();
  if (entries.length === 0) return [];
  const lines = await tables(db)
    .selectFrom('chargeback_entry_line')
    .selectAll()
    .where('entry', 'in', entries.map((e) => e.entry))
    .orderBy('entry')
    .orderBy('line')
    .execute();
  return entries.map((e) => ({
    entry: e.entry,
    period,
    currency: e.currency,
    sequence: e.sequence,
    basis: e.basis as CostBasis,
    debitTotal: e.debit_total,
    creditTotal: e.credit_total,
    notCharged: e.not_charged,
    issuedAt: new Date(e.issued_at).toISOString(),
    issuedBy: e.issued_by,
    lines: lines
      .filter((l) => l.entry === e.entry)
      .map(
        (l): IssuedLine => ({
          entry: l.entry,
          account: l.account,
          costCenter: l.cost_center,
          debit: l.debit,
          credit: l.credit,
          currency: e.currency,
          memo: l.memo,
          booksPeriod: String(l.books_period).slice(0, 7),
          closureId: l.closure_id === null ? null : Number(l.closure_id),
        }),
      ),
  }));
}

/** Every issued debit line that books `booksPeriod`'s figures, in any period's entries. */
export async function loadBookings(db: Db, booksPeriod: string): Promise<Booking[]> {
  const rows = await tables(db)
    .selectFrom('chargeback_entry_line as l')
    .innerJoin('chargeback_entry as e', 'e.entry', 'l.entry')
    .select(['l.entry', 'e.period', 'e.currency', 'l.cost_center', 'l.account', 'l.debit', 'l.closure_id'])
    .where('l.books_period', '=', monthDate(booksPeriod))
    .where('l.debit', 'is not', null)
    .execute();
  return rows.map((r) => ({
    entry: r.entry,
    entryPeriod: String(r.period).slice(0, 7),
    currency: r.currency,
    costCenter: r.cost_center ?? '',
    account: r.account,
    amount: r.debit!,
    closureId: r.closure_id === null ? null : Number(r.closure_id),
  }));
}

/** Stores an entry as issued now, by whom, from where; returns when. */
export async function insertIssuedEntry(trx: Transaction<Database>, e: IssuedEntry, by: { actor: string; surface: string }): Promise<string> {
  const row = await tables(trx)
    .insertInto('chargeback_entry')
    .values({
      entry: e.entry,
      period: monthDate(e.period),
      currency: e.currency,
      sequence: e.sequence,
      basis: e.basis,
      debit_total: e.debitTotal,
      credit_total: e.creditTotal,
      not_charged: e.notCharged,
      issued_by: by.actor,
      surface: by.surface,
    })
    .returning('issued_at')
    .executeTakeFirstOrThrow();
  await tables(trx)
    .insertInto('chargeback_entry_line')
    .values(
      e.lines.map((l, i) => ({
        entry: e.entry,
        line: i + 1,
        account: l.account,
        cost_center: l.costCenter,
        debit: l.debit,
        credit: l.credit,
        memo: l.memo,
        books_period: monthDate(l.booksPeriod),
        closure_id: l.closureId,
      })),
    )
    .execute();
  return new Date(row.issued_at).toISOString();
}
