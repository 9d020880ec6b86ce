import type { UnclassifiedSpend, UnclassifiedVendor } from '../../app/list-unclassified-spend.js';
import type { UnclassifiedNewSpendAlertView, UnclassifiedSpendView } from '../../messages/views/unclassified-new-spend-alert.js';

/** One vendor's unclassified new spend as the alert shows it. */
export function unclassifiedVendorView(v: UnclassifiedVendor): UnclassifiedSpendView {
  return {
    vendor: v.vendor,
    ...(v.serviceCategories.length > 0 ? { serviceCategory: v.serviceCategories.join(', ') } : {}),
    ...(v.services.length > 0 ? { service: v.services.join(', ') } : {}),
    effectiveCost: v.effectiveCost,
    billedCost: v.billedCost,
    currency: v.currency,
    lines: v.lines,
  };
}

/** The unclassified-new-spend alert of a month. */
export function unclassifiedAlertView(spend: UnclassifiedSpend): UnclassifiedNewSpendAlertView {
  return { period: spend.period, items: spend.vendors.map(unclassifiedVendorView) };
}
