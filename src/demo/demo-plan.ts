// The plan of one demo data set: its months, invoices, resources and scenarios, fixed before any
// row is generated so that every row can be produced independently and in any order.

import { CostbridgeError } from '../domain/costbridge-error.js';
import {
  commitmentHourlyRateMicros,
  commitmentSku,
  costCenterApps,
  costCenterTagKeys,
  demoCostCenters,
  demoProviders,
  environmentTagKeys,
  nimbusRegions,
  nimbusSubAccounts,
  priceChangeBasisPoints,
  priceChangeSku,
  resourceKinds,
  sharedCostCenter,
  unknownCostCenter,
} from './demo-catalog.js';
import type { DemoSku, DemoSubAccount, ResourceKind } from './demo-catalog.js';
import { demoDays, demoMonths, parseIsoDate, dateParts, monthStartDay } from './demo-calendar.js';
import type { DemoDay, DemoMonth, EpochDay } from './demo-calendar.js';
import type { TagStatus } from './demo-focus-format.js';
import { adjustPrice } from './demo-money.js';
import { DemoRandom } from './demo-random.js';

/** What a demo data set is generated from; the same parameters give the same bytes. */
export interface DemoParams {
  readonly seed: number;
  readonly months: number;
  /** Exact number of FOCUS data rows over all files. */
  readonly rows: number;
  /** `YYYY-MM-DD`: data runs up to the day before. */
  readonly asOf: string;
  /**
   * Give the cost centers their invented Slack channel ids (`slack:C0DEMO01`...). Off by default:
   * demo data loaded beside real Slack credentials must not route alerts to channels that do not exist.
   */
  readonly channels?: boolean;
}

export const demoLimits = { minMonths: 2, maxMonths: 36, maxRows: 10_000_000 } as const;

/** A Nimbus resource with one usage row per charge day from its first day on. */
export interface DemoResource {
  /** Identifies the resource's random streams. */
  readonly rngId: number;
  readonly kind: ResourceKind['name'] | 'commitment' | 'price-change';
  readonly sku: DemoSku;
  readonly resourceId: string;
  readonly resourceName: string;
  readonly subAccount: DemoSubAccount;
  readonly region: { readonly id: string; readonly name: string };
  readonly tags: string | null;
  readonly tagStatus: TagStatus;
  /** The cost center that really owns it (whatever its tags say). */
  readonly costCenter: string;
  /** Where the GL books it: its tagged cost center, or the shared IT cost center. */
  readonly glCostCenter: string;
  readonly production: boolean;
  /** Kind-specific size: GB stored, GB or 1K tokens or 1M requests a day. */
  readonly size: number;
  /** Index (into the plan's days) of its first usage row. */
  readonly firstDayIndex: number;
}

/** The 1-year reserved instance bought in the first month. */
export interface DemoCommitment {
  readonly id: string;
  readonly name: string;
  readonly hourlyRateMicros: bigint;
  readonly termStart: EpochDay;
  readonly termEnd: EpochDay;
  readonly termDays: number;
  /** hourly rate x 24 x term days, in nanos. */
  readonly purchaseNanos: bigint;
  readonly skuPriceId: string;
  /** The instance it covers. */
  readonly resource: DemoResource;
  /** Hours the covered instance ran, per plan day (24 = fully used). */
  readonly hoursByDay: readonly number[];
}

/** The SKU whose unit price rises from one month on. */
export interface DemoPriceChange {
  readonly resource: DemoResource;
  readonly monthIndex: number;
  readonly previousMonthIndex: number;
  readonly oldListMicros: bigint;
  readonly newListMicros: bigint;
  readonly oldContractedMicros: bigint;
  readonly newContractedMicros: bigint;
  readonly oldSkuPriceId: string;
  readonly newSkuPriceId: string;
}

