// The ITFM side of the demo: cost-center master data, budgets, forecast and GL actuals, all
// derived exactly from the FOCUS totals (plus the documented gaps).

import { demoCostCenters, demoProviders, glAccounts, ledgerly } from './demo-catalog.js';
import type { DemoCategory } from './demo-catalog.js';
import { nextMonthKey } from './demo-calendar.js';
import { csvLine } from './demo-focus-format.js';
import { divRound, formatNanos, roundToCents, roundToUnits } from './demo-money.js';
import type { DemoPlan } from './demo-plan.js';
import { DemoRandom } from './demo-random.js';
import { budgetKey } from './demo-totals.js';
import type { DemoTotals } from './demo-totals.js';

export const costCenterHeader = ['code', 'name', 'parent', 'owner', 'legal_entity', 'chat_channel'] as const;
export const budgetHeader = ['cost_center', 'category', 'month', 'amount', 'currency', 'version'] as const;
export const glHeader = ['period', 'cost_center', 'gl_account', 'vendor', 'invoice_id', 'amount', 'currency', 'description'] as const;

/** itfm/cost-centers.csv, parents before children; `chat_channel` empty unless `channels`. */
export function costCentersCsv(channels = false): string {
  let out = csvLine(costCenterHeader);
  for (const c of demoCostCenters) out += csvLine([c.code, c.name, c.parent, c.owner, c.legalEntity, channels ? c.chatChannel : '']);
  return out;
}

/** One GL actual line, amount in nanos. */
export interface DemoGlLine {
  readonly period: string;
  readonly costCenter: string;
  readonly glAccount: string;
  readonly vendor: string;
  readonly invoiceId: string;
  readonly amount: bigint;
  readonly description: string;
  /** The billing month (`YYYY-MM`) of the invoice the line books. */
  readonly billedPeriod: string;
}

const accountNames: ReadonlyMap<string, string> = new Map(Object.values(glAccounts).map((a) => [a.code, a.name]));

/**
 * GL actuals: BilledCost per invoice, cost center and GL account, booked in the billing month,
 * except the one late invoice (Ledgerly's invoice of the accrual month) booked one period later.
 * The commitment purchase is expensed when billed (the amortization gap).
 */
