import { Money, normalizeDecimal } from './money.js';
import { splitPool, type AllocationMethod } from './allocation.js';
import { implicitPool, type SharedPool } from './allocation-pool.js';
import type { CostBasis } from './spend-dimensions.js';

/** Summed cost lines of one period sharing currency, known cost center, pool and GL account. */
export interface ShowbackGroup {
  readonly currency: string;
  /** A cost center known to master data, or null (no cost center, or an unknown code). */
  readonly costCenter: string | null;
  /** The pool the lines belong to, or null for direct / unattributed cost. */
  readonly pool: string | null;
  /** GL account from the line's contract, or null. */
  readonly glAccount: string | null;
  readonly billed: string;
  readonly effective: string;
  readonly lines: number;
}

/** A cost center's share of one pool. */
export interface PoolShare {
  readonly pool: string;
  readonly method: AllocationMethod;
  readonly amount: string;
}

/** Direct cost on one GL account (null: no contract GL account). */
export interface DirectByGlAccount {
  readonly glAccount: string | null;
  readonly amount: string;
}

/** One cost center in a showback: exact direct cost plus its shares of pools (whole cents). */
export interface ShowbackRow {
  readonly costCenter: string;
  readonly direct: string;
  readonly directByGlAccount: readonly DirectByGlAccount[];
  readonly allocated: string;
  readonly total: string;
  readonly shares: readonly PoolShare[];
}

/** How one pool was split in one currency. */
export interface PoolAllocation {
  readonly name: string;
  readonly method: AllocationMethod;
  readonly where: string;
  readonly glAccount: string | null;
  /** Exact pool cost. */
  readonly amount: string;
  readonly lines: number;
  /** The pool rounded to the cent: the sum of the shares (0 when unallocated). */
  readonly allocated: string;
  readonly roundingResidual: string;
  readonly fellBackToEven: boolean;
  /** No cost center could take it (no direct cost in this currency and no explicit list). */
  readonly unallocated: boolean;
  readonly shares: readonly { readonly costCenter: string; readonly amount: string }[];
}

/** A showback in one currency; currencies are never summed. */
export interface CurrencyShowback {
  readonly currency: string;
  /** Exact cost of every line of the period in this currency. */
  readonly total: string;
  readonly rows: readonly ShowbackRow[];
  /** Lines without a known cost center that no pool took: shown, never hidden. */
  readonly unattributed: string;
  readonly unattributedLines: number;
  readonly pools: readonly PoolAllocation[];
  /** Exact cost of pools nobody could take. */
  readonly unallocated: string;
  /** Sum of the pools' rounding residuals; rows + unattributed + unallocated + this = total. */
  readonly roundingResidual: string;
}

/**
 * Showback for one period and basis: per cost center, exact direct cost plus whole-cent shares of
 * every shared-cost pool. Pools are split on direct cost only (no pool is allocated onto another);
 * the recipients are the pool's `among` list, its `fixed` shares, or else every cost center with
 * direct cost in that currency.
 */
export function computeShowback(groups: readonly ShowbackGroup[], pools: readonly SharedPool[], basis: CostBasis): CurrencyShowback[] {
  const cost = (g: ShowbackGroup) => (basis === 'billed' ? g.billed : g.effective);
  const currencies = [...new Set(groups.map((g) => g.currency))].sort();
  return currencies.map((currency) => {
    const mine = groups.filter((g) => g.currency === currency);
    const direct = new Map<string, Map<string | null, Money>>();
    const poolCost = new Map<string, { amount: Money; lines: number }>();
    let unattributed = new Money(0);
    let unattributedLines = 0;
    let total = new Money(0);
    for (const g of mine) {
      const c = new Money(cost(g));
      total = total.plus(c);
      if (g.pool !== null) {
        const p = poolCost.get(g.pool) ?? { amount: new Money(0), lines: 0 };
        poolCost.set(g.pool, { amount: p.amount.plus(c), lines: p.lines + g.lines });
      } else if (g.costCenter === null) {
        unattributed = unattributed.plus(c);
        unattributedLines += g.lines;
      } else {
        const byGl = direct.get(g.costCenter) ?? new Map<string | null, Money>();
        byGl.set(g.glAccount, (byGl.get(g.glAccount) ?? new Money(0)).plus(c));
        direct.set(g.costCenter, byGl);
      }
    }
    const directTotal = (code: string) => [...(direct.get(code)?.values() ?? [])].reduce((a, b) => a.plus(b), new Money(0));
    const withDirect = [...direct.keys()].sort(codeOrder);

    const allocations: PoolAllocation[] = [];
    const received = new Map<string, PoolShare[]>();
    const poolNames = [...poolCost.keys()].sort((a, b) => poolOrder(pools, a, b));
    for (const name of poolNames) {
      const pool = pools.find((p) => p.name === name) ?? implicitPool(name);
      const { amount, lines } = poolCost.get(name)!;
      const recipients =
        pool.method === 'fixed'
          ? (pool.shares ?? []).map((s) => ({ code: s.costCenter, weight: s.percent }))
          : (pool.among ?? withDirect).map((code) => ({ code, weight: directTotal(code).toFixed() }));
      const split = splitPool(amount.toFixed(), pool.method, recipients);
      const unallocatedPool = recipients.length === 0;
      for (const s of split.shares) {
        const list = received.get(s.code) ?? [];
        list.push({ pool: name, method: pool.method, amount: s.amount });
        received.set(s.code, list);
      }
      allocations.push({
        name,
        method: pool.method,
        where: pool.where,
        glAccount: pool.glAccount ?? null,
        amount: amount.toFixed(),
        lines,
        allocated: unallocatedPool ? '0.00' : split.rounded,
        roundingResidual: unallocatedPool ? '0' : split.residual,
        fellBackToEven: split.fellBackToEven,
        unallocated: unallocatedPool,
        shares: split.shares.map((s) => ({ costCenter: s.code, amount: s.amount })),
      });
    }

    const codes = [...new Set([...withDirect, ...received.keys()])].sort(codeOrder);
    const rows: ShowbackRow[] = codes.map((code) => {
      const d = directTotal(code);
      const shares = received.get(code) ?? [];
      const allocated = shares.reduce((a, s) => a.plus(s.amount), new Money(0));
      const byGl = [...(direct.get(code)?.entries() ?? [])]
        .sort(([a], [b]) => codeOrder(a ?? '', b ?? ''))
        .map(([glAccount, amount]) => ({ glAccount, amount: amount.toFixed() }));
      return { costCenter: code, direct: d.toFixed(), directByGlAccount: byGl, allocated: allocated.toFixed(2), total: d.plus(allocated).toFixed(), shares };
    });
    rows.sort((a, b) => new Money(b.total).cmp(a.total) || codeOrder(a.costCenter, b.costCenter));
    const unallocated = allocations.filter((a) => a.unallocated).reduce((s, a) => s.plus(a.amount), new Money(0));
    const residual = allocations.reduce((s, a) => s.plus(a.roundingResidual), new Money(0));
    return {
      currency,
      total: total.toFixed(),
      rows,
      unattributed: unattributed.toFixed(),
      unattributedLines,
      pools: allocations,
      unallocated: unallocated.toFixed(),
      roundingResidual: normalizeDecimal(residual.toFixed()),
    };
  });
}

function codeOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Configured pools in file order, then pools only named by dismissed items, by name. */
function poolOrder(pools: readonly SharedPool[], a: string, b: string): number {
  const ia = pools.findIndex((p) => p.name === a);
  const ib = pools.findIndex((p) => p.name === b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0) return -1;
  if (ib >= 0) return 1;
  return codeOrder(a, b);
}
