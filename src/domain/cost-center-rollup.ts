import { Money } from './money.js';

// How comparisons with budget and forecast are shaped: the bridge row (spend no cost center
// accounts for, listed as its own row and optionally carried by the cost center the GL books it to)
// and roll-ups along master data's parent codes. Pure: callers sum their own figures over the
// member scopes each row names, so the same shape serves variance, handoff, digest and spend.

/** The row of spend that no known cost center accounts for. */
export const unattributedScope = '(unattributed)';

/** Master data's hierarchy: each cost center code and its parent code (null for a root). */
export type CostCenterParents = ReadonlyMap<string, string | null>;

/** What shapes the rows of a comparison. */
export interface ComparisonShape {
  /** Roll each cost center's descendants into it (and list the ancestors of every row). */
  readonly rollup: boolean;
  /** The cost center whose plan is compared with its own spend plus the unattributed spend (`COSTBRIDGE_UNATTRIBUTED_COST_CENTER`). */
  readonly carrier: string | null;
}

/** One row of a comparison and the scopes its figures are summed over. */
export interface ComparisonScope {
  /** A cost center code, or {@link unattributedScope}. */
  readonly scope: string;
  /** 0 for a top-level row; a child is one deeper than its parent (roll-up only). */
  readonly depth: number;
  /** The row this one is listed under (roll-up only). */
  readonly parent: string | null;
  /** Rows rolled into this one (its descendants), 0 without roll-up: "incl. N children". */
  readonly children: number;
  /** Scopes whose spend and plans are this row's: itself, and rolled up its descendants. */
  readonly members: readonly string[];
  /** Whether this row's plan is compared with the unattributed spend too (it, or rolled up a descendant, carries it). */
  readonly carriesUnattributed: boolean;
  /** On the unattributed row: the cost center whose plan comparison includes it (its own comparison is then 0). */
  readonly carriedBy: string | null;
}

/** A code's ancestors, nearest first; a cycle in master data stops the walk instead of looping. */
export function ancestorsOf(code: string, parents: CostCenterParents): string[] {
  const out: string[] = [];
  const seen = new Set([code]);
  let p = parents.get(code) ?? null;
  while (p !== null && !seen.has(p)) {
    out.push(p);
    seen.add(p);
    p = parents.get(p) ?? null;
  }
  return out;
}

/**
 * The rows of a comparison over the scopes that have figures (`present`, the unattributed row as
 * {@link unattributedScope}). Without roll-up each scope is its own row. With roll-up every
 * ancestor of a present cost center is a row too, and a row's members are itself and every
 * descendant row, so a parent's figures are its own plus its subtree's. The carrier (when the
 * unattributed row is present) is always a row. Rows come parents first, siblings by code; see
 * {@link sortComparisonRows} to order siblings otherwise.
 */
export function comparisonScopes(present: Iterable<string>, parents: CostCenterParents, shape: ComparisonShape): ComparisonScope[] {
  const scopes = new Set(present);
  const hasUnattributed = scopes.has(unattributedScope);
  scopes.delete(unattributedScope);
  const carrier = hasUnattributed ? shape.carrier : null;
  if (carrier !== null) scopes.add(carrier);
  const rowParent = new Map<string, string | null>();
  if (shape.rollup) {
    for (const code of [...scopes]) for (const a of ancestorsOf(code, parents)) scopes.add(a);
    for (const code of scopes) {
      const p = parents.get(code) ?? null;
      // A parent outside the rows (or a cycle back to itself) leaves the row at the top.
      rowParent.set(code, p !== null && scopes.has(p) && !ancestorsOf(p, parents).includes(code) ? p : null);
    }
  } else {
    for (const code of scopes) rowParent.set(code, null);
  }
  const childrenOf = new Map<string | null, string[]>();
  for (const [code, p] of rowParent) childrenOf.set(p, [...(childrenOf.get(p) ?? []), code]);
  for (const list of childrenOf.values()) list.sort(byCode);
  const descendants = (code: string): string[] => (childrenOf.get(code) ?? []).flatMap((c) => [c, ...descendants(c)]);

  const out: ComparisonScope[] = [];
  const visit = (code: string, depth: number) => {
    const below = shape.rollup ? descendants(code) : [];
    const members = [code, ...below];
    out.push({
      scope: code,
      depth,
      parent: rowParent.get(code) ?? null,
      children: below.length,
      members,
      carriesUnattributed: carrier !== null && members.includes(carrier),
      carriedBy: null,
    });
    for (const c of childrenOf.get(code) ?? []) visit(c, depth + 1);
  };
  for (const root of childrenOf.get(null) ?? []) visit(root, 0);
  if (hasUnattributed) {
    out.push({ scope: unattributedScope, depth: 0, parent: null, children: 0, members: [unattributedScope], carriesUnattributed: false, carriedBy: carrier });
  }
  return out;
}

/**
 * Orders rows for display: top-level rows by `compare`, each followed by its children (recursively,
 * also by `compare`), so a tree reads top down whatever the sort.
 */
export function sortComparisonRows<T extends { readonly parent: string | null }>(rows: readonly T[], compare: (a: T, b: T) => number, scopeOf: (row: T) => string): T[] {
  const below = new Map<string | null, T[]>();
  const scopes = new Set(rows.map(scopeOf));
  for (const r of rows) {
    const p = r.parent !== null && scopes.has(r.parent) ? r.parent : null;
    below.set(p, [...(below.get(p) ?? []), r]);
  }
  const out: T[] = [];
  const visit = (parent: string | null) => {
    for (const r of [...(below.get(parent) ?? [])].sort(compare)) {
      out.push(r);
      visit(scopeOf(r));
    }
  };
  visit(null);
  return out;
}

/** The exact sum of `amount(scope)` over scopes (a missing amount counts as 0). */
export function sumOver(scopes: readonly string[], amount: (scope: string) => string | undefined): string {
  return scopes.reduce((s, scope) => s.plus(amount(scope) ?? 0), new Money(0)).toFixed();
}

/** The scopes a row's plan is compared with: its members, plus the unattributed row when it carries it; none for a carried unattributed row. */
export function comparedScopes(row: ComparisonScope): string[] {
  if (row.carriedBy !== null) return [];
  return row.carriesUnattributed ? [...row.members, unattributedScope] : [...row.members];
}

/** The top-level rows: summed, they hold every scope exactly once (the report's total). */
export function topLevel<T extends { readonly depth: number }>(rows: readonly T[]): T[] {
  return rows.filter((r) => r.depth === 0);
}

/** "incl. 2 children" for a rolled-up row, else empty. */
export function rollupLabel(children: number): string {
  return children === 0 ? '' : `incl. ${children} ${children === 1 ? 'child' : 'children'}`;
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
