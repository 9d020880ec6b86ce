// The FOCUS lines of each provider's monthly file. Pure: a line depends only on the plan, and each
// resource-day has its own random stream, so the same plan always yields the same lines.

import {
  cortex,
  cortexService,
  glAccounts,
  ledgerly,
  ledgerlyCopilot,
  ledgerlyLicense,
  nimbus,
  sharedCostCenter,
  unknownCostCenter,
} from './demo-catalog.js';
import type { DemoProvider } from './demo-catalog.js';
import { isoTimestamp } from './demo-calendar.js';
import type { DemoDay, DemoMonth } from './demo-calendar.js';
import type { DemoFocusLine, DemoLineMeta } from './demo-focus-format.js';
import { divRound, NANOS, NANOS_PER_CENT } from './demo-money.js';
import { invoiceIdOf } from './demo-plan.js';
import type { DemoPlan, DemoResource } from './demo-plan.js';
import { DemoRandom } from './demo-random.js';

/** The sales tax Nimbus charges, in basis points of the month's other charges. */
export const nimbusTaxBasisPoints = 800n;

type Common = Pick<
  DemoFocusLine,
  'billingAccountId' | 'billingAccountName' | 'billingPeriodStart' | 'billingPeriodEnd' | 'invoiceId' | 'invoiceIssuerName' | 'providerName' | 'publisherName'
>;

function common(plan: DemoPlan, provider: DemoProvider, month: DemoMonth): Common {
  return {
    billingAccountId: provider.billingAccountId,
    billingAccountName: provider.billingAccountName,
    billingPeriodStart: month.periodStart,
    billingPeriodEnd: month.periodEnd,
    invoiceId: invoiceIdOf(plan, provider.slug, month.index),
    invoiceIssuerName: provider.invoiceIssuerName,
    providerName: provider.providerName,
    publisherName: provider.publisherName,
  };
}

/** Where a month's charges end: the next month's start, or as-of in a month to date. */
function chargeEnd(month: DemoMonth): string {
  return isoTimestamp(month.firstDay + month.chargeDays);
}

const none = {
  listUnitPrice: null,
  contractedUnitPrice: null,
  pricingQuantity: null,
  pricingUnit: null,
  pricingCategory: null,
  consumedQuantity: null,
  consumedUnit: null,
  commitment: null,
  regionId: null,
  regionName: null,
  resourceId: null,
  resourceName: null,
  resourceType: null,
  skuId: null,
  skuPriceId: null,
  subAccountId: null,
  subAccountName: null,
  tags: null,
} as const;

function nimbusMeta(r: DemoResource): DemoLineMeta {
  return {
    glCostCenter: r.glCostCenter,
    tagStatus: r.tagStatus,
    category: r.sku.category,
    glAccount: r.sku.category === 'ai' ? glAccounts.ai.code : glAccounts.cloud.code,
  };
}

const sharedCloudMeta: DemoLineMeta = { glCostCenter: sharedCostCenter, tagStatus: 'untagged', category: 'cloud', glAccount: glAccounts.cloud.code };

/** Pricing quantity (millis) of a generic resource on a day. */
export function dailyQuantityMillis(plan: DemoPlan, r: DemoResource, day: DemoDay): bigint {
  const month = plan.months[day.monthIndex]!;
  switch (r.kind) {
    case 'vm': {
      if (r.production) return 24_000n;
      return BigInt(DemoRandom.for(plan.params.seed, 'usage', r.rngId, day.day).int(8, 24)) * 1_000n;
    }
    case 'postgres':
    case 'k8s':
    case 'commitment':
    case 'price-change':
      return 24_000n;
    case 'block':
      return divRound(BigInt(r.size) * 1_000n, BigInt(month.daysInMonth));
    case 'object': {
      // Grows half a percent a week from the start of the window.
      const grownGb = (BigInt(r.size) * BigInt(1_400 + day.index) * 1_000n) / 1_400n;
      return divRound(grownGb, BigInt(month.daysInMonth));
    }
    case 'egress':
    case 'tokens':
    case 'nosql': {
      const rng = DemoRandom.for(plan.params.seed, 'usage', r.rngId, day.day);
      const percent = BigInt(rng.int(70, 130));
      return (BigInt(r.size) * 1_000n * percent) / 100n + BigInt(rng.int(0, 999));
    }
  }
}

