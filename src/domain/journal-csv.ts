import type { JournalEntry, JournalLine } from './journal.js';

/** Columns of the chargeback CSV, in order. `books_period`: the month whose figures the line books. */
export const journalCsvColumns = ['period', 'entry', 'line', 'account', 'cost_center', 'debit', 'credit', 'currency', 'memo', 'books_period'] as const;

/**
 * Makes a text cell safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return would be read as a formula, so it gets a leading `'`. Only for text cells: amounts
 * are written as plain numbers, negative ones included.
 */
export function neutralizeCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * The chargeback journal as CSV records (header first): text cells neutralized, amounts as numbers.
 * A line without `booksPeriod` books the entry's own period.
 */
export function journalCsvRecords(period: string, entries: readonly JournalEntry[]): string[][] {
  const records: string[][] = [[...journalCsvColumns]];
  for (const e of entries) {
    e.lines.forEach((l, i) =>
      records.push([
        period,
        neutralizeCell(l.entry),
        String(i + 1),
        neutralizeCell(l.account),
        neutralizeCell(l.costCenter ?? ''),
        l.debit ?? '',
        l.credit ?? '',
        neutralizeCell(l.currency),
        neutralizeCell(l.memo),
        (l as JournalLine & { booksPeriod?: string }).booksPeriod ?? period,
      ]),
    );
  }
  return records;
}
