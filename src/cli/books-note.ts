import { closedMonthsNote, type BooksReach } from '../domain/period-close.js';

/**
 * The confirmation's tail saying from which month a change reaches the books, and that closed months
 * keep their figures: `; effective in the books from 2026-11 (2026-10 is closed: ...)`. With
 * `always` false, nothing is said unless a closed month is touched.
 */
export function booksNote(books: BooksReach, always = true): string {
  const note = closedMonthsNote(books);
  if (!note && !always) return '';
  return `; effective in the books from ${books.from}${note ? ` (${note})` : ''}`;
}
