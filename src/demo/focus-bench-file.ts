// A large synthetic FOCUS 1.2 file for benchmarks: Nimbus Cloud daily usage, the same columns as
// the demo data, streamed to disk with backpressure so memory stays flat at millions of rows.
// Rows are hand-formatted from precomputed per-resource cells; amounts are bigint nanos.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { costCenterApps, costCenterTagKeys, demoCostCenters, environmentTagKeys, nimbus, resourceKinds, unknownCostCenter } from './demo-catalog.js';
import type { ResourceKindName } from './demo-catalog.js';
import { daysInMonth, isoTimestamp, monthStartDay, dateParts } from './demo-calendar.js';
import { csvCell, demoMarker, focusHeaderLine } from './demo-focus-format.js';
import { formatMicros, formatMillis, formatNanos } from './demo-money.js';
import { genericResource } from './demo-plan.js';
import { DemoRandom, mulberry32 } from './demo-random.js';

/** Roughly this many days of data; resources scale with the row count. */
const benchDays = 90;
const flushAt = 1 << 20;

interface BenchResource {
  readonly kind: ResourceKindName;
  readonly production: boolean;
  readonly size: number;
  readonly listMicros: bigint;
  readonly contractedMicros: bigint;
  readonly consumedPer: bigint;
  /** ChargeCategory .. ChargeFrequency, with a leading comma. */
  readonly head: string;
  /** ListUnitPrice, ContractedUnitPrice, with leading commas. */
  readonly unitPrices: string;
  /** PricingUnit .. PricingCurrency. */
  readonly pricing: string;
  /** ConsumedUnit and the five empty commitment cells. */
  readonly consumed: string;
  /** InvoiceIssuerName .. x_Demo and the line end. */
  readonly tail: string;
}

/**
 * A resource's tags. The cost-center tag (its key spelled several ways, one in ten an unknown code)
 * and the environment are the resource's own; owner or team, project and legal entity are set per
 * application, as infrastructure-as-code stacks tag every resource they create alike, so many
 * resources share a day's SKU, account, region and shared fields, as in real exports.
 */
function benchTags(seed: number, rng: DemoRandom, resourceIndex: number, cc: string, app: string, production: boolean): string {
  const tags: Record<string, string> = {};
  if (resourceIndex % 10 === 4) tags[rng.pick(costCenterTagKeys)] = unknownCostCenter;
  else tags[rng.pick(costCenterTagKeys)] = cc;
  tags[rng.pick(environmentTagKeys)] = production ? 'prod' : 'dev';
  tags['application'] = app;
  const center = demoCostCenters.find((c) => c.code === cc);
  const stack = DemoRandom.for(seed, 'bench-stack-tags', cc, app);
  if (stack.chance(60)) {
    if (stack.chance(50)) tags['owner'] = center?.owner ?? 'it.finance@acme.example';
    else tags['team'] = costCenterApps[cc]?.team ?? 'platform';
  }
  if (stack.chance(50)) tags['project'] = `PRJ-${stack.int(2001, 2040)}`;
  if (stack.chance(30)) tags['legal_entity'] = center?.legalEntity ?? 'ACME-US';
  return JSON.stringify(tags);
}

function benchResource(seed: number, index: number): BenchResource {
  const kind = resourceKinds[index % resourceKinds.length]!;
  const r = genericResource(seed, index, kind, 0);
  const rng = DemoRandom.for(seed, 'bench-tags', index);
  const cc = r.costCenter;
  const app = r.resourceName.slice(0, r.resourceName.lastIndexOf(`-${kind.stem}-`));
  const s = kind.sku;
  const cells = (...v: Array<string | null>) => v.map((x) => `,${csvCell(x)}`).join('');
  return {
    kind: kind.name,
    production: r.production,
    size: r.size,
    listMicros: s.listUnitPriceMicros,
    contractedMicros: s.contractedUnitPriceMicros,
    consumedPer: s.consumedPerPricingUnit,
    head: cells('Usage', null, s.description, 'Usage-Based'),
    unitPrices: cells(formatMicros(s.listUnitPriceMicros), formatMicros(s.contractedUnitPriceMicros)),
    pricing: cells(s.pricingUnit, 'Standard', 'USD'),
    consumed: cells(s.consumedUnit, null, null, null, null, null),
    tail:
      cells(
        nimbus.invoiceIssuerName,
        nimbus.providerName,
        nimbus.publisherName,
        r.region.id,
        r.region.name,
        r.resourceId,
        r.resourceName,
        s.resourceType,
        s.serviceCategory,
        s.serviceSubcategory,
        s.serviceName,
        s.skuId,
        s.skuPriceId,
        r.subAccount.id,
        r.subAccount.name,
        benchTags(seed, rng, index, cc, app || 'misc', r.production),
        demoMarker,
      ) + '\n',
  };
}

