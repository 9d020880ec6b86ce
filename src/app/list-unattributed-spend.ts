import type { BillingMonth } from '../domain/billing-month.js';
import { Money } from '../domain/money.js';
import { type SharedField, parseSharedFields } from '../domain/shared-fields.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import { isAlerted, isUnattributedCredit, itemReason, shareText, type AlertThresholds } from '../domain/unattributed-spend.js';
import type { Store } from '../store/database.js';
import { ensureItems, itemUnattributedByCurrency, periodTotals, topUnattributedResources, unattributedGroupings, unattributedGroups, type ItemRow } from '../store/unattributed-items.js';

/** One unattributed item of a period in one currency. */
export interface UnattributedItem {
  readonly id: number;
  readonly provider: string | null;
  readonly billingAccountId: string | null;
  readonly subAccountId: string | null;
  readonly service: string | null;
  readonly currency: string;
  /** On the requested basis. */
  readonly cost: string;
  readonly billedCost: string;
  readonly effectiveCost: string;
  readonly lines: number;
  readonly reason: string;
  readonly reasons: readonly { reason: string; lines: number; cost: string }[];
  readonly topResources: readonly { resourceId: string; cost: string }[];
  readonly status: 'open' | 'claimed' | 'dismissed';
  readonly claimedBy: string | null;
  readonly claimedAt: string | null;
  readonly claimCostCenter: string | null;
  readonly dismissReason: string | null;
  readonly sharedPool: string | null;
  /** False for items below both thresholds (kept, not alerted) and for claimed or dismissed ones. */
  readonly alert: boolean;
}

/** Totals of one currency: the period's total and its unattributed part on the basis. */
export interface UnattributedTotals {
  readonly currency: string;
  readonly total: string;
  /** Every unattributed line, credits included (what the bridge to the books needs). */
  readonly unattributedTotal: string;
  /** The part of unattributedTotal that the credits make up (≤ 0). */
  readonly creditTotal: string;
  /** unattributedTotal / total, half-up to 4 decimals; null when the total is zero. */
  readonly share: string | null;
}

/** The unattributed spend of a billing month. */
export interface UnattributedSpend {
  readonly period: string;
  readonly basis: CostBasis;
  readonly requiredFields: readonly SharedField[];
  readonly currencies: readonly UnattributedTotals[];
  /** Spend to claim: costliest first (on the basis, absolute), then by id. */
  readonly items: readonly UnattributedItem[];
  /** Items netting to a credit on both bases: listed apart, never alerted, not claimable. */
  readonly credits: readonly UnattributedItem[];
}

/** The required shared fields of a request, each once. */
const requiredOf = (fields: readonly string[]): SharedField[] => [...new Set(parseSharedFields(fields))];

/**
 * Stores an item (a stable id, what Claim acts on) for every grouping of a billing month's
 * unattributed lines, as `listUnattributedSpend` does, without reading the lines: for a reader
 * that lists groups itself (the digest) and needs only their ids to exist.
 */
export async function ensureUnattributedItems(store: Store, request: { period: BillingMonth; requiredFields: readonly string[] }): Promise<void> {
  const required = requiredOf(request.requiredFields);
  await ensureItems(store.db, request.period.start.slice(0, 10), await unattributedGroupings(store.db, request.period, required));
}

/**
 * Lines of a billing month lacking any required shared field, grouped into items by provider,
 * billing account, sub-account and service (and currency), with exact cost on both bases, line
 * count, top resources and reasons. Each grouping is stored once so its id stays stable. Items
 * that net to a credit are returned apart (`credits`).
 */
