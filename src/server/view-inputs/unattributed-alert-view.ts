import type { UnattributedItem, UnattributedSpend } from '../../app/list-unattributed-spend.js';
import type { UnattributedItemView, UnattributedSpendAlertView } from '../../messages/views/unattributed-spend-alert.js';

/** One unattributed item as the alert shows it. */
export function unattributedItemView(item: UnattributedItem): UnattributedItemView {
  return {
    id: String(item.id),
    provider: item.provider ?? '(no provider)',
    billingAccountId: item.billingAccountId ?? '(none)',
    subAccountId: item.subAccountId,
    service: item.service ?? '(no service)',
    effectiveCost: item.effectiveCost,
    billedCost: item.billedCost,
    currency: item.currency,
    lines: item.lines,
    reason: item.reason,
    topResources: item.topResources,
    status: item.status,
    ...(item.claimedBy !== null ? { claimedBy: item.claimedBy } : {}),
    ...(item.claimCostCenter !== null ? { claimedCostCenter: item.claimCostCenter } : {}),
    ...(item.dismissReason !== null ? { dismissReason: item.dismissReason } : {}),
  };
}

/** The alert of a month: the items that call for a decision (open, above the alert thresholds), costliest first, and the credits apart. */
export function unattributedAlertView(spend: UnattributedSpend): UnattributedSpendAlertView {
  return {
    period: spend.period,
    items: spend.items.filter((i) => i.alert).map(unattributedItemView),
    credits: spend.credits.map((c) => ({
      id: String(c.id),
      provider: c.provider ?? '(no provider)',
      service: c.service ?? '(no service)',
      effectiveCost: c.effectiveCost,
      billedCost: c.billedCost,
      currency: c.currency,
    })),
  };
}
