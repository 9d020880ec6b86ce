/** FOCUS specification versions costbridge reads. */
export const focusVersions = ['1.0', '1.1', '1.2', '1.3'] as const;
/** One FOCUS specification version. */
export type FocusVersion = (typeof focusVersions)[number];

/** How a FOCUS column's cells are validated and stored. */
export type FocusColumnType =
  | 'text'
  | 'decimal'
  | 'datetime'
  | 'currency'
  | 'json-object'
  | 'charge-category'
  | 'charge-class';

/** A FOCUS column costbridge stores in its own typed database column. */
export interface FocusColumn {
  readonly name: string;
  readonly dbColumn: string;
  readonly type: FocusColumnType;
  readonly since: FocusVersion;
  /** The header must name this column (ProviderName/PublisherName may be replaced by their 1.3 successors). */
  readonly mandatory: boolean;
  /** A cell may not be null. */
  readonly required: boolean;
}

function col(
  name: string,
  type: FocusColumnType,
  since: FocusVersion,
  flags: { mandatory?: boolean; required?: boolean } = {},
): FocusColumn {
  const dbColumn = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return { name, dbColumn, type, since, mandatory: flags.mandatory ?? false, required: flags.required ?? false };
}

const M = { mandatory: true };
const MR = { mandatory: true, required: true };

/** Every FOCUS 1.0-1.3 cost-and-usage column that users filter or sum by, in storage order. */
export const focusColumns: readonly FocusColumn[] = [
  col('BillingAccountId', 'text', '1.0', MR),
  col('BillingAccountName', 'text', '1.0', M),
  col('BillingAccountType', 'text', '1.1'),
  col('BillingCurrency', 'currency', '1.0', MR),
  col('BillingPeriodStart', 'datetime', '1.0', MR),
  col('BillingPeriodEnd', 'datetime', '1.0', MR),
  col('ChargePeriodStart', 'datetime', '1.0', MR),
  col('ChargePeriodEnd', 'datetime', '1.0', MR),
  col('ChargeCategory', 'charge-category', '1.0', MR),
  col('ChargeClass', 'charge-class', '1.0', M),
  col('ChargeDescription', 'text', '1.0', M),
  col('ChargeFrequency', 'text', '1.0'),
  col('BilledCost', 'decimal', '1.0', MR),
  col('EffectiveCost', 'decimal', '1.0', MR),
  col('ListCost', 'decimal', '1.0', M),
  col('ContractedCost', 'decimal', '1.0', M),
  col('ListUnitPrice', 'decimal', '1.0'),
  col('ContractedUnitPrice', 'decimal', '1.0'),
  col('PricingQuantity', 'decimal', '1.0', M),
  col('PricingUnit', 'text', '1.0', M),
  col('PricingCategory', 'text', '1.0'),
  col('ConsumedQuantity', 'decimal', '1.0'),
  col('ConsumedUnit', 'text', '1.0'),
  col('PricingCurrency', 'text', '1.2'),
  col('PricingCurrencyContractedUnitPrice', 'decimal', '1.2'),
  col('PricingCurrencyEffectiveCost', 'decimal', '1.2'),
  col('PricingCurrencyListUnitPrice', 'decimal', '1.2'),
  col('CommitmentDiscountId', 'text', '1.0'),
  col('CommitmentDiscountName', 'text', '1.0'),
  col('CommitmentDiscountCategory', 'text', '1.0'),
  col('CommitmentDiscountType', 'text', '1.0'),
  col('CommitmentDiscountStatus', 'text', '1.0'),
  col('CommitmentDiscountQuantity', 'decimal', '1.1'),
  col('CommitmentDiscountUnit', 'text', '1.1'),
  col('CapacityReservationId', 'text', '1.1'),
  col('CapacityReservationStatus', 'text', '1.1'),
  col('InvoiceId', 'text', '1.2'),
  col('InvoiceIssuerName', 'text', '1.0', M),
  col('ProviderName', 'text', '1.0', M),
  col('PublisherName', 'text', '1.0', M),
  col('ServiceProviderName', 'text', '1.3'),
  col('HostProviderName', 'text', '1.3'),
  col('RegionId', 'text', '1.0'),
  col('RegionName', 'text', '1.0'),
  col('AvailabilityZone', 'text', '1.0'),
  col('ResourceId', 'text', '1.0'),
  col('ResourceName', 'text', '1.0'),
  col('ResourceType', 'text', '1.0'),
  col('ServiceCategory', 'text', '1.0', M),
  col('ServiceSubcategory', 'text', '1.1'),
  col('ServiceName', 'text', '1.0', M),
  col('SkuId', 'text', '1.0'),
  col('SkuPriceId', 'text', '1.0'),
  col('SkuMeter', 'text', '1.1'),
  col('SkuPriceDetails', 'json-object', '1.1'),
  col('SubAccountId', 'text', '1.0'),
  col('SubAccountName', 'text', '1.0'),
  col('SubAccountType', 'text', '1.1'),
  col('AllocatedMethodId', 'text', '1.3'),
  col('AllocatedMethodDetails', 'json-object', '1.3'),
  col('AllocatedResourceId', 'text', '1.3'),
  col('AllocatedResourceName', 'text', '1.3'),
  col('AllocatedTags', 'json-object', '1.3'),
  col('ContractApplied', 'json-object', '1.3'),
  col('Tags', 'json-object', '1.0'),
];

/** Position of a column in {@link focusColumns}, by FOCUS name. */
export const focusColumnIndex: ReadonlyMap<string, number> = new Map(focusColumns.map((c, i) => [c.name, i]));

/** Index of a FOCUS column by its exact name; throws for a name outside the catalog (a programming error). */
export function focusIndexOf(name: string): number {
  const i = focusColumnIndex.get(name);
  if (i === undefined) throw new Error(`not a catalogued FOCUS column: ${name}`);
  return i;
}

/** The ChargeCategory values FOCUS allows. */
export const chargeCategories = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const;
/** One FOCUS ChargeCategory. */
export type ChargeCategory = (typeof chargeCategories)[number];

/**
 * The FOCUS version a header was written for: the newest version whose introduced columns appear.
 * Columns added by 1.1, 1.2 and 1.3 are the markers; ProviderName/PublisherName missing alongside
 * ServiceProviderName also means 1.3 or later.
 */
export function detectFocusVersion(headerNames: Iterable<string>): FocusVersion {
  const names = new Set(headerNames);
  const newest = (v: FocusVersion) => focusColumns.some((c) => c.since === v && names.has(c.name));
  if (newest('1.3')) return '1.3';
  if (newest('1.2')) return '1.2';
  if (newest('1.1')) return '1.1';
  return '1.0';
}
