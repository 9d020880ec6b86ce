// The FOCUS 1.2 columns the demo files carry, the in-memory line they are written from, and a
// hand-written CSV formatter (RFC 4180 quoting) that is fast enough for millions of rows.

import type { DemoCategory } from './demo-catalog.js';
import { formatMicros, formatMillis, formatNanos } from './demo-money.js';

/** Header of every demo FOCUS file, in order. Empty cell = null. */
export const demoFocusColumns = [
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'ListUnitPrice',
  'ContractedUnitPrice',
  'PricingQuantity',
  'PricingUnit',
  'PricingCategory',
  'PricingCurrency',
  'ConsumedQuantity',
  'ConsumedUnit',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountCategory',
  'CommitmentDiscountType',
  'CommitmentDiscountStatus',
  'InvoiceId',
  'InvoiceIssuerName',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceSubcategory',
  'ServiceName',
  'SkuId',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'Tags',
  'x_Demo',
] as const;

/** The columns FOCUS 1.2 makes mandatory; every demo file has all of them. */
export const focusMandatoryColumns = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
] as const;

/** The value of the custom column x_Demo on every row. */
export const demoMarker = 'synthetic';

/** Whether a demo line carries a cost center the master data knows, a wrong one, or none. */
export type TagStatus = 'tagged' | 'untagged' | 'mis-tagged';

/** What the generator knows about a line beyond FOCUS: how the GL books it. */
export interface DemoLineMeta {
  /** The cost center the GL books the line to (the shared IT cost center when not attributable). */
  readonly glCostCenter: string;
  readonly tagStatus: TagStatus;
  readonly category: DemoCategory;
  readonly glAccount: string;
}

/** Commitment discount columns of a line. */
export interface DemoCommitmentRef {
  readonly id: string;
  readonly name: string;
  readonly category: 'Usage' | 'Spend';
  readonly type: string;
  readonly status: 'Used' | 'Unused' | null;
}

/** One FOCUS line: amounts in nanos, unit prices in micros, quantities in millis; null = empty cell. */
export interface DemoFocusLine {
  readonly billingAccountId: string;
  readonly billingAccountName: string;
  readonly billingPeriodStart: string;
  readonly billingPeriodEnd: string;
  readonly chargePeriodStart: string;
  readonly chargePeriodEnd: string;
  readonly chargeCategory: 'Usage' | 'Purchase' | 'Tax' | 'Credit' | 'Adjustment';
  readonly chargeDescription: string;
  readonly chargeFrequency: 'One-Time' | 'Recurring' | 'Usage-Based';
  readonly billedCost: bigint;
  readonly effectiveCost: bigint;
  readonly listCost: bigint;
  readonly contractedCost: bigint;
  readonly listUnitPrice: bigint | null;
  readonly contractedUnitPrice: bigint | null;
  readonly pricingQuantity: bigint | null;
  readonly pricingUnit: string | null;
  readonly pricingCategory: 'Standard' | 'Committed' | 'Dynamic' | 'Other' | null;
  readonly consumedQuantity: bigint | null;
  readonly consumedUnit: string | null;
  readonly commitment: DemoCommitmentRef | null;
  readonly invoiceId: string;
  readonly invoiceIssuerName: string;
  readonly providerName: string;
  readonly publisherName: string;
  readonly regionId: string | null;
  readonly regionName: string | null;
  readonly resourceId: string | null;
  readonly resourceName: string | null;
  readonly resourceType: string | null;
  readonly serviceCategory: string;
  readonly serviceSubcategory: string | null;
  readonly serviceName: string;
  readonly skuId: string | null;
  readonly skuPriceId: string | null;
  readonly subAccountId: string | null;
  readonly subAccountName: string | null;
  /** The Tags cell: JSON object text, or null. */
  readonly tags: string | null;
  readonly meta: DemoLineMeta;
}

const needsQuotes = /[",\r\n]/;

/** One CSV cell: null is empty; a value holding `,` `"` CR or LF is quoted with `"` doubled. */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  return needsQuotes.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV record from cells, with a trailing LF. */
export function csvLine(cells: ReadonlyArray<string | null>): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += ',';
    out += csvCell(cells[i]!);
  }
  return `${out}\n`;
}

/** The header line of a demo FOCUS file. */
export function focusHeaderLine(): string {
  return csvLine(demoFocusColumns);
}

const orNull = <T>(v: T | null, f: (x: T) => string): string | null => (v === null ? null : f(v));

/** A demo line as a CSV record in {@link demoFocusColumns} order. */
export function focusCsvLine(l: DemoFocusLine): string {
  const c = l.commitment;
  return csvLine([
    l.billingAccountId,
    l.billingAccountName,
    'USD',
    l.billingPeriodStart,
    l.billingPeriodEnd,
    l.chargePeriodStart,
    l.chargePeriodEnd,
    l.chargeCategory,
    null,
    l.chargeDescription,
    l.chargeFrequency,
    formatNanos(l.billedCost),
    formatNanos(l.effectiveCost),
    formatNanos(l.listCost),
    formatNanos(l.contractedCost),
    orNull(l.listUnitPrice, formatMicros),
    orNull(l.contractedUnitPrice, formatMicros),
    orNull(l.pricingQuantity, formatMillis),
    l.pricingUnit,
    l.pricingCategory,
    'USD',
    orNull(l.consumedQuantity, formatMillis),
    l.consumedUnit,
    c?.id ?? null,
    c?.name ?? null,
    c?.category ?? null,
    c?.type ?? null,
    c?.status ?? null,
    l.invoiceId,
    l.invoiceIssuerName,
    l.providerName,
    l.publisherName,
    l.regionId,
    l.regionName,
    l.resourceId,
    l.resourceName,
    l.resourceType,
    l.serviceCategory,
    l.serviceSubcategory,
    l.serviceName,
    l.skuId,
    l.skuPriceId,
    l.subAccountId,
    l.subAccountName,
    l.tags,
    demoMarker,
  ]);
}
