// Fitting a rendered message into a platform budget (Slack: a block count; Teams: card bytes).
// A renderer turns the message into units in reading order: fixed units (a header, a table) and list
// items. Fixed units are always kept when they fit; list items are kept in order while they fit,
// and a cut list is followed by a "…and N more" unit. If even the fixed units overflow, the message
// is kept from the top while it fits and ends with a "shortened" unit.

/** Rendered elements of one model block or one list item; `list` is the list index for items. */
export interface RenderedUnit<T> {
  readonly elements: readonly T[];
  readonly list?: number;
}

/** How the fitter measures and what it appends when it cuts. */
export interface FitPolicy<T> {
  /** Cost of elements; must be additive over concatenation. */
  readonly cost: (elements: readonly T[]) => number;
  readonly budget: number;
  /** Elements that say `hidden` items of a list were left out. */
  readonly more: (hidden: number) => readonly T[];
  /** Elements that say the message was shortened (`hidden` units left out). */
  readonly shortened: (hidden: number) => readonly T[];
}

/** The elements to send, within `policy.budget`. */
export function fitUnits<T>(units: readonly RenderedUnit<T>[], policy: FitPolicy<T>): T[] {
  const { cost, budget } = policy;
  const costs = units.map((u) => cost(u.elements));
  const listIds = [...new Set(units.filter((u) => u.list !== undefined).map((u) => u.list!))];
  const moreCost = cost(policy.more(Number.MAX_SAFE_INTEGER));
  const fixedCost = units.reduce((n, u, i) => (u.list === undefined ? n + costs[i]! : n), 0);
  if (fixedCost + listIds.length * moreCost > budget) return shortened(units, costs, policy);

  let remaining = budget - fixedCost;
  const keptItems = new Map<number, number>();
  listIds.forEach((id, position) => {
    const reserveLater = (listIds.length - position - 1) * moreCost;
    const itemCosts = units.flatMap((u, i) => (u.list === id ? [costs[i]!] : []));
    const all = itemCosts.reduce((n, c) => n + c, 0);
    if (all <= remaining - reserveLater) {
      keptItems.set(id, itemCosts.length);
      remaining -= all;
      return;
    }
    let used = 0;
    let kept = 0;
    for (const c of itemCosts) {
      if (used + c > remaining - reserveLater - moreCost) break;
      used += c;
      kept++;
    }
    keptItems.set(id, kept);
    remaining -= used + moreCost;
  });

  const out: T[] = [];
  const totals = new Map<number, number>();
  for (const u of units) if (u.list !== undefined) totals.set(u.list, (totals.get(u.list) ?? 0) + 1);
  const seen = new Map<number, number>();
  for (const u of units) {
    if (u.list === undefined) {
      out.push(...u.elements);
      continue;
    }
    const index = seen.get(u.list) ?? 0;
    seen.set(u.list, index + 1);
    const kept = keptItems.get(u.list)!;
    const total = totals.get(u.list)!;
    if (index < kept) out.push(...u.elements);
    if (index === total - 1 && kept < total) out.push(...policy.more(total - kept));
  }
  return out;
}

function shortened<T>(units: readonly RenderedUnit<T>[], costs: readonly number[], policy: FitPolicy<T>): T[] {
  const note = policy.cost(policy.shortened(Number.MAX_SAFE_INTEGER));
  const out: T[] = [];
  let used = 0;
  let kept = 0;
  for (const [i, u] of units.entries()) {
    if (used + costs[i]! > policy.budget - note) break;
    out.push(...u.elements);
    used += costs[i]!;
    kept++;
  }
  out.push(...policy.shortened(units.length - kept));
  return out;
}
