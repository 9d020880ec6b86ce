import type { BillingMonth } from '../domain/billing-month.js';
import { Money } from '../domain/money.js';
import type { DigestNewSpend } from '../domain/digest.js';
import { governedReason, type GovernedReason } from '../domain/unclassified-spend.js';
import type { Store } from '../store/database.js';
import { publishersSeenBefore, uncontractedGroups } from '../store/uncontracted-spend.js';

/** Unclassified new spend of one vendor in one currency. */
export interface UnclassifiedVendor {
  /** PublisherName, else ProviderName. */
  readonly vendor: string;
  readonly provider: string | null;
  readonly invoiceIssuer: string | null;
  readonly currency: string;
  readonly reasons: readonly GovernedReason[];
  readonly serviceCategories: readonly string[];
  readonly services: readonly string[];
  readonly lines: number;
  readonly billedCost: string;
  readonly effectiveCost: string;
}

/** The unclassified new spend of a billing month, largest effective cost first. */
export interface UnclassifiedSpend {
  readonly period: string;
  readonly vendors: readonly UnclassifiedVendor[];
}

/**
 * Lines of a billing month that no contract covers, in a governed category (AI, configured
 * categories, or a third-party publisher new this period), per vendor with both bases.
 */
export async function listUnclassifiedSpend(
  store: Store,
  request: { period: BillingMonth; governedCategories: readonly string[]; /** Only lines charged before this day (the digest's data cut). */ asOf?: string },
): Promise<UnclassifiedSpend> {
  const groups = await uncontractedGroups(store.db, request.period, request.asOf);
  // Whether a publisher was seen before decides only a third-party publisher's group outside the
  // governed categories; only those publishers are looked up in earlier months (a lookup of a
  // publisher never seen reads every earlier line).
  const publishers = [
    ...new Set(
      groups
        .filter((g) => governedReason(g, request.governedCategories, false) === 'new-marketplace-publisher')
        .map((g) => g.publisherName)
        .filter((p): p is string => p !== null),
    ),
  ];
  const seen = await publishersSeenBefore(store.db, request.period, publishers);
  const byVendor = new Map<string, { v: Omit<UnclassifiedVendor, 'reasons' | 'serviceCategories' | 'services' | 'billedCost' | 'effectiveCost' | 'lines'>; reasons: Set<GovernedReason>; categories: Set<string>; services: Set<string>; lines: number; billed: Money; effective: Money }>();
  for (const g of groups) {
    const reason = governedReason(g, request.governedCategories, g.publisherName !== null && seen.has(g.publisherName));
    if (!reason) continue;
    const vendor = g.publisherName ?? g.providerName ?? '(unknown vendor)';
    const key = JSON.stringify([vendor, g.currency]);
    const entry = byVendor.get(key) ?? {
      v: { vendor, provider: g.providerName, invoiceIssuer: g.invoiceIssuerName, currency: g.currency },
      reasons: new Set(), categories: new Set(), services: new Set(), lines: 0, billed: new Money(0), effective: new Money(0),
    };
    entry.reasons.add(reason);
    if (g.serviceCategory) entry.categories.add(g.serviceCategory);
    if (g.serviceName) entry.services.add(g.serviceName);
    entry.lines += g.lines;
    entry.billed = entry.billed.plus(g.billedCost);
    entry.effective = entry.effective.plus(g.effectiveCost);
    byVendor.set(key, entry);
  }
  const vendors = [...byVendor.values()].map((e) => ({
    ...e.v,
    reasons: [...e.reasons].sort(),
    serviceCategories: [...e.categories].sort(),
    services: [...e.services].sort(),
    lines: e.lines,
    billedCost: e.billed.toFixed(),
    effectiveCost: e.effective.toFixed(),
  }));
  vendors.sort((a, b) => new Money(b.effectiveCost).cmp(a.effectiveCost) || a.vendor.localeCompare(b.vendor));
  return { period: request.period.key, vendors };
}

/** A vendor's unclassified spend as the digest's New spend section shows it (the same decision as `unclassified`). */
export function digestNewSpend(v: UnclassifiedVendor): DigestNewSpend {
  return {
    vendor: v.vendor,
    serviceCategory: v.serviceCategories.length === 1 ? v.serviceCategories[0]! : v.serviceCategories.length === 0 ? null : v.serviceCategories.join(', '),
    service: v.services.length === 1 ? v.services[0]! : null,
    currency: v.currency,
    effective: v.effectiveCost,
    billed: v.billedCost,
    lines: v.lines,
    newVendor: v.reasons.includes('new-marketplace-publisher'),
  };
}
