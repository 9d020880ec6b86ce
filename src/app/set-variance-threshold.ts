import { parseThresholdDecimal, type MaterialityThreshold } from '../domain/materiality.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import type { Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { loadCostCenterContacts, upsertThreshold, type CostCenterThreshold } from '../store/variance-thresholds.js';

/** Sets a cost center's own materiality threshold. */
export interface SetVarianceThresholdRequest {
  readonly costCenter: string;
  readonly amount: string;
  readonly share: string;
  readonly actor: string;
  readonly surface: Surface;
}

/** The outcome: the threshold before and after, or why it was refused. */
export type SetVarianceThresholdResult =
  | { readonly ok: true; readonly before: MaterialityThreshold | null; readonly after: CostCenterThreshold }
  | { readonly ok: false; readonly code: 'INPUT_INVALID' | 'UNKNOWN_COST_CENTER'; readonly message: string };

/** Overrides the configured materiality for one cost center (audited). */
export async function setVarianceThreshold(store: Store, request: SetVarianceThresholdRequest): Promise<SetVarianceThresholdResult> {
  let amount: string;
  let share: string;
  try {
    amount = parseThresholdDecimal(request.amount, '--amount');
    share = parseThresholdDecimal(request.share, '--share');
  } catch (e) {
    if (e instanceof CostbridgeError) return { ok: false, code: 'INPUT_INVALID', message: e.message };
    throw e;
  }
  const code = request.costCenter.trim();
  const known = await loadCostCenterContacts(store.db, [code]);
  if (!known.has(code)) return { ok: false, code: 'UNKNOWN_COST_CENTER', message: `unknown cost center ${JSON.stringify(code)} (not in the cost center master data)` };
  const r = await upsertThreshold(store.db, { costCenter: code, amount, share, actor: request.actor, surface: request.surface });
  return { ok: true, ...r };
}