/** The daily usage line of a resource at the SKU's standard (contracted) price. */
export function resourceDayLine(
  plan: DemoPlan,
  c: Common,
  r: DemoResource,
  day: DemoDay,
  prices: { listMicros: bigint; contractedMicros: bigint; skuPriceId: string } = {
    listMicros: r.sku.listUnitPriceMicros,
    contractedMicros: r.sku.contractedUnitPriceMicros,
    skuPriceId: r.sku.skuPriceId,
  },
): DemoFocusLine {
  const qty = dailyQuantityMillis(plan, r, day);
  const contracted = prices.contractedMicros * qty;
  // Every property spelled out (no spread): this runs once per usage row and must stay a fast object.
  return {
    billingAccountId: c.billingAccountId,
    billingAccountName: c.billingAccountName,
    billingPeriodStart: c.billingPeriodStart,
    billingPeriodEnd: c.billingPeriodEnd,
    invoiceId: c.invoiceId,
    invoiceIssuerName: c.invoiceIssuerName,
    providerName: c.providerName,
    publisherName: c.publisherName,
    chargePeriodStart: day.start,
    chargePeriodEnd: day.end,
    chargeCategory: 'Usage',
    chargeDescription: r.sku.description,
    chargeFrequency: 'Usage-Based',
    billedCost: contracted,
    effectiveCost: contracted,
    listCost: prices.listMicros * qty,
    contractedCost: contracted,
    listUnitPrice: prices.listMicros,
    contractedUnitPrice: prices.contractedMicros,
    pricingQuantity: qty,
    pricingUnit: r.sku.pricingUnit,
    pricingCategory: 'Standard',
    consumedQuantity: qty * r.sku.consumedPerPricingUnit,
    consumedUnit: r.sku.consumedUnit,
    commitment: null,
    regionId: r.region.id,
    regionName: r.region.name,
    resourceId: r.resourceId,
    resourceName: r.resourceName,
    resourceType: r.sku.resourceType,
    serviceCategory: r.sku.serviceCategory,
    serviceSubcategory: r.sku.serviceSubcategory,
    serviceName: r.sku.serviceName,
    skuId: r.sku.skuId,
    skuPriceId: prices.skuPriceId,
    subAccountId: r.subAccount.id,
    subAccountName: r.subAccount.name,
    tags: r.tags,
    meta: nimbusMeta(r),
  };
}

/** The covered instance's hours (Used) and the commitment's idle hours (Unused) on one day. */
function commitmentDayLines(plan: DemoPlan, c: Common, day: DemoDay): DemoFocusLine[] {
  const cm = plan.commitment;
  const r = cm.resource;
  const hours = BigInt(cm.hoursByDay[day.index]!);
  const used = hours * 1_000n;
  const ref = { id: cm.id, name: cm.name, category: 'Usage', type: 'Reserved Instance' } as const;
  const lines: DemoFocusLine[] = [
    {
      ...resourceDayLine(plan, c, r, day),
      billedCost: 0n,
      effectiveCost: cm.hourlyRateMicros * used,
      listCost: r.sku.listUnitPriceMicros * used,
      contractedCost: r.sku.contractedUnitPriceMicros * used,
      pricingQuantity: used,
      consumedQuantity: used,
      pricingCategory: 'Committed',
      skuPriceId: cm.skuPriceId,
      commitment: { ...ref, status: 'Used' },
    },
  ];
  if (hours < 24n) {
    const unused = (24n - hours) * 1_000n;
    lines.push({
      ...c,
      ...none,
      chargePeriodStart: day.start,
      chargePeriodEnd: day.end,
      chargeCategory: 'Usage',
      chargeDescription: `Unused reserved instance hours, ${r.sku.description}`,
      chargeFrequency: 'Usage-Based',
      billedCost: 0n,
      effectiveCost: cm.hourlyRateMicros * unused,
      listCost: r.sku.listUnitPriceMicros * unused,
      contractedCost: r.sku.contractedUnitPriceMicros * unused,
      listUnitPrice: r.sku.listUnitPriceMicros,
      contractedUnitPrice: r.sku.contractedUnitPriceMicros,
      pricingQuantity: unused,
      pricingUnit: 'Hours',
      pricingCategory: 'Committed',
      commitment: { ...ref, status: 'Unused' },
      ...commitmentResource(plan),
    });
  }
  return lines;
}