export interface DemoPlan {
  readonly params: DemoParams;
  readonly asOfDay: EpochDay;
  readonly months: readonly DemoMonth[];
  readonly days: readonly DemoDay[];
  /** The newest complete month. */
  readonly lastFullIndex: number;
  /** The month whose SaaS invoice the GL books one period late. */
  readonly accrualMonthIndex: number;
  /** The month the new AI service first (and only) appears in: the last one. */
  readonly newAiMonthIndex: number;
  /** Invoice id per provider slug, per month index. */
  readonly invoiceIds: ReadonlyMap<string, readonly string[]>;
  readonly commitment: DemoCommitment;
  readonly priceChange: DemoPriceChange;
  /** Generic resources, the last one possibly starting late so the row count is exact. */
  readonly resources: readonly DemoResource[];
  /** Ledgerly seats per month. */
  readonly seats: readonly number[];
  /** Rows the scenarios need whatever --rows says. */
  readonly fixedRows: number;
}

/** Throws INPUT_INVALID when parameters are out of range (the row minimum is checked by {@link planDemo}). */
export function validateDemoParams(p: DemoParams): EpochDay {
  if (!Number.isSafeInteger(p.seed) || p.seed < 0) throw new CostbridgeError('INPUT_INVALID', `--seed must be a whole number >= 0, got ${p.seed}`);
  if (!Number.isInteger(p.months) || p.months < demoLimits.minMonths || p.months > demoLimits.maxMonths) {
    throw new CostbridgeError('INPUT_INVALID', `--months must be a whole number from ${demoLimits.minMonths} to ${demoLimits.maxMonths}, got ${p.months}`);
  }
  if (!Number.isInteger(p.rows) || p.rows < 1 || p.rows > demoLimits.maxRows) {
    throw new CostbridgeError('INPUT_INVALID', `--rows must be a whole number from 1 to ${demoLimits.maxRows}, got ${p.rows}`);
  }
  const asOfDay = parseIsoDate(p.asOf);
  if (asOfDay === undefined) throw new CostbridgeError('INPUT_INVALID', `--as-of must be a date as YYYY-MM-DD, got "${p.asOf}"`);
  const { year } = dateParts(asOfDay);
  if (year < 2000 || year > 2200) throw new CostbridgeError('INPUT_INVALID', `--as-of must be between the years 2000 and 2200, got ${p.asOf}`);
  return asOfDay;
}

const tagPattern: readonly TagStatus[] = ['tagged', 'tagged', 'untagged', 'tagged', 'mis-tagged', 'tagged', 'tagged', 'untagged', 'tagged', 'tagged'];

function costCenterOf(code: string) {
  const cc = demoCostCenters.find((c) => c.code === code);
  if (!cc) throw new Error(`unknown demo cost center ${code}`);
  return cc;
}

function subAccount(id: string): DemoSubAccount {
  const s = nimbusSubAccounts.find((a) => a.id === id);
  if (!s) throw new Error(`unknown demo sub-account ${id}`);
  return s;
}

/** The Tags JSON of a well-tagged resource: 4-6 keys, spellings varying as they do in real estates. */
export function tagsFor(rng: DemoRandom, cc: string, app: string, production: boolean): string {
  const center = costCenterOf(cc);
  const tags: Record<string, string> = {};
  tags[rng.pick(costCenterTagKeys)] = cc;
  tags[rng.pick(environmentTagKeys)] = production ? rng.pick(['prod', 'production']) : rng.pick(['dev', 'development']);
  tags['application'] = app;
  if (rng.chance(50)) tags['owner'] = center.owner;
  else tags['team'] = costCenterApps[cc]?.team ?? 'platform';
  if (rng.chance(50)) tags['project'] = `PRJ-${rng.int(2001, 2040)}`;
  if (rng.chance(30)) tags['legal_entity'] = center.legalEntity;
  return JSON.stringify(tags);
}

