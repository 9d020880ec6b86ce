import { readFile } from 'node:fs/promises';
import { CostbridgeError } from '../domain/costbridge-error.js';
import type { BillingMonth } from '../domain/billing-month.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import type { SharedPool } from '../domain/allocation-pool.js';
import { computeShowback, type CurrencyShowback } from '../domain/allocation-showback.js';
import type { Store } from '../store/database.js';
import { costCenterNames, knownCostCenters, sumShowbackGroups } from '../store/showback-lines.js';
import { showbackDifferences, type CurrencyShowbackAdjustments } from '../domain/post-close-adjustments.js';
import { periodStatus, type ClosedStatus } from './closed-period-status.js';

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
  /** Set when the month is closed: the showback above is as closed (its lines, cost centers and pools then). */
  readonly closed: ClosedStatus | null;
  /** For a closed month, the live showback minus the closed one per row (changes since close); empty when open. */
  readonly postCloseAdjustments: readonly CurrencyShowbackAdjustments[];
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
  // The YAML parser loads only when a pools file is configured.
  const { parseSharedPools } = await import('../domain/allocation-pools.js');
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

/**
 * Showback for a billing month: direct attributed cost per cost center plus allocated shares of
 * shared-cost pools. A closed month answers with its showback as closed (the pools in force then),
 * and the live showback's differences beside it.
 */
export async function showback(store: Store, request: ShowbackRequest): Promise<ShowbackReport> {
  const { closed, status } = await periodStatus(store, request.period);
  const pools = await loadSharedPools(store, request.sharedPoolsFile);
  const live = computeShowback(await sumShowbackGroups(store.db, request.period, pools, { withTiming: false }), pools, request.basis);
  let currencies = live;
  let adjustments: CurrencyShowbackAdjustments[] = [];
  if (status) {
    const closure = closed.get(request.period.key)!;
    currencies = computeShowback(await sumShowbackGroups(store.db, request.period, closure.pools, { withTiming: false, frozen: closure.id }), closure.pools, request.basis);
    adjustments = showbackDifferences(live, currencies);
  }
  const codes = [...currencies, ...live].flatMap((c) => c.rows.map((r) => r.costCenter));
  const names = await costCenterNames(store.db, codes);
  return {
    period: request.period.key,
    basis: request.basis,
    poolsFile: status ? closed.get(request.period.key)!.poolsFile : (request.sharedPoolsFile ?? null),
    currencies,
    names,
    closed: status,
    postCloseAdjustments: adjustments,
  };
}