/** Where the commitment itself lives: its unused hours and its purchase are charged to it, in the shared sub-account. */
function commitmentResource(plan: DemoPlan) {
  const cm = plan.commitment;
  const r = cm.resource;
  return {
    regionId: r.region.id,
    regionName: r.region.name,
    resourceId: cm.id,
    resourceName: cm.name,
    resourceType: 'Reserved Instance',
    serviceCategory: r.sku.serviceCategory,
    serviceSubcategory: r.sku.serviceSubcategory,
    serviceName: r.sku.serviceName,
    skuId: r.sku.skuId,
    skuPriceId: cm.skuPriceId,
    subAccountId: 'nb-shared',
    subAccountName: 'Shared Services',
    meta: sharedCloudMeta,
  } as const;
}

function purchaseLine(plan: DemoPlan, c: Common): DemoFocusLine {
  const cm = plan.commitment;
  const r = cm.resource;
  return {
    ...c,
    ...none,
    chargePeriodStart: isoTimestamp(cm.termStart),
    chargePeriodEnd: isoTimestamp(cm.termEnd),
    chargeCategory: 'Purchase',
    chargeDescription: `1-year reserved instance, all upfront: ${r.sku.description} in ${r.region.name}`,
    chargeFrequency: 'One-Time',
    billedCost: cm.purchaseNanos,
    effectiveCost: 0n,
    listCost: cm.purchaseNanos,
    contractedCost: cm.purchaseNanos,
    listUnitPrice: cm.hourlyRateMicros,
    contractedUnitPrice: cm.hourlyRateMicros,
    pricingQuantity: BigInt(cm.termDays) * 24n * 1_000n,
    pricingUnit: 'Hours',
    pricingCategory: 'Standard',
    commitment: { id: cm.id, name: cm.name, category: 'Usage', type: 'Reserved Instance', status: null },
    ...commitmentResource(plan),
  };
}

