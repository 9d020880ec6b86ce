import type { TableBlock } from './message-model.js';
import { truncateText } from './text-truncation.js';

/** Widest cell kept in a monospaced table; longer cells are cut with "…". */
export const maxPlainCellWidth = 60;

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: 'left' | 'center' | 'right'): string {
  const gap = size - width(text);
  if (gap <= 0) return text;
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(gap >> 1) + text + ' '.repeat(gap - (gap >> 1));
  return text + ' '.repeat(gap);
}

/** A table as aligned monospaced lines: header, a rule, then one line per row. */
export function plainTableLines(block: TableBlock): { header: string[]; rows: string[] } {
  const cut = (cell: string) => truncateText(cell.replace(/\s+/g, ' '), maxPlainCellWidth);
  const headers = block.columns.map((c) => cut(c.header));
  const cells = block.rows.map((row) => row.map(cut));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i] ?? ''))));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => pad(cell, widths[i]!, block.columns[i]!.align))
      .join('  ')
      .trimEnd();
  return { header: [line(headers), widths.map((w) => '-'.repeat(w)).join('  ')], rows: cells.map(line) };
}
