import type { CellError } from './focus-row.js';
import type { BudgetRow, CostCenterRow } from './itfm-rows.js';

// Rules that look across rows of one ITFM file, or at the stored master data: duplicate keys, cost
// centers that do not exist, and parent links that go nowhere or round in a circle.

/** A validated row and the file line it starts on. */
export interface LinedRow<Row> {
  readonly line: number;
  readonly row: Row;
}

/** Every later row whose key an earlier row already had, pointing at that earlier line. */
export function duplicateKeyErrors<Row>(
  rows: readonly LinedRow<Row>[],
  key: (row: Row) => string,
  column: string,
  describe: (row: Row) => string,
): CellError[] {
  const first = new Map<string, number>();
  const errors: CellError[] = [];
  for (const { line, row } of rows) {
    const k = key(row);
    const earlier = first.get(k);
    if (earlier === undefined) first.set(k, line);
    else errors.push({ line, column, reason: `duplicates line ${earlier} (${describe(row)})` });
  }
  return errors;
}

/** Two cost center rows with the same code. */
export function duplicateCostCenterErrors(rows: readonly LinedRow<CostCenterRow>[]): CellError[] {
  return duplicateKeyErrors(rows, (r) => r.code, 'code', (r) => `same code ${JSON.stringify(r.code)}`);
}

/** Two budget rows for the same version, cost center, category and month. */
export function duplicateBudgetErrors(rows: readonly LinedRow<BudgetRow>[]): CellError[] {
  return duplicateKeyErrors(
    rows,
    (r) => JSON.stringify([r.version, r.cost_center, r.category, r.month]),
    '(row)',
    (r) =>
      `same version, cost center, category and month: ${r.version}, ${JSON.stringify(r.cost_center)}, ` +
      `${JSON.stringify(r.category)}, ${r.month.slice(0, 7)}`,
  );
}

/** Rows naming a cost center that is not stored. */
export function unknownCostCenterErrors<Row>(
  rows: readonly LinedRow<Row>[],
  codeOf: (row: Row) => string,
  known: ReadonlySet<string>,
  column = 'cost_center',
): CellError[] {
  return rows
    .filter(({ row }) => !known.has(codeOf(row)))
    .map(({ line, row }) => ({
      line,
      column,
      reason: `unknown cost center ${JSON.stringify(codeOf(row))} (import it with costbridge import cost-centers first)`,
    }));
}

/**
 * Parent links after the import: each parent must be a code in the file or already stored, and no
 * code may be its own ancestor. `stored` maps every stored code to its parent. A row whose file has
 * no parent column keeps its stored parent. Every row on a cycle is reported, with the cycle.
 */
export function costCenterHierarchyErrors(
  rows: readonly LinedRow<CostCenterRow>[],
  stored: ReadonlyMap<string, string | null>,
): CellError[] {
  const parentOf = new Map(stored);
  for (const { row } of rows) parentOf.set(row.code, row.parent === undefined ? (stored.get(row.code) ?? null) : row.parent);
  const errors: CellError[] = [];
  for (const { line, row } of rows) {
    const parent = parentOf.get(row.code) ?? null;
    if (parent === null) continue;
    if (!parentOf.has(parent)) {
      errors.push({ line, column: 'parent', reason: `unknown cost center ${JSON.stringify(parent)} (not in this file nor stored)` });
      continue;
    }
    const path = [row.code];
    const seen = new Set(path);
    let at: string | null = parent;
    while (at !== null && !seen.has(at)) {
      path.push(at);
      seen.add(at);
      at = parentOf.get(at) ?? null;
    }
    if (at === row.code) {
      errors.push({ line, column: 'parent', reason: `makes a cycle: ${[...path, row.code].join(' -> ')}` });
    }
  }
  return errors;
}

/** Several line-ordered error lists as one, ordered by line (stable for equal lines). */
export function mergeByLine(...lists: readonly (readonly CellError[])[]): CellError[] {
  return lists.flat().sort((a, b) => a.line - b.line);
}