/** The two monthly recurring charges: static IPs (untagged) and DNS zones (tagged with an unknown cost center). */
function recurringLines(c: Common, month: DemoMonth): DemoFocusLine[] {
  const base = {
    ...c,
    ...none,
    chargePeriodStart: month.periodStart,
    chargePeriodEnd: month.periodEnd,
    chargeCategory: 'Purchase',
    chargeFrequency: 'Recurring',
    pricingCategory: 'Standard',
    regionId: 'us-east-1',
    regionName: 'US East (Virginia)',
    serviceCategory: 'Networking',
    subAccountId: 'nb-shared',
    subAccountName: 'Shared Services',
  } as const;
  const ipList = 3_600_000n, ipContracted = 3_420_000n, ips = 8_000n;
  const zoneList = 500_000n, zoneContracted = 475_000n, zones = 14_000n;
  return [
    {
      ...base,
      chargeDescription: 'Reserved static IPv4 addresses, monthly',
      billedCost: ipContracted * ips,
      effectiveCost: ipContracted * ips,
      listCost: ipList * ips,
      contractedCost: ipContracted * ips,
      listUnitPrice: ipList,
      contractedUnitPrice: ipContracted,
      pricingQuantity: ips,
      pricingUnit: 'IP-Months',
      consumedQuantity: ips,
      consumedUnit: 'IP-Months',
      resourceId: 'nb:us-east-1:nb-shared:ip-pool/egress-ips',
      resourceName: 'egress-ips',
      resourceType: 'IP Address Pool',
      serviceSubcategory: 'Other (Networking)',
      serviceName: 'Nimbus Networking',
      skuId: 'NB-NET-IPV4',
      skuPriceId: 'NB-NET-IPV4-P2026',
      tags: null,
      meta: sharedCloudMeta,
    },
    {
      ...base,
      chargeDescription: 'DNS hosted zones, monthly',
      billedCost: zoneContracted * zones,
      effectiveCost: zoneContracted * zones,
      listCost: zoneList * zones,
      contractedCost: zoneContracted * zones,
      listUnitPrice: zoneList,
      contractedUnitPrice: zoneContracted,
      pricingQuantity: zones,
      pricingUnit: 'Zone-Months',
      consumedQuantity: zones,
      consumedUnit: 'Zone-Months',
      resourceId: 'nb:global:nb-shared:dns/acme-zones',
      resourceName: 'acme-zones',
      resourceType: 'DNS Zone Set',
      serviceSubcategory: 'Network Management',
      serviceName: 'Nimbus DNS',
      skuId: 'NB-DNS-ZONE',
      skuPriceId: 'NB-DNS-ZONE-P2026',
      tags: JSON.stringify({ cc: unknownCostCenter, env: 'prod', application: 'dns' }),
      meta: { ...sharedCloudMeta, tagStatus: 'mis-tagged' },
    },
  ];
}

function creditLine(plan: DemoPlan, c: Common, month: DemoMonth): DemoFocusLine {
  const amount = -BigInt(DemoRandom.for(plan.params.seed, 'credit', month.key).int(100, 300)) * NANOS;
  return {
    ...c,
    ...none,
    chargePeriodStart: month.periodStart,
    chargePeriodEnd: chargeEnd(month),
    chargeCategory: 'Credit',
    chargeDescription: 'Nimbus startup program credit',
    chargeFrequency: 'One-Time',
    billedCost: amount,
    effectiveCost: amount,
    listCost: amount,
    contractedCost: amount,
    serviceCategory: 'Other',
    serviceSubcategory: 'Other (Other)',
    serviceName: 'Nimbus Credits',
    meta: sharedCloudMeta,
  };
}

function taxLine(c: Common, month: DemoMonth, subtotal: bigint): DemoFocusLine {
  const tax = divRound(subtotal * nimbusTaxBasisPoints, 10_000n * NANOS_PER_CENT) * NANOS_PER_CENT;
  return {
    ...c,
    ...none,
    chargePeriodStart: month.periodStart,
    chargePeriodEnd: chargeEnd(month),
    chargeCategory: 'Tax',
    chargeDescription: 'US sales tax 8% on the billing period charges',
    chargeFrequency: 'Recurring',
    billedCost: tax,
    effectiveCost: tax,
    listCost: tax,
    contractedCost: tax,
    serviceCategory: 'Other',
    serviceSubcategory: 'Other (Other)',
    serviceName: 'Nimbus Tax',
    meta: { ...sharedCloudMeta, glAccount: glAccounts.tax.code },
  };
}