/** Generic resource number `index` of a seed: sub-account, cost center, region, tags by a fixed pattern. */
export function genericResource(seed: number, index: number, kind: ResourceKind, firstDayIndex: number): DemoResource {
  const rng = DemoRandom.for(seed, 'resource', index);
  let sub: DemoSubAccount;
  let cc: string;
  if (kind.name === 'tokens') {
    sub = subAccount(rng.pick(['nb-prod-data', 'nb-dev']));
    cc = 'CC-1400';
  } else {
    sub = subAccount(rng.pick(['nb-prod-platform', 'nb-prod-data', 'nb-prod-apps', 'nb-prod-apps', 'nb-dev', 'nb-dev', 'nb-shared']));
    cc = rng.pick(sub.costCenters);
  }
  const production = sub.environment === 'production';
  const app = rng.pick(costCenterApps[cc]?.apps ?? ['misc']);
  const region = rng.pick(nimbusRegions);
  const resourceName = `${app}-${kind.stem}-${String(index + 1).padStart(3, '0')}`;
  const resourceId = `nb:${region.id}:${sub.id}:${kind.stem}/${rng.hex(12)}`;
  const tagStatus = tagPattern[index % tagPattern.length]!;
  let tags: string | null;
  if (tagStatus === 'tagged') {
    tags = tagsFor(rng, cc, app, production);
  } else if (tagStatus === 'mis-tagged') {
    const t: Record<string, string> = {};
    t[rng.pick(costCenterTagKeys)] = unknownCostCenter;
    t[rng.pick(environmentTagKeys)] = production ? 'prod' : 'dev';
    t['application'] = app;
    tags = JSON.stringify(t);
  } else {
    tags = rng.chance(50) ? null : JSON.stringify({ Name: resourceName, 'created-by': 'terraform' });
  }
  const size =
    kind.name === 'block' ? rng.int(2, 40) * 50
    : kind.name === 'object' ? rng.int(4, 400) * 50
    : kind.name === 'egress' ? rng.int(5, 300)
    : kind.name === 'tokens' ? rng.int(200, 5000)
    : kind.name === 'nosql' ? rng.int(1, 60)
    : 0;
  return {
    rngId: index,
    kind: kind.name,
    sku: kind.sku,
    resourceId,
    resourceName,
    subAccount: sub,
    region,
    tags,
    tagStatus,
    costCenter: cc,
    glCostCenter: tagStatus === 'tagged' ? cc : sharedCostCenter,
    production,
    size,
    firstDayIndex,
  };
}