export async function listUnattributedSpend(
  store: Store,
  request: { period: BillingMonth; basis: CostBasis; requiredFields: readonly string[]; thresholds: AlertThresholds; topResources?: number },
): Promise<UnattributedSpend> {
  const required = requiredOf(request.requiredFields);
  const [totals, groups, top] = await Promise.all([
    periodTotals(store.db, request.period),
    unattributedGroups(store.db, request.period, required),
    topUnattributedResources(store.db, request.period, required, request.basis, request.topResources ?? 3),
  ]);
  const periodDate = request.period.start.slice(0, 10);
  const stored = await ensureItems(store.db, periodDate, groups);
  const key = (g: { provider: string; billingAccountId: string; subAccountId: string; service: string }) =>
    JSON.stringify([g.provider, g.billingAccountId, g.subAccountId, g.service]);
  const itemByKey = new Map(stored.map((r) => [key({ provider: r.provider_name, billingAccountId: r.billing_account_id, subAccountId: r.sub_account_id, service: r.service_name }), r]));
  const pick = (g: { billedCost: string; effectiveCost: string }) => (request.basis === 'billed' ? g.billedCost : g.effectiveCost);
  const totalOf = new Map(totals.map((t) => [t.currency, pick(t)]));

  const byItem = new Map<string, typeof groups>();
  for (const g of groups) {
    const k = `${key(g)}\u0001${g.currency}`;
    byItem.set(k, [...(byItem.get(k) ?? []), g]);
  }
  const items: UnattributedItem[] = [];
  for (const parts of byItem.values()) {
    const g = parts[0]!;
    const row = itemByKey.get(key(g))!;
    const billed = parts.reduce((s, p) => s.plus(p.billedCost), new Money(0));
    const effective = parts.reduce((s, p) => s.plus(p.effectiveCost), new Money(0));
    const cost = request.basis === 'billed' ? billed : effective;
    // A line can lack several fields ("no cost-center; no owner"): count it under each reason.
    const atoms = new Map<string, { lines: number; cost: Money }>();
    for (const p of parts) {
      for (const reason of p.reason.split('; ')) {
        const a = atoms.get(reason) ?? { lines: 0, cost: new Money(0) };
        atoms.set(reason, { lines: a.lines + p.lines, cost: a.cost.plus(pick(p)) });
      }
    }
    const reasons = [...atoms].map(([reason, a]) => ({ reason, lines: a.lines, cost: a.cost.toFixed() }));
    items.push({
      id: Number(row.id),
      provider: g.provider || null,
      billingAccountId: g.billingAccountId || null,
      subAccountId: g.subAccountId || null,
      service: g.service || null,
      currency: g.currency,
      cost: cost.toFixed(),
      billedCost: billed.toFixed(),
      effectiveCost: effective.toFixed(),
      lines: parts.reduce((n, p) => n + p.lines, 0),
      reason: itemReason(reasons),
      reasons: [...reasons].sort((a, b) => new Money(b.cost).abs().cmp(new Money(a.cost).abs()) || a.reason.localeCompare(b.reason)),
      topResources: top
        .filter((t) => key(t) === key(g) && t.currency === g.currency)
        .map((t) => ({ resourceId: t.resourceId, cost: new Money(t.cost).toFixed() })),
      status: row.status,
      claimedBy: row.claimed_by,
      claimedAt: row.claimed_at ? row.claimed_at.toISOString() : null,
      claimCostCenter: row.claim_cost_center,
      dismissReason: row.dismiss_reason,
      sharedPool: row.shared_pool,
      alert: isAlerted(row.status, cost.toFixed(), totalOf.get(g.currency) ?? '0', request.thresholds),
    });
  }
  items.sort((a, b) => new Money(b.cost).abs().cmp(new Money(a.cost).abs()) || a.id - b.id || a.currency.localeCompare(b.currency));
  const sum = (list: readonly UnattributedItem[], currency: string) => list.filter((i) => i.currency === currency).reduce((s, i) => s.plus(i.cost), new Money(0));
  const spend = items.filter((i) => !isUnattributedCredit(i.billedCost, i.effectiveCost));
  const credits = items.filter((i) => isUnattributedCredit(i.billedCost, i.effectiveCost)).map((i) => ({ ...i, alert: false }));
  const currencies = totals.map((t) => {
    const unattributed = sum(items, t.currency).toFixed();
    return {
      currency: t.currency,
      total: new Money(pick(t)).toFixed(),
      unattributedTotal: unattributed,
      creditTotal: sum(credits, t.currency).toFixed(),
      share: shareText(unattributed, pick(t)),
    };
  });
  return { period: request.period.key, basis: request.basis, requiredFields: required, currencies, items: spend, credits };
}

/**
 * One stored item's unattributed spend in its month, as `listUnattributedSpend` would report it on a
 * basis, without computing the whole month: `credit` when a currency part of it nets to a credit
 * (listed apart there, not claimable), else its costliest part on the basis, or undefined when none
 * of its lines lacks a required field any more.
 */
export async function unattributedItemSpend(
  store: Store,
  item: ItemRow,
  request: { period: BillingMonth; basis: CostBasis; requiredFields: readonly string[] },
): Promise<{ readonly credit: true } | { readonly credit: false; readonly spend: { currency: string; billedCost: string; effectiveCost: string } | undefined }> {
  const required = requiredOf(request.requiredFields);
  const parts = await itemUnattributedByCurrency(store.db, item, request.period, required);
  if (parts.some((p) => isUnattributedCredit(p.billedCost, p.effectiveCost))) return { credit: true };
  const pick = (p: { billedCost: string; effectiveCost: string }) => new Money(request.basis === 'billed' ? p.billedCost : p.effectiveCost).abs();
  const [first] = [...parts].sort((a, b) => pick(b).cmp(pick(a)) || a.currency.localeCompare(b.currency));
  return {
    credit: false,
    spend: first && { currency: first.currency, billedCost: new Money(first.billedCost).toFixed(), effectiveCost: new Money(first.effectiveCost).toFixed() },
  };
}
