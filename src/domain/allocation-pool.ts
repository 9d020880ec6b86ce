// A shared-cost pool as the allocation works with it, apart from the file parser
// (allocation-pools.ts), so the digest and showback, which only apply pools, do not load the YAML
// parser.
import type { AllocationMethod } from './allocation.js';

/** Which cost lines belong to a pool: every given condition must hold; a list means any of its values. */
export interface PoolMatch {
  readonly costCenter?: readonly string[];
  readonly provider?: readonly string[];
  readonly service?: readonly string[];
  readonly serviceCategory?: readonly string[];
  readonly subAccount?: readonly string[];
  readonly billingAccount?: readonly string[];
  /** Tag key (compared trimmed and case-folded, like aliases) and exact value (trimmed). */
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
  /** Only lines without a known cost center join the pool. */
  readonly unattributedOnly: boolean;
}

/** A cost center code a pool names, and where it is written, for errors about unknown codes. */
export interface PoolReference {
  readonly code: string;
  readonly where: string;
}

/** A shared-cost pool: which lines it collects and how it is split. */
export interface SharedPool {
  readonly name: string;
  readonly method: AllocationMethod;
  /** Null for a pool that only exists because an unattributed item was dismissed into it. */
  readonly match: PoolMatch | null;
  /** For `even` and `proportional`: the only cost centers that share it (default: every cost center with direct cost). */
  readonly among?: readonly string[];
  /** For `fixed`: percentages per cost center, summing to exactly 100. */
  readonly shares?: readonly { readonly costCenter: string; readonly percent: string }[];
  /** GL account the allocated shares are debited to (default: the configured default GL account). */
  readonly glAccount?: string;
  /** `file:line` of the definition, or `dismissed item` for an implicit pool. */
  readonly where: string;
  readonly references: readonly PoolReference[];
}

/** The pool a dismissed item names when no configured pool has that name: proportional to direct cost. */
export function implicitPool(name: string): SharedPool {
  return { name, method: 'proportional', match: null, where: 'dismissed unattributed item', references: [] };
}
