import type { Saving, SavingFilters } from './saving.js';

/** The part of a saving that decides whether two savings could count the same dollars. */
export type SavingScope = Pick<Saving, 'id' | 'costCenter' | 'filters' | 'effectiveDate' | 'endDate' | 'status'>;

/**
 * Whether two filter sets can select a common line: they cannot only when some field filtered by
 * both has no value in common (a field filtered by one side only narrows nothing on the other).
 */
export function filtersOverlap(a: SavingFilters, b: SavingFilters): boolean {
  for (const [field, values] of Object.entries(a)) {
    const other = b[field];
    if (other && !values.some((v) => other.includes(v))) return false;
  }
  return true;
}

/** Whether two date ranges (inclusive ends, null = open-ended) share a day. */
export function periodsOverlap(a: Pick<Saving, 'effectiveDate' | 'endDate'>, b: Pick<Saving, 'effectiveDate' | 'endDate'>): boolean {
  const aEndsBeforeB = a.endDate !== null && a.endDate < b.effectiveDate;
  const bEndsBeforeA = b.endDate !== null && b.endDate < a.effectiveDate;
  return !aEndsBeforeB && !bEndsBeforeA;
}

function sharesCommitment(a: SavingFilters, b: SavingFilters): boolean {
  const x = a['commitment-discount-id'];
  const y = b['commitment-discount-id'];
  return !!x && !!y && x.some((v) => y.includes(v));
}

/**
 * Whether two savings could claim the same dollars: same cost center (or the same commitment,
 * whose unused part each would net), filters that can select a common line, and periods that meet.
 */
export function scopesOverlap(a: SavingScope, b: SavingScope): boolean {
  if (a.id === b.id) return false;
  if (a.costCenter !== b.costCenter && !sharesCommitment(a.filters, b.filters)) return false;
  return filtersOverlap(a.filters, b.filters) && periodsOverlap(a, b);
}

/** The ids of the validated or recognized savings whose scope and period overlap `saving`'s. */
export function savingOverlaps(saving: SavingScope, others: readonly SavingScope[]): string[] {
  return others
    .filter((o) => (o.status === 'validated' || o.status === 'recognized') && scopesOverlap(saving, o))
    .map((o) => o.id)
    .sort();
}