/** Lays out the data set; throws INPUT_INVALID for bad parameters or too few rows. */
export function planDemo(params: DemoParams): DemoPlan {
  const asOfDay = validateDemoParams(params);
  const { seed } = params;
  const months = demoMonths(asOfDay, params.months);
  const days = demoDays(months);
  const last = months.length - 1;
  const lastFullIndex = months[last]!.complete ? last : last - 1;
  const priceChangeIndex = lastFullIndex >= 1 ? lastFullIndex : last;

  const invoiceIds = new Map<string, string[]>();
  for (const p of demoProviders) {
    invoiceIds.set(
      p.slug,
      months.map((m) => `${p.invoicePrefix}-${m.key.replace('-', '')}-${DemoRandom.for(seed, 'invoice', p.slug, m.key).hex(6).toUpperCase()}`),
    );
  }

  // The commitment: a 1-year reserved instance bought on the first day of the window.
  const first = months[0]!;
  const termEnd = monthStartDay(first.year + 1, first.month);
  const termDays = termEnd - first.firstDay;
  const commitmentId = `nb-ri-${DemoRandom.for(seed, 'commitment').hex(10)}`;
  const commitmentResource: DemoResource = {
    rngId: -1,
    kind: 'commitment',
    sku: commitmentSku,
    resourceId: 'nb:us-east-1:nb-prod-data:vm/feature-store-hm8-01',
    resourceName: 'feature-store-hm8-01',
    subAccount: subAccount('nb-prod-data'),
    region: nimbusRegions[0]!,
    tags: JSON.stringify({ CostCenter: 'CC-1210', env: 'prod', application: 'feature-store', owner: costCenterOf('CC-1210').owner }),
    tagStatus: 'tagged',
    costCenter: 'CC-1210',
    glCostCenter: 'CC-1210',
    production: true,
    size: 0,
    firstDayIndex: 0,
  };
  const hoursByDay = days.map((d) => {
    const rng = DemoRandom.for(seed, 'commitment-hours', d.day);
    return rng.chance(20) ? rng.int(14, 22) : 24;
  });
  const commitment: DemoCommitment = {
    id: commitmentId,
    name: 'Reserved instance 1y nc2-highmem-8 us-east-1',
    hourlyRateMicros: commitmentHourlyRateMicros,
    termStart: first.firstDay,
    termEnd,
    termDays,
    purchaseNanos: commitmentHourlyRateMicros * 1_000n * 24n * BigInt(termDays),
    skuPriceId: `${commitmentSku.skuId}-RI1Y`,
    resource: commitmentResource,
    hoursByDay,
  };

  const priceChange: DemoPriceChange = {
    resource: {
      rngId: -2,
      kind: 'price-change',
      sku: priceChangeSku,
      resourceId: 'nb:us-east-1:nb-prod-apps:pg/checkout-orders-db',
      resourceName: 'checkout-orders-db',
      subAccount: subAccount('nb-prod-apps'),
      region: nimbusRegions[0]!,
      tags: JSON.stringify({ 'cost-center': 'CC-1310', Environment: 'production', application: 'checkout', team: 'checkout' }),
      tagStatus: 'tagged',
      costCenter: 'CC-1310',
      glCostCenter: 'CC-1310',
      production: true,
      size: 0,
      firstDayIndex: 0,
    },
    monthIndex: priceChangeIndex,
    previousMonthIndex: priceChangeIndex - 1,
    oldListMicros: priceChangeSku.listUnitPriceMicros,
    newListMicros: adjustPrice(priceChangeSku.listUnitPriceMicros, priceChangeBasisPoints),
    oldContractedMicros: priceChangeSku.contractedUnitPriceMicros,
    newContractedMicros: adjustPrice(priceChangeSku.contractedUnitPriceMicros, priceChangeBasisPoints),
    oldSkuPriceId: priceChangeSku.skuPriceId,
    newSkuPriceId: `${priceChangeSku.skuId}-P${months[priceChangeIndex]!.key.replace('-', '')}`,
  };

  const seats = months.map((m) => 120 + DemoRandom.for(seed, 'seats', m.key).int(-3, 5));

  // Rows every data set has: per Nimbus month a credit, a tax line and two recurring lines (four),
  // the purchase once; per day the covered instance, its unused hours when any, and the database;
  // per Ledgerly month the license and the AI add-on; per day of the last month two Cortex lines.
  let fixedRows = 1 + months.length * (4 + 2);
  for (const d of days) {
    fixedRows += 2 + (hoursByDay[d.index]! < 24 ? 1 : 0);
    if (d.monthIndex === last) fixedRows += 2;
  }
  if (params.rows < fixedRows) {
    throw new CostbridgeError(
      'INPUT_INVALID',
      `--rows must be at least ${fixedRows} for ${params.months} months up to ${params.asOf} (the scenario rows alone), got ${params.rows}`,
    );
  }

  // Generic resources fill the rest exactly: `perDay` resources every day, plus one that only
  // exists for the last `remainder` days (a resource created recently).
  const generic = params.rows - fixedRows;
  const perDay = Math.floor(generic / days.length);
  const remainder = generic % days.length;
  const kindOrder = DemoRandom.for(seed, 'kinds').shuffle(resourceKinds);
  const resources: DemoResource[] = [];
  const count = perDay + (remainder > 0 ? 1 : 0);
  for (let i = 0; i < count; i++) {
    const firstDayIndex = i < perDay ? 0 : days.length - remainder;
    resources.push(genericResource(seed, i, kindOrder[i % kindOrder.length]!, firstDayIndex));
  }

  return {
    params,
    asOfDay,
    months,
    days,
    lastFullIndex,
    accrualMonthIndex: lastFullIndex,
    newAiMonthIndex: last,
    invoiceIds,
    commitment,
    priceChange,
    resources,
    seats,
    fixedRows,
  };
}

/** The invoice id of a provider in a month. */
export function invoiceIdOf(plan: DemoPlan, slug: string, monthIndex: number): string {
  const id = plan.invoiceIds.get(slug)?.[monthIndex];
  if (!id) throw new Error(`no invoice for ${slug} in month ${monthIndex}`);
  return id;
}
