import { CostbridgeError } from './costbridge-error.js';

/** A field spend can be grouped by, as named on the command line and in JSON. */
export interface SpendDimension {
  readonly name: string;
  /** The cost_line column holding it. */
  readonly column: string;
  /** What a line without a value shows. */
  readonly emptyLabel: string;
}

const unattributed = '(unattributed)';
const none = '(none)';

/** Every dimension `report spend --by` accepts. */
export const spendDimensions: readonly SpendDimension[] = [
  { name: 'provider', column: 'provider_name', emptyLabel: none },
  { name: 'service-category', column: 'service_category', emptyLabel: none },
  { name: 'service', column: 'service_name', emptyLabel: none },
  { name: 'sub-account', column: 'sub_account_id', emptyLabel: none },
  { name: 'billing-account', column: 'billing_account_id', emptyLabel: none },
  { name: 'region', column: 'region_id', emptyLabel: none },
  { name: 'charge-category', column: 'charge_category', emptyLabel: none },
  { name: 'cost-center', column: 'cost_center', emptyLabel: unattributed },
  { name: 'application', column: 'application', emptyLabel: unattributed },
  { name: 'legal-entity', column: 'legal_entity', emptyLabel: unattributed },
  { name: 'environment', column: 'environment', emptyLabel: unattributed },
  { name: 'project', column: 'project', emptyLabel: unattributed },
  { name: 'owner', column: 'owner', emptyLabel: unattributed },
];

/** Parses `provider,cost-center`; names every unknown field with the list of valid ones. */
export function parseSpendDimensions(text: string): SpendDimension[] {
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw new CostbridgeError('INPUT_INVALID', '--by needs at least one field');
  const unknown = names.filter((n) => !spendDimensions.some((d) => d.name === n));
  if (unknown.length > 0) {
    throw new CostbridgeError(
      'INPUT_INVALID',
      `--by: unknown field(s) ${unknown.join(', ')}; use any of ${spendDimensions.map((d) => d.name).join(', ')}`,
    );
  }
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length > 0) throw new CostbridgeError('INPUT_INVALID', `--by: ${dupes.join(', ')} given twice`);
  return names.map((n) => spendDimensions.find((d) => d.name === n)!);
}

/** Which FOCUS cost a report sums. */
export type CostBasis = 'effective' | 'billed';

/** Parses `--basis`. */
export function parseCostBasis(text: string): CostBasis {
  if (text === 'effective' || text === 'billed') return text;
  throw new CostbridgeError('INPUT_INVALID', `--basis must be effective or billed, got ${JSON.stringify(text)}`);
}
