import { Money } from './money.js';
import type { CurrencyShowback } from './allocation-showback.js';

// Post-close adjustments: what changed in a closed month since its close (live minus as closed),
// kept beside the closed figures. Pure differences; rows that did not change are left out.

/** Rows of one currency keyed by anything JSON-serializable, with one signed amount each. */
export interface KeyedAmounts<K> {
  readonly currency: string;
  readonly rows: readonly { readonly keys: K; readonly cost: string }[];
}

/** Per currency and key, `after` minus `before`, largest change first; unchanged rows and currencies are left out. */
export function keyedDifferences<K>(after: readonly KeyedAmounts<K>[], before: readonly KeyedAmounts<K>[]): { currency: string; rows: { keys: K; cost: string }[]; total: string }[] {
  const currencies = [...new Set([...after.map((c) => c.currency), ...before.map((c) => c.currency)])].sort();
  return currencies
    .map((currency) => {
      const diff = new Map<string, { keys: K; cost: Money }>();
      const add = (rows: KeyedAmounts<K>['rows'] | undefined, sign: 1 | -1) => {
        for (const r of rows ?? []) {
          const k = JSON.stringify(r.keys);
          const v = diff.get(k) ?? { keys: r.keys, cost: new Money(0) };
          diff.set(k, { keys: r.keys, cost: sign === 1 ? v.cost.plus(r.cost) : v.cost.minus(r.cost) });
        }
      };
      add(after.find((c) => c.currency === currency)?.rows, 1);
      add(before.find((c) => c.currency === currency)?.rows, -1);
      const rows = [...diff.values()]
        .filter((r) => !r.cost.isZero())
        .map((r) => ({ keys: r.keys, cost: r.cost.toFixed() }))
        .sort((a, b) => new Money(b.cost).abs().cmp(new Money(a.cost).abs()) || JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys)));
      return { currency, rows, total: rows.reduce((s, r) => s.plus(r.cost), new Money(0)).toFixed() };
    })
    .filter((c) => c.rows.length > 0);
}

/** One showback row's change since close. */
export interface ShowbackAdjustment {
  readonly kind: 'cost-center' | 'unattributed' | 'unallocated';
  readonly costCenter: string;
  readonly direct: string;
  readonly allocated: string;
  readonly total: string;
}

/** A currency's showback changes since close. */
export interface CurrencyShowbackAdjustments {
  readonly currency: string;
  readonly rows: readonly ShowbackAdjustment[];
  /** Change of the currency's exact total. */
  readonly total: string;
}

type Amounts = { direct: Money; allocated: Money; total: Money };

function showbackRows(s: CurrencyShowback | undefined): Map<string, { kind: ShowbackAdjustment['kind']; costCenter: string; v: Amounts }> {
  const out = new Map<string, { kind: ShowbackAdjustment['kind']; costCenter: string; v: Amounts }>();
  if (!s) return out;
  for (const r of s.rows) out.set(`cc:${r.costCenter}`, { kind: 'cost-center', costCenter: r.costCenter, v: { direct: new Money(r.direct), allocated: new Money(r.allocated), total: new Money(r.total) } });
  out.set('unattributed', { kind: 'unattributed', costCenter: '(unattributed)', v: { direct: new Money(s.unattributed), allocated: new Money(0), total: new Money(s.unattributed) } });
  for (const p of s.pools.filter((x) => x.unallocated)) {
    out.set(`pool:${p.name}`, { kind: 'unallocated', costCenter: `(unallocated pool ${p.name})`, v: { direct: new Money(p.amount), allocated: new Money(0), total: new Money(p.amount) } });
  }
  return out;
}

/** Per currency and showback row (cost center, unattributed, unallocated pool), live minus as closed. */
export function showbackDifferences(live: readonly CurrencyShowback[], closed: readonly CurrencyShowback[]): CurrencyShowbackAdjustments[] {
  const currencies = [...new Set([...live.map((c) => c.currency), ...closed.map((c) => c.currency)])].sort();
  const out: CurrencyShowbackAdjustments[] = [];
  for (const currency of currencies) {
    const now = live.find((c) => c.currency === currency);
    const then = closed.find((c) => c.currency === currency);
    const a = showbackRows(now);
    const b = showbackRows(then);
    const rows: ShowbackAdjustment[] = [];
    for (const k of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(k);
      const y = b.get(k);
      const zero = { direct: new Money(0), allocated: new Money(0), total: new Money(0) };
      const d = { direct: (x?.v ?? zero).direct.minus((y?.v ?? zero).direct), allocated: (x?.v ?? zero).allocated.minus((y?.v ?? zero).allocated), total: (x?.v ?? zero).total.minus((y?.v ?? zero).total) };
      if (d.direct.isZero() && d.allocated.isZero() && d.total.isZero()) continue;
      const row = (x ?? y)!;
      rows.push({ kind: row.kind, costCenter: row.costCenter, direct: d.direct.toFixed(), allocated: d.allocated.toFixed(), total: d.total.toFixed() });
    }
    const total = new Money(now?.total ?? 0).minus(then?.total ?? 0);
    if (rows.length === 0 && total.isZero()) continue;
    rows.sort((p, q) => (p.kind === q.kind ? (p.costCenter < q.costCenter ? -1 : p.costCenter > q.costCenter ? 1 : 0) : p.kind === 'cost-center' ? -1 : q.kind === 'cost-center' ? 1 : p.kind < q.kind ? 1 : -1));
    out.push({ currency, rows, total: total.toFixed() });
  }
  return out;
}
