import { unknownCostCenterErrors } from '../domain/itfm-checks.js';
import { glFormat, type GlRow } from '../domain/itfm-rows.js';
import { storedCostCenterCodes } from '../store/cost-centers.js';
import type { Store } from '../store/database.js';
import { glTotalsByCurrency, replaceGlPeriods } from '../store/gl-actuals.js';
import { distinctSorted, monthOf, runItfmImport, type ItfmImportOutcome, type ItfmImportRequest } from './itfm-import.js';

/** What a GL import stored besides the row count. */
export interface GlImportInfo {
  /** The periods the file restates (`2025-01`), sorted. */
  readonly periods: readonly string[];
  /** Stored actuals of those periods that the file replaced. */
  readonly replaced: number;
  /** Exact totals of the imported rows per currency. */
  readonly totals: Readonly<Record<string, string>>;
}

/** The outcome of importing a GL actuals file. */
export type GlImportResult = ItfmImportOutcome & GlImportInfo;

/**
 * Imports GL actuals. A GL extract is restated per period: every stored actual of a period the file
 * has is replaced by the file's rows; other periods are untouched. Every cost center must be stored.
 */
export function importGl(store: Store, request: ItfmImportRequest): Promise<GlImportResult> {
  return runItfmImport<GlRow, GlImportInfo>(store, request, {
    format: glFormat,
    nothing: { periods: [], replaced: 0, totals: {} },
    fileErrors: () => [],
    storeErrors: async (db, rows) =>
      unknownCostCenterErrors(rows, (r) => r.cost_center, await storedCostCenterCodes(db, rows.map((r) => r.row.cost_center))),
    periods: (rows) => distinctSorted(rows, (r) => r.period),
    async write(db, rows, batchId) {
      const periods = distinctSorted(rows, (r) => r.period);
      const { removed } = await replaceGlPeriods(
        db,
        periods,
        rows.map(({ row }) => ({
          period: row.period,
          cost_center_code: row.cost_center,
          gl_account: row.gl_account,
          vendor: row.vendor,
          invoice_id: row.invoice_id,
          amount: row.amount,
          currency: row.currency,
          description: row.description,
        })),
        batchId,
      );
      return { periods: periods.map(monthOf), replaced: removed, totals: await glTotalsByCurrency(db, batchId) };
    },
  });
}