export function glLines(plan: DemoPlan, totals: DemoTotals): DemoGlLine[] {
  const providerOrder = new Map(demoProviders.map((p, i) => [p.slug, i]));
  const lines = [...totals.gl.values()].map((b) => {
    const billedPeriod = plan.months[b.monthIndex]!.key;
    const late = b.provider.slug === ledgerly.slug && b.monthIndex === plan.accrualMonthIndex;
    const period = late ? nextMonthKey(billedPeriod) : billedPeriod;
    const what = accountNames.get(b.glAccount) ?? b.glAccount;
    const description = late
      ? `${b.provider.providerName} invoice ${b.invoiceId} (${billedPeriod}): ${what}; received after the ${billedPeriod} close, booked in ${period}`
      : `${b.provider.providerName} invoice ${b.invoiceId} (${billedPeriod}): ${what}`;
    return {
      period,
      costCenter: b.costCenter,
      glAccount: b.glAccount,
      vendor: b.provider.invoiceIssuerName,
      invoiceId: b.invoiceId,
      amount: b.amount,
      description,
      billedPeriod,
      order: providerOrder.get(b.provider.slug) ?? 99,
    };
  });
  lines.sort(
    (a, b) =>
      cmp(a.period, b.period) || a.order - b.order || cmp(a.invoiceId, b.invoiceId) || cmp(a.costCenter, b.costCenter) || cmp(a.glAccount, b.glAccount),
  );
  return lines.map(({ order: _order, ...l }) => l);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function glCsv(lines: readonly DemoGlLine[]): string {
  let out = csvLine(glHeader);
  for (const l of lines) out += csvLine([l.period, l.costCenter, l.glAccount, l.vendor, l.invoiceId, formatNanos(l.amount), 'USD', l.description]);
  return out;
}

/** One budget or forecast line, amount in nanos (whole cents). */
export interface DemoPlanLine {
  readonly costCenter: string;
  readonly category: DemoCategory | '';
  readonly month: string;
  readonly amount: bigint;
  readonly version: 'budget' | 'forecast';
}

const categories: readonly DemoCategory[] = ['cloud', 'saas', 'ai'];

/** (cost center, category) pairs to plan: those with spend, or one uncategorised line for the rest. */
function planKeys(plan: DemoPlan, totals: DemoTotals): Array<{ costCenter: string; category: DemoCategory | '' }> {
  const keys: Array<{ costCenter: string; category: DemoCategory | '' }> = [];
  for (const cc of demoCostCenters) {
    const used = categories.filter((cat) => plan.months.some((m) => (totals.effectiveByBudgetKey.get(budgetKey(cc.code, cat, m.index)) ?? 0n) !== 0n));
    if (used.length === 0) keys.push({ costCenter: cc.code, category: '' });
    else for (const cat of used) keys.push({ costCenter: cc.code, category: cat });
  }
  return keys;
}

/** Per (cost center, category): the average complete-month EffectiveCost, the plan both budget and forecast start from. */
function planBaseline(plan: DemoPlan, totals: DemoTotals, k: { costCenter: string; category: DemoCategory | '' }): bigint {
  const complete = plan.months.filter((m) => m.complete);
  if (k.category === '' || complete.length === 0) return 0n;
  const sum = complete.reduce((s, m) => s + (totals.effectiveByBudgetKey.get(budgetKey(k.costCenter, k.category, m.index)) ?? 0n), 0n);
  return divRound(sum, BigInt(complete.length));
}

/**
 * Budgets (EffectiveCost basis): per cost center and category, the plan baseline (average
 * complete-month EffectiveCost) times a seeded 90-120%, rounded to whole dollars, the same every
 * month; zero where there was no spend in complete months (new spend is unbudgeted).
 */
export function budgetLines(plan: DemoPlan, totals: DemoTotals): DemoPlanLine[] {
  const out: DemoPlanLine[] = [];
  for (const k of planKeys(plan, totals)) {
    const percent = BigInt(DemoRandom.for(plan.params.seed, 'budget', k.costCenter, k.category).int(90, 120));
    const amount = roundToUnits(divRound(planBaseline(plan, totals, k) * percent, 100n));
    for (const m of plan.months) out.push({ ...k, month: m.key, amount, version: 'budget' });
  }
  return out;
}

/**
 * Forecast (EffectiveCost basis): complete months carry their actual EffectiveCost; the month to
 * date follows the same plan as the budget: the plan baseline, or the spend to date where that is
 * already higher (new spend has no baseline). Never a day-count projection: a monthly license
 * charged on the 1st would be multiplied by days-in-month / days-elapsed. Rounded to cents.
 */
export function forecastLines(plan: DemoPlan, totals: DemoTotals): DemoPlanLine[] {
  const out: DemoPlanLine[] = [];
  for (const k of planKeys(plan, totals)) {
    const baseline = planBaseline(plan, totals, k);
    for (const m of plan.months) {
      const actual = k.category === '' ? 0n : (totals.effectiveByBudgetKey.get(budgetKey(k.costCenter, k.category, m.index)) ?? 0n);
      const amount = m.complete ? actual : actual > baseline ? actual : baseline;
      out.push({ ...k, month: m.key, amount: roundToCents(amount), version: 'forecast' });
    }
  }
  return out;
}

export function planCsv(lines: readonly DemoPlanLine[]): string {
  let out = csvLine(budgetHeader);
  for (const l of lines) out += csvLine([l.costCenter, l.category, l.month, formatNanos(l.amount), 'USD', l.version]);
  return out;
}