/** Nimbus Cloud, one month: purchase (first month), recurring, daily usage, credit, then tax. */
export function* nimbusLines(plan: DemoPlan, monthIndex: number): Generator<DemoFocusLine> {
  const month = plan.months[monthIndex]!;
  const c = common(plan, nimbus, month);
  let subtotal = 0n;
  const emit = (l: DemoFocusLine): DemoFocusLine => {
    subtotal += l.billedCost;
    return l;
  };
  if (monthIndex === 0) yield emit(purchaseLine(plan, c));
  for (const l of recurringLines(c, month)) yield emit(l);
  const pc = plan.priceChange;
  const raised = monthIndex >= pc.monthIndex;
  const pcPrices = raised
    ? { listMicros: pc.newListMicros, contractedMicros: pc.newContractedMicros, skuPriceId: pc.newSkuPriceId }
    : { listMicros: pc.oldListMicros, contractedMicros: pc.oldContractedMicros, skuPriceId: pc.oldSkuPriceId };
  for (const day of plan.days) {
    if (day.monthIndex !== monthIndex) continue;
    for (const l of commitmentDayLines(plan, c, day)) yield emit(l);
    yield emit(resourceDayLine(plan, c, pc.resource, day, pcPrices));
    for (const r of plan.resources) {
      if (day.index >= r.firstDayIndex) yield emit(resourceDayLine(plan, c, r, day));
    }
  }
  yield emit(creditLine(plan, c, month));
  yield taxLine(c, month, subtotal);
}

/** Ledgerly, one month: the seat license and the Copilot AI add-on on the same invoice. */
export function* ledgerlyLines(plan: DemoPlan, monthIndex: number): Generator<DemoFocusLine> {
  const month = plan.months[monthIndex]!;
  const c = common(plan, ledgerly, month);
  const seats = BigInt(plan.seats[monthIndex]!) * 1_000n;
  const license = ledgerlyLicense.contractedUnitPriceMicros * seats;
  const base = {
    ...c,
    ...none,
    pricingCategory: 'Standard',
    regionId: null,
    regionName: null,
    resourceId: 'ldg:workspace/acme-finance',
    resourceName: 'Acme Finance workspace',
    resourceType: 'Workspace',
    subAccountId: 'ws-acme-finance',
    subAccountName: 'Acme Finance workspace',
  } as const;
  yield {
    ...base,
    chargePeriodStart: month.periodStart,
    chargePeriodEnd: month.periodEnd,
    chargeCategory: 'Purchase',
    chargeDescription: `${ledgerlyLicense.serviceName} Enterprise, monthly subscription per seat`,
    chargeFrequency: 'Recurring',
    billedCost: license,
    effectiveCost: license,
    listCost: ledgerlyLicense.listUnitPriceMicros * seats,
    contractedCost: license,
    listUnitPrice: ledgerlyLicense.listUnitPriceMicros,
    contractedUnitPrice: ledgerlyLicense.contractedUnitPriceMicros,
    pricingQuantity: seats,
    pricingUnit: 'Seats',
    consumedQuantity: seats,
    consumedUnit: 'Seats',
    serviceCategory: ledgerlyLicense.serviceCategory,
    serviceSubcategory: ledgerlyLicense.serviceSubcategory,
    serviceName: ledgerlyLicense.serviceName,
    skuId: ledgerlyLicense.skuId,
    skuPriceId: ledgerlyLicense.skuPriceId,
    tags: JSON.stringify({ CostCenter: 'CC-2000', application: 'ledgerly', owner: 'controller@acme.example' }),
    meta: { glCostCenter: 'CC-2000', tagStatus: 'tagged', category: 'saas', glAccount: glAccounts.saas.code },
  };
  const rng = DemoRandom.for(plan.params.seed, 'copilot', month.key);
  const tokens = BigInt(month.chargeDays) * BigInt(rng.int(1_000_000, 1_600_000));
  // Quantity is in 1K tokens; in millis that is the token count itself.
  const addOn = ledgerlyCopilot.contractedUnitPriceMicros * tokens;
  yield {
    ...base,
    chargePeriodStart: month.periodStart,
    chargePeriodEnd: chargeEnd(month),
    chargeCategory: 'Usage',
    chargeDescription: `${ledgerlyCopilot.serviceName} AI add-on, per 1K tokens`,
    chargeFrequency: 'Usage-Based',
    billedCost: addOn,
    effectiveCost: addOn,
    listCost: ledgerlyCopilot.listUnitPriceMicros * tokens,
    contractedCost: addOn,
    listUnitPrice: ledgerlyCopilot.listUnitPriceMicros,
    contractedUnitPrice: ledgerlyCopilot.contractedUnitPriceMicros,
    pricingQuantity: tokens,
    pricingUnit: '1K Tokens',
    consumedQuantity: tokens * 1_000n,
    consumedUnit: 'Tokens',
    serviceCategory: ledgerlyCopilot.serviceCategory,
    serviceSubcategory: ledgerlyCopilot.serviceSubcategory,
    serviceName: ledgerlyCopilot.serviceName,
    skuId: ledgerlyCopilot.skuId,
    skuPriceId: ledgerlyCopilot.skuPriceId,
    tags: null,
    meta: { glCostCenter: sharedCostCenter, tagStatus: 'untagged', category: 'ai', glAccount: glAccounts.ai.code },
  };
}

