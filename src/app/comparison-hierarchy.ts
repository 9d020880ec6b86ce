import { CostbridgeError } from '../domain/costbridge-error.js';
import type { CostCenterParents } from '../domain/cost-center-rollup.js';
import { costCenterParents } from '../store/cost-centers.js';
import type { Store } from '../store/database.js';

/** Master data's hierarchy and the cost center carrying unattributed spend in plan comparisons. */
export interface ComparisonHierarchy {
  readonly parents: CostCenterParents;
  /** `COSTBRIDGE_UNATTRIBUTED_COST_CENTER`, checked against master data; null when not set. */
  readonly carrier: string | null;
}

/**
 * Loads the cost-center hierarchy and checks the configured carrier of unattributed spend against
 * it: a code master data does not know is a configuration error naming the variable and the code,
 * never a silently ignored setting.
 */
export async function loadComparisonHierarchy(store: Store, unattributedCostCenter: string | null | undefined): Promise<ComparisonHierarchy> {
  const parents = await costCenterParents(store.db);
  const carrier = unattributedCostCenter ?? null;
  if (carrier !== null && !parents.has(carrier)) {
    throw new CostbridgeError(
      'CONFIG_INVALID',
      `COSTBRIDGE_UNATTRIBUTED_COST_CENTER: cost center ${JSON.stringify(carrier)} is not in the cost-center master data (${parents.size} cost centers loaded); import it with costbridge import cost-centers, or set the variable to a known code or leave it unset`,
    );
  }
  return { parents, carrier };
}
