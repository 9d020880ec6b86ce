import type { CellError } from '../domain/focus-row.js';
import { CostbridgeError } from '../domain/costbridge-error.js';

/** How many row errors a failed import prints before it only counts the rest. */
export const shownErrorLimit = 20;

/** `file:line: column: reason`, the way compilers point at a spot so editors can jump there. */
export function describeCellError(file: string, e: CellError, unit: 'line' | 'row' = 'line'): string {
  const where = unit === 'line' ? `${file}:${e.line}` : `${file}: row ${e.line}`;
  return `${where}: ${e.column}: ${e.reason}`;
}

/** The error an all-or-nothing import raises: the first errors in full, then how many more there were. */
export function importRejected(
  file: string,
  shown: readonly CellError[],
  total: number,
  unit: 'line' | 'row' = 'line',
): CostbridgeError {
  const details = shown.slice(0, shownErrorLimit).map((e) => describeCellError(file, e, unit));
  if (total > details.length) details.push(`... and ${total - details.length} more error(s)`);
  return new CostbridgeError(
    'INPUT_INVALID',
    `${file}: nothing imported, ${total} error(s) found (fix them, or use --skip-invalid where offered)`,
    details,
  );
}