/** Cortex AI: daily input and output token lines, only in the month it first appears. */
export function* cortexLines(plan: DemoPlan, monthIndex: number): Generator<DemoFocusLine> {
  if (monthIndex !== plan.newAiMonthIndex) return;
  const month = plan.months[monthIndex]!;
  const c = common(plan, cortex, month);
  const tags = JSON.stringify({ team: 'data-science', project: 'PRJ-LLM-PILOT', env: 'dev' });
  for (const day of plan.days) {
    if (day.monthIndex !== monthIndex) continue;
    const rng = DemoRandom.for(plan.params.seed, 'cortex', day.day);
    // Adoption ramps up through the month.
    const input = (BigInt(rng.int(1_500_000, 3_000_000)) * BigInt(10 + day.dayOfMonth)) / 10n;
    const output = (input * BigInt(rng.int(15, 30))) / 100n;
    for (const s of cortexService.skus) {
      const tokens = s.kind === 'input' ? input : output;
      const cost = s.listUnitPriceMicros * tokens;
      yield {
        ...c,
        ...none,
        chargePeriodStart: day.start,
        chargePeriodEnd: day.end,
        chargeCategory: 'Usage',
        chargeDescription: `${cortexService.model} ${s.kind} tokens, per 1K tokens`,
        chargeFrequency: 'Usage-Based',
        billedCost: cost,
        effectiveCost: cost,
        listCost: cost,
        contractedCost: cost,
        listUnitPrice: s.listUnitPriceMicros,
        contractedUnitPrice: s.listUnitPriceMicros,
        pricingQuantity: tokens,
        pricingUnit: '1K Tokens',
        pricingCategory: 'Standard',
        consumedQuantity: tokens * 1_000n,
        consumedUnit: 'Tokens',
        resourceId: 'cx:proj-llm-pilot:api-key/ak-7f3e',
        resourceName: 'llm-pilot-key',
        resourceType: 'API Key',
        serviceCategory: cortexService.serviceCategory,
        serviceSubcategory: cortexService.serviceSubcategory,
        serviceName: cortexService.serviceName,
        skuId: s.skuId,
        skuPriceId: s.skuPriceId,
        subAccountId: 'proj-llm-pilot',
        subAccountName: 'LLM pilot',
        tags,
        meta: { glCostCenter: sharedCostCenter, tagStatus: 'untagged', category: 'ai', glAccount: glAccounts.unclassified.code },
      };
    }
  }
}

/** The lines of one provider's file for one month (empty when it does not bill that month). */
export function providerLines(plan: DemoPlan, provider: DemoProvider, monthIndex: number): Generator<DemoFocusLine> {
  if (provider.slug === nimbus.slug) return nimbusLines(plan, monthIndex);
  if (provider.slug === ledgerly.slug) return ledgerlyLines(plan, monthIndex);
  return cortexLines(plan, monthIndex);
}

/** Whether a provider has a file for a month. */
export function providerBills(plan: DemoPlan, provider: DemoProvider, monthIndex: number): boolean {
  return provider.slug !== cortex.slug || monthIndex === plan.newAiMonthIndex;
}