/** Daily pricing quantity in millis, from one sequential stream (fast, deterministic). */
function quantity(r: BenchResource, next: () => number, monthDays: number, dayIndex: number): bigint {
  switch (r.kind) {
    case 'vm':
      return r.production ? 24_000n : BigInt(8 + (next() % 17)) * 1_000n;
    case 'postgres':
    case 'k8s':
      return 24_000n;
    case 'block':
      return (BigInt(r.size) * 1_000n) / BigInt(monthDays);
    case 'object':
      return (BigInt(r.size) * BigInt(1_400 + dayIndex) * 1_000n) / (1_400n * BigInt(monthDays));
    default:
      return (BigInt(r.size) * BigInt(700 + (next() % 601))) + BigInt(next() % 1_000);
  }
}

/**
 * Writes exactly `rows` FOCUS 1.2 data rows (plus the header) of Nimbus Cloud daily usage to
 * `path`, streaming with backpressure. Deterministic for a seed. Returns rows and bytes written.
 */
export async function writeFocusBenchFile(path: string, rows: number, seed = 1): Promise<{ rows: number; bytes: number }> {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`rows must be a whole number >= 0, got ${rows}`);
  const resourceCount = Math.min(20_000, Math.max(50, Math.ceil(rows / benchDays)));
  const resources = Array.from({ length: resourceCount }, (_, i) => benchResource(seed, i));
  const next = mulberry32(DemoRandom.for(seed, 'bench').uint32());
  const account = `${csvCell(nimbus.billingAccountId)},${csvCell(nimbus.billingAccountName)},USD`;
  const startDay = monthStartDay(2026, 1);

  const out = createWriteStream(path);
  let failure: Error | undefined;
  out.on('error', (e) => (failure ??= e));
  let bytes = 0;
  let buffer = focusHeaderLine();
  const flush = async () => {
    if (failure) throw failure;
    bytes += Buffer.byteLength(buffer);
    const ok = out.write(buffer);
    buffer = '';
    if (!ok) await once(out, 'drain');
  };

  try {
    let written = 0;
    let monthKey = '';
    let period = '';
    let invoice = '';
    let monthDays = 31;
    for (let dayIndex = 0; written < rows; dayIndex++) {
      const day = startDay + dayIndex;
      const { year, month } = dateParts(day);
      const key = `${year}-${String(month).padStart(2, '0')}`;
      if (key !== monthKey) {
        monthKey = key;
        monthDays = daysInMonth(year, month);
        period = `,${isoTimestamp(monthStartDay(year, month))},${isoTimestamp(monthStartDay(year, month + 1))}`;
        invoice = `,${nimbus.invoicePrefix}-${year}${String(month).padStart(2, '0')}-${DemoRandom.for(seed, 'bench-invoice', key).hex(6).toUpperCase()}`;
      }
      const charge = `,${isoTimestamp(day)},${isoTimestamp(day + 1)}`;
      const prefix = account + period + charge;
      for (let i = 0; i < resources.length && written < rows; i++) {
        const r = resources[i]!;
        const qty = quantity(r, next, monthDays, dayIndex);
        const contracted = formatNanos(r.contractedMicros * qty);
        const q = formatMillis(qty);
        buffer +=
          prefix + r.head +
          `,${contracted},${contracted},${formatNanos(r.listMicros * qty)},${contracted}` +
          r.unitPrices + `,${q}` + r.pricing + `,${formatMillis(qty * r.consumedPer)}` + r.consumed +
          invoice + r.tail;
        written++;
        if (buffer.length >= flushAt) await flush();
      }
    }
    if (buffer) await flush();
    out.end();
    await finished(out);
    if (failure) throw failure;
    return { rows: written, bytes };
  } catch (e) {
    out.destroy();
    throw failure ?? e;
  }
}
