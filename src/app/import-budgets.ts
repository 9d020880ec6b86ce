import { duplicateBudgetErrors, unknownCostCenterErrors } from '../domain/itfm-checks.js';
import { budgetFormat, type BudgetRow, type BudgetVersion } from '../domain/itfm-rows.js';
import { upsertBudgetLines } from '../store/budgets.js';
import { storedCostCenterCodes, type UpsertCounts } from '../store/cost-centers.js';
import type { Store } from '../store/database.js';
import { distinctSorted, monthOf, runItfmImport, type ItfmImportOutcome, type ItfmImportRequest } from './itfm-import.js';

/** What to import: the file, and the version its rows are when it has no version column. */
export interface ImportBudgetsRequest extends ItfmImportRequest {
  readonly version?: BudgetVersion;
}

/** What a budget import stored besides the counts. */
export interface BudgetImportInfo extends UpsertCounts {
  readonly versions: readonly BudgetVersion[];
  /** The months the file covers (`2025-01`), sorted. */
  readonly months: readonly string[];
}

/** The outcome of importing a budget or forecast file. */
export type BudgetImportResult = ItfmImportOutcome & BudgetImportInfo;

/**
 * Imports budget and forecast lines, upserting by (version, cost center, category, month); lines
 * the file does not mention are kept. Every cost center must already be stored. A file without a
 * version column needs `request.version`.
 */
export function importBudgets(store: Store, request: ImportBudgetsRequest): Promise<BudgetImportResult> {
  return runItfmImport<BudgetRow, BudgetImportInfo>(store, request, {
    format: budgetFormat(request.version),
    readOptions: request.version ? { version: request.version } : {},
    nothing: { versions: [], months: [], inserted: 0, updated: 0, unchanged: 0 },
    fileErrors: duplicateBudgetErrors,
    storeErrors: async (db, rows) =>
      unknownCostCenterErrors(rows, (r) => r.cost_center, await storedCostCenterCodes(db, rows.map((r) => r.row.cost_center))),
    periods: (rows) => distinctSorted(rows, (r) => r.month),
    async write(db, rows, batchId) {
      const counts = await upsertBudgetLines(
        db,
        rows.map(({ row }) => ({
          version: row.version,
          cost_center_code: row.cost_center,
          category: row.category,
          month: row.month,
          amount: row.amount,
          currency: row.currency,
        })),
        batchId,
      );
      return {
        versions: distinctSorted(rows, (r) => r.version) as BudgetVersion[],
        months: distinctSorted(rows, (r) => r.month).map(monthOf),
        ...counts,
      };
    },
  });
}
