import { costCenterHierarchyErrors, duplicateCostCenterErrors } from '../domain/itfm-checks.js';
import { costCenterFormat, type CostCenterRow } from '../domain/itfm-rows.js';
import {
  costCenterDetailColumns,
  costCenterParents,
  upsertCostCenters,
  type CostCenterDetailColumn,
  type UpsertCounts,
} from '../store/cost-centers.js';
import type { Store } from '../store/database.js';
import { costCenterScope, lockAttribution, reattribute } from '../store/reattribution.js';
import { runItfmImport, type ItfmImportOutcome, type ItfmImportRequest } from './itfm-import.js';

/** The outcome of importing a cost center file. */
export type CostCenterImportResult = ItfmImportOutcome & UpsertCounts;

/** File column -> stored column, for the optional ones an import only sets when the file has them. */
const detailColumnOf: Record<string, CostCenterDetailColumn> = {
  parent: 'parent_code',
  owner: 'owner',
  legal_entity: 'legal_entity',
  chat_channel: 'chat_channel',
};

/**
 * Imports cost center master data, upserting by code. Optional columns the file lacks keep their
 * stored values; an empty cell clears one. Every parent must be in the file or stored, without cycles.
 */
export function importCostCenters(store: Store, request: ItfmImportRequest): Promise<CostCenterImportResult> {
  return runItfmImport<CostCenterRow, UpsertCounts>(store, request, {
    format: costCenterFormat,
    nothing: { inserted: 0, updated: 0, unchanged: 0 },
    fileErrors: duplicateCostCenterErrors,
    storeErrors: async (db, rows) => costCenterHierarchyErrors(rows, await costCenterParents(db)),
    periods: () => [],
    write: async (db, rows, _batchId, columns) => {
      await lockAttribution(db);
      const counts = await upsertCostCenters(
        db,
        rows.map(({ row }) => ({
          code: row.code,
          name: row.name,
          parent_code: row.parent ?? null,
          owner: row.owner ?? null,
          legal_entity: row.legal_entity ?? null,
          chat_channel: row.chat_channel ?? null,
        })),
        costCenterDetailColumns.filter((c) => [...columns].some((f) => detailColumnOf[f] === c)),
      );
      // A new code can make cost-center tag values valid: re-attribute those lines in the same transaction.
      await reattribute(db, costCenterScope());
      return counts;
    },
  });
}
