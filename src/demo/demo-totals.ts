// Exact running totals of the generated FOCUS lines (bigint nanos), from which the GL, budgets,
// forecast, manifest and README are derived.

import { cortex } from './demo-catalog.js';
import type { DemoCategory, DemoProvider } from './demo-catalog.js';
import type { DemoFocusLine } from './demo-focus-format.js';
import type { DemoPlan } from './demo-plan.js';

/** Row count and the four cost bases, in nanos. */
export interface CostSums {
  rows: number;
  billed: bigint;
  effective: bigint;
  list: bigint;
  contracted: bigint;
}

export function emptySums(): CostSums {
  return { rows: 0, billed: 0n, effective: 0n, list: 0n, contracted: 0n };
}

function addTo(s: CostSums, l: DemoFocusLine): void {
  s.rows++;
  s.billed += l.billedCost;
  s.effective += l.effectiveCost;
  s.list += l.listCost;
  s.contracted += l.contractedCost;
}

/** BilledCost of one invoice booked to one cost center and GL account. */
export interface GlBucket {
  readonly monthIndex: number;
  readonly provider: DemoProvider;
  readonly invoiceId: string;
  readonly costCenter: string;
  readonly glAccount: string;
  amount: bigint;
}

/** One month of the price-change SKU. */
export interface PriceChangeMonth {
  quantity: bigint;
  billed: bigint;
  effective: bigint;
}

export class DemoTotals {
  readonly all = emptySums();
  readonly files = new Map<string, CostSums>();
  /** Key `${monthIndex}|${slug}`. */
  readonly byMonthProvider = new Map<string, CostSums>();
  /** Key `${monthIndex}|${slug}|${invoiceId}|${costCenter}|${glAccount}`, in first-seen order. */
  readonly gl = new Map<string, GlBucket>();
  /** EffectiveCost by GL cost center, category and month; key `${costCenter}|${category}|${monthIndex}`. */
  readonly effectiveByBudgetKey = new Map<string, bigint>();
  readonly untagged: CostSums[];
  readonly misTagged: CostSums[];
  /** Commitment amortization per month: EffectiveCost of Used and Unused lines. */
  readonly amortizedUsed: bigint[];
  readonly amortizedUnused: bigint[];
  readonly priceChange: PriceChangeMonth[];
  readonly newAi = emptySums();

  constructor(private readonly plan: DemoPlan) {
    const n = plan.months.length;
    this.untagged = Array.from({ length: n }, emptySums);
    this.misTagged = Array.from({ length: n }, emptySums);
    this.amortizedUsed = Array.from({ length: n }, () => 0n);
    this.amortizedUnused = Array.from({ length: n }, () => 0n);
    this.priceChange = Array.from({ length: n }, () => ({ quantity: 0n, billed: 0n, effective: 0n }));
  }

  /** Registers a file before its lines (so empty files are listed too). */
  openFile(path: string): void {
    if (!this.files.has(path)) this.files.set(path, emptySums());
  }

  add(line: DemoFocusLine, path: string, monthIndex: number, provider: DemoProvider): void {
    addTo(this.all, line);
    const file = this.files.get(path) ?? emptySums();
    this.files.set(path, file);
    addTo(file, line);
    const mpKey = `${monthIndex}|${provider.slug}`;
    const mp = this.byMonthProvider.get(mpKey) ?? emptySums();
    this.byMonthProvider.set(mpKey, mp);
    addTo(mp, line);

    const m = line.meta;
    if (line.billedCost !== 0n) {
      const glKey = `${monthIndex}|${provider.slug}|${line.invoiceId}|${m.glCostCenter}|${m.glAccount}`;
      const bucket = this.gl.get(glKey);
      if (bucket) bucket.amount += line.billedCost;
      else this.gl.set(glKey, { monthIndex, provider, invoiceId: line.invoiceId, costCenter: m.glCostCenter, glAccount: m.glAccount, amount: line.billedCost });
    }
    const bKey = budgetKey(m.glCostCenter, m.category, monthIndex);
    this.effectiveByBudgetKey.set(bKey, (this.effectiveByBudgetKey.get(bKey) ?? 0n) + line.effectiveCost);

    if (m.tagStatus === 'untagged') addTo(this.untagged[monthIndex]!, line);
    else if (m.tagStatus === 'mis-tagged') addTo(this.misTagged[monthIndex]!, line);

    const cm = line.commitment;
    if (cm && cm.id === this.plan.commitment.id && line.chargeCategory === 'Usage') {
      if (cm.status === 'Used') this.amortizedUsed[monthIndex]! += line.effectiveCost;
      else this.amortizedUnused[monthIndex]! += line.effectiveCost;
    }
    if (line.skuId === this.plan.priceChange.resource.sku.skuId) {
      const pc = this.priceChange[monthIndex]!;
      pc.quantity += line.pricingQuantity ?? 0n;
      pc.billed += line.billedCost;
      pc.effective += line.effectiveCost;
    }
    if (provider.slug === cortex.slug) addTo(this.newAi, line);
  }

  /** Amortized commitment EffectiveCost in a month (Used + Unused). */
  amortized(monthIndex: number): bigint {
    return this.amortizedUsed[monthIndex]! + this.amortizedUnused[monthIndex]!;
  }
}

export function budgetKey(costCenter: string, category: DemoCategory | '', monthIndex: number): string {
  return `${costCenter}|${category}|${monthIndex}`;
}
