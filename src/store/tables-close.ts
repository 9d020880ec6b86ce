import type { ColumnType, Generated } from 'kysely';

// Row types of the period-close area's tables. Queried through `db.withTables<CloseTables>()` so this
// area's schema needs no edit of the shared `Database` interface.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | undefined, string>;
type Decimal = ColumnType<string, string, string>;

/** One close of a billing month (reopened ones kept). */
export interface PeriodCloseTable {
  id: Generated<number>;
  period: ColumnType<string, string, string>;
  closed_at: Timestamp;
  closed_by: string;
  surface: string;
  pools: Json;
  pools_file: string | null;
  plans: Json;
  totals: Json;
  reopened_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  reopened_by: string | null;
  reopen_reason: string | null;
}

/** An issued chargeback journal entry (never changed once issued). */
export interface ChargebackEntryTable {
  entry: string;
  period: ColumnType<string, string, string>;
  currency: string;
  sequence: number;
  basis: string;
  debit_total: Decimal;
  credit_total: Decimal;
  not_charged: Decimal;
  issued_at: Timestamp;
  issued_by: string;
  surface: string;
}

/** A line of an issued entry; `books_period` is the month whose figures it books. */
export interface ChargebackEntryLineTable {
  entry: string;
  line: number;
  account: string;
  cost_center: string | null;
  debit: ColumnType<string | null, string | null, string | null>;
  credit: ColumnType<string | null, string | null, string | null>;
  memo: string;
  books_period: ColumnType<string, string, string>;
  closure_id: number | null;
}

/** The period-close area's tables, by table name. */
export type CloseTables = {
  period_close: PeriodCloseTable;
  chargeback_entry: ChargebackEntryTable;
  chargeback_entry_line: ChargebackEntryLineTable;
};
