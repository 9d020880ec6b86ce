import { closedMonthsNote, type BooksReach } from '../../domain/period-close.js';

/** A confirmation detail saying from which month a decision reaches the books (closed months keep their figures). */
export function booksEffectDetail(books: BooksReach): { label: string; value: string } {
  const note = closedMonthsNote(books);
  return { label: 'Effective from', value: note ? `${books.from} (${note})` : books.from };
}
