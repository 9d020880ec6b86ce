import { readFile } from 'node:fs/promises';
import { CostbridgeError } from '../domain/costbridge-error.js';
import type { BillingMonth } from '../domain/billing-month.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import { parseSharedPools, type SharedPool } from '../domain/allocation-pools.js';
import { computeShowback, type CurrencyShowback } from '../domain/allocation-showback.js';
import type { Store } from '../store/database.js';
import { costCenterNames, knownCostCenters, sumShowbackGroups } from '../store/showback-lines.js';

/** What a showback is asked for. */
export interface ShowbackRequest {
  readonly period: BillingMonth;
  readonly basis: CostBasis;
  /** The shared-pools file (`config.attribution.sharedPoolsFile`), if any. */
  readonly sharedPoolsFile: string | undefined;
}

/** A showback for one period: per currency, per cost center, direct plus allocated cost. */
export interface ShowbackReport {
  readonly period: string;
  readonly basis: CostBasis;
  readonly poolsFile: string | null;
  readonly currencies: readonly CurrencyShowback[];
  /** Cost center names by code, for display. */
  readonly names: ReadonlyMap<string, string>;
}

/**
 * Reads and validates the shared-pools file: its syntax, and every cost center code it names
 * against master data (an unknown code is an error naming file and line).
 */
export async function loadSharedPools(store: Store, file: string | undefined): Promise<SharedPool[]> {
  if (!file) return [];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') {
      throw new CostbridgeError('FILE_NOT_FOUND', `shared-pools file ${file} (COSTBRIDGE_SHARED_POOLS_FILE) does not exist`);
    }
    throw e;
  }
  const pools = parseSharedPools(text, file);
  const references = pools.flatMap((p) => p.references);
  const known = await knownCostCenters(store.db, references.map((r) => r.code));
  const unknown = references.filter((r) => !known.has(r.code));
  if (unknown.length > 0) {
    throw new CostbridgeError(
      'INPUT_INVALID',
      `${file}: invalid shared-cost pools`,
      unknown.map((r) => `${r.where}: cost center ${JSON.stringify(r.code)} is not in the cost-center master data`),
    );
  }
  return pools;
}

/** Showback for a billing month: direct attributed cost per cost center plus allocated shares of shared-cost pools. */
export async function showback(store: Store, request: ShowbackRequest): Promise<ShowbackReport> {
  const pools = await loadSharedPools(store, request.sharedPoolsFile);
  const groups = await sumShowbackGroups(store.db, request.period, pools, { withTiming: false });
  const currencies = computeShowback(groups, pools, request.basis);
  const names = await costCenterNames(store.db, currencies.flatMap((c) => c.rows.map((r) => r.costCenter)));
  return { period: request.period.key, basis: request.basis, poolsFile: request.sharedPoolsFile ?? null, currencies, names };
}
