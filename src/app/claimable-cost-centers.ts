import { permittedCostCenters } from '../domain/authorization.js';
import type { Person } from '../domain/people.js';
import type { Store } from '../store/database.js';
import { searchCostCenters, searchCostCentersWithin } from '../store/cost-center-search.js';
import { authorizationPolicy } from './authorization-policy.js';

/**
 * The cost centers a person may claim spend for (the `claim` row of the policy), searched by code or
 * name: everything for a finops or admin, an owner's own cost centers and those below them. What the
 * claim form offers; the claim itself is checked against the policy again when submitted.
 */
export async function searchClaimableCostCenters(store: Store, person: Person, query: string, limit: number): Promise<{ code: string; name: string }[]> {
  const permitted = permittedCostCenters(authorizationPolicy.claim, person);
  return permitted.everywhere ? searchCostCenters(store.db, query, limit) : searchCostCentersWithin(store.db, query, permitted, limit);
}
