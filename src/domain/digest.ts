import { handoffDate } from './business-days.js';
import { Money } from './money.js';
import { sortComparisonRows, unattributedScope } from './cost-center-rollup.js';

// The weekly digest as plain data: what the joint review looks at, assembled from the other areas'
// use cases by src/app/build-weekly-digest.ts and turned into a message by
// src/messages/views/weekly-digest.ts. Amounts are exact decimal strings.

/** How fresh one provider's data is. */
export interface DigestFreshness {
  readonly provider: string;
  /** ISO instant of the latest import holding its lines. */
  readonly lastImportAt: string;
  /** `YYYY-MM-DD`: the latest day a usage charge is known for. */
  readonly lastChargeDate: string;
  /** Days behind the review after which it counts as stale: short for usage billing, a month for monthly invoices. */
  readonly staleAfterDays: number;
  readonly stale: boolean;
}

/** A headline total of the period to date on both bases. */
export interface DigestHeadline {
  readonly currency: string;
  readonly effective: string;
  readonly billed: string;
  readonly lines: number;
}

/** One cost center's budget and forecast position (EffectiveCost). */
export interface DigestBudgetRow {
  readonly costCenter: string;
  readonly name: string | null;
  readonly currency: string;
  readonly monthToDate: string;
  /** FinOps run-rate projection of period end, with planned actions. */
  readonly projected: string;
  readonly budget: string;
  /** The ITFM forecast. */
  readonly itfmForecast: string;
  /** (projected, plus the unattributed projection on the row carrying it) - budget. */
  readonly differenceToBudget: string;
  readonly differenceToForecast: string;
  readonly material: boolean;
  /** 0 (or absent) for a top-level row; a rolled-up child is one deeper than its parent. */
  readonly depth?: number;
  readonly parent?: string | null;
  /** Cost centers rolled into this row ("incl. N children"). */
  readonly children?: number;
  /** Unattributed projection inside this row's comparison (the carrier and its ancestors). */
  readonly includesUnattributed?: string | null;
  /** On the unattributed row: the cost center whose comparison includes it. */
  readonly carriedBy?: string | null;
}

/** The sum of the budget table's top-level rows in one currency: month to date equals `report spend` to the digest's day. */
export type DigestBudgetTotal = Pick<DigestBudgetRow, 'currency' | 'monthToDate' | 'projected' | 'budget' | 'itfmForecast' | 'differenceToBudget' | 'differenceToForecast'>;

/** A variance component and its amount. */
export interface DigestComponent {
  readonly component: string;
  readonly amount: string;
}

/** What moved a cost center's spend, month to date against the same days of the previous month. */
export interface DigestMover {
  readonly costCenter: string;
  readonly currency: string;
  readonly variance: string;
  readonly components: readonly DigestComponent[];
}

/** A material variance still waiting for its owner's explanation. */
export interface DigestOpenVariance {
  readonly costCenter: string;
  readonly currency: string;
  readonly components: readonly DigestComponent[];
}

/** A claimable group of unattributed spend. */
export interface DigestUnattributedItem {
  /** The attribution area's item id (Claim needs it), or null when it has not recorded the group yet. */
  readonly itemId: string | null;
  readonly provider: string;
  readonly billingAccountId: string;
  readonly subAccountId: string;
  readonly service: string;
  readonly currency: string;
  readonly effective: string;
  readonly billed: string;
  readonly lines: number;
}

/** Unattributed spend of the period, per currency, with what to do about it. */
export interface DigestUnattributed {
  readonly currency: string;
  readonly effective: string;
  readonly billed: string;
  /** Share of the period's effective cost, 4 decimals (null when the total is 0). */
  readonly share: string | null;
  /** The largest open items above the alert thresholds (at most the digest's list size). */
  readonly topItems: readonly DigestUnattributedItem[];
  /** How many open items are above the alert thresholds in all (the true count, not the list size). */
  readonly openItems: number;
  readonly unknownCostCenters: readonly { readonly value: string; readonly effective: string; readonly lines: number }[];
  /** Tag coverage (required fields, by effective cost) of recent months, oldest first. */
  readonly coverageTrend: readonly { readonly period: string; readonly share: string | null }[];
}

/** A saving waiting for ITFM sign-off. */
export interface DigestSavingAwaiting {
  readonly id: string;
  readonly title: string;
  readonly costCenter: string;
  readonly type: 'reduction' | 'avoidance';
  readonly status: string;
  readonly estimateMonthly: string;
  readonly currency: string;
  /** Estimate vs measured over the months measured so far (null before any); price effect apart. */
  readonly measured?: {
    readonly estimate: string;
    readonly measured: string;
    readonly difference: string;
    readonly priceEffect: string | null;
    readonly months: number;
  } | null;
}

/** Savings recognized for the period, reduction and avoidance kept apart. */
export interface DigestSavingsRecognized {
  readonly currency: string;
  readonly reduction: string;
  readonly avoidance: string;
}

/** New spend without a contract classification. */
export interface DigestNewSpend {
  readonly vendor: string;
  readonly serviceCategory: string | null;
  readonly service: string | null;
  readonly currency: string;
  readonly effective: string;
  readonly billed: string;
  readonly lines: number;
  /** true: the vendor never billed before this month; false: a governed-category line without a contract. */
  readonly newVendor: boolean;
}

/** A decision recorded since the last review. */
export interface DigestDecision {
  readonly at: string;
  readonly actor: string;
  readonly surface: string;
  readonly action: string;
  readonly subject: string;
}

/** Since the last review: what was decided and what is still open. */
export interface DigestSinceLast {
  /** ISO instant of the previous run of this cadence, or null for the first review. */
  readonly previousReviewAt: string | null;
  readonly decisionCount: number;
  readonly decisions: readonly DigestDecision[];
  /** True counts of what is still open (not capped by the list sizes). */
  readonly stillOpen: {
    readonly unattributedItems: number;
    readonly openVariances: number;
    readonly savingsAwaiting: number;
    readonly newSpend: number;
  };
}

/** Monthly spend against budget and projection, for the chart (EffectiveCost, one currency). */
export interface DigestTrendPoint {
  readonly period: string;
  readonly actual: string;
  readonly budget: string;
  /** Projected period end (the open month only), else null. */
  readonly projected: string | null;
}

/** Everything a weekly digest shows. */
export interface WeeklyDigest {
  readonly cadence: string;
  /** `YYYY-MM`: the billing month reviewed, to date. */
  readonly period: string;
  /** `YYYY-MM-DD`: data before this day counts. */
  readonly asOf: string;
  /** `YYYY-MM-DD`: the data cut, the last day counted (the day before `asOf`): every figure of the digest is from it. */
  readonly dataThrough: string;
  /** ISO instant the digest was built (the real time, not the cadence's scheduled slot). */
  readonly generatedAt: string;
  readonly timezone: string;
  /** Cost centers this digest is limited to (empty: all, the joint overview). */
  readonly scope: readonly string[];
  readonly demo: boolean;
  readonly freshness: readonly DigestFreshness[];
  readonly staleAfterDays: number;
  readonly headline: readonly DigestHeadline[];
  /** Budget and forecast per cost center, the unattributed (bridge) row included, rolled up along the hierarchy. */
  readonly budgets: readonly DigestBudgetRow[];
  /** The budget rows' totals (top-level rows only). */
  readonly budgetTotals?: readonly DigestBudgetTotal[];
  /** The cost center whose budget the unattributed row is compared with (`COSTBRIDGE_UNATTRIBUTED_COST_CENTER`), or null. */
  readonly unattributedCarriedBy?: string | null;
  readonly movers: readonly DigestMover[];
  /** What "what moved" compares: month to date through `dataThrough` against the same days of `comparedWith` (null: nothing to compare). */
  readonly moversBasis: { readonly comparedWith: string; readonly through: string | null } | null;
  readonly openVariances: readonly DigestOpenVariance[];
  /** Null in an owner's digest (unattributed spend is nobody's yet: it goes to the overview). */
  readonly unattributed: readonly DigestUnattributed[] | null;
  readonly savingsAwaiting: readonly DigestSavingAwaiting[];
  readonly savingsRecognized: readonly DigestSavingsRecognized[];
  /** The largest new-spend vendors (at most the digest's list size); null in an owner's digest. */
  readonly newSpend: readonly DigestNewSpend[] | null;
  readonly sinceLast: DigestSinceLast;
  readonly trend: { readonly currency: string; readonly points: readonly DigestTrendPoint[] } | null;
  /** The latest period close up to the reviewed month in words ("October 2026 closed on 2026-11-05 by …"), if any. */
  readonly lastClose?: string | null;
}

/** One thing the review should act on, stored with the run (the minutes' agenda). */
export interface AgendaItem {
  readonly section: 'explain-variance' | 'claim-spend' | 'sign-off-saving' | 'classify-spend' | 'over-budget' | 'stale-data' | 'handoff' | 'showback';
  readonly subjectType: string;
  readonly subjectId: string;
  readonly summary: string;
}

/** Whether a provider's data is stale: its last charge day is more than `staleAfterDays` days before `asOf`. */
/** How far behind a provider's data may be: a vendor that invoices by the month (no usage-based charges) is current until a monthly cycle is missed. */
export function staleAfterDaysFor(usageBased: boolean, usageStaleAfterDays: number): number {
  return usageBased ? usageStaleAfterDays : 35;
}

/** Whether the latest charge is more than `staleAfterDays` before the review day. */
export function isStale(lastChargeDate: string, asOf: string, staleAfterDays: number): boolean {
  const behind = (Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${lastChargeDate}T00:00:00Z`)) / 86_400_000;
  return behind > staleAfterDays;
}

/** The budget rows worst first: the largest projected overrun of budget first, then by code; a rolled-up child stays under its parent. */
export function worstFirst(rows: readonly DigestBudgetRow[]): DigestBudgetRow[] {
  const worse = (a: DigestBudgetRow, b: DigestBudgetRow) => new Money(b.differenceToBudget).cmp(a.differenceToBudget) || a.costCenter.localeCompare(b.costCenter) || a.currency.localeCompare(b.currency);
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  return currencies.flatMap((c) => sortComparisonRows(rows.filter((r) => r.currency === c).map((r) => ({ ...r, parent: r.parent ?? null })), worse, (r) => r.costCenter));
}

/**
 * Whether a budget row is an item to act on: materially projected over budget, and (rolled up) not
 * a parent whose overrun a child already shows as material, so one overrun is one item.
 */
export function overBudgetItems(rows: readonly DigestBudgetRow[]): DigestBudgetRow[] {
  const over = rows.filter((r) => r.material && r.carriedBy == null && new Money(r.differenceToBudget).isPos());
  const parentOf = new Map(rows.map((r) => [`${r.currency}|${r.costCenter}`, r.parent ?? null]));
  const hasFlaggedChild = new Set<string>();
  for (const r of over) {
    const seen = new Set<string>();
    let p = parentOf.get(`${r.currency}|${r.costCenter}`) ?? null;
    while (p !== null && !seen.has(p)) {
      seen.add(p);
      hasFlaggedChild.add(`${r.currency}|${p}`);
      p = parentOf.get(`${r.currency}|${p}`) ?? null;
    }
  }
  return over.filter((r) => !hasFlaggedChild.has(`${r.currency}|${r.costCenter}`));
}

/** Non-zero components, largest absolute amount first. */
export function significantComponents(components: Readonly<Record<string, string>>): DigestComponent[] {
  return Object.entries(components)
    .filter(([, amount]) => !new Money(amount).isZero())
    .map(([component, amount]) => ({ component, amount: new Money(amount).toFixed() }))
    .sort((a, b) => new Money(b.amount).abs().cmp(new Money(a.amount).abs()) || a.component.localeCompare(b.component));
}

/** The agenda of a digest: everything it asks someone to act on. */
export function digestAgenda(d: WeeklyDigest): AgendaItem[] {
  const items: AgendaItem[] = [];
  for (const f of d.freshness) if (f.stale) items.push({ section: 'stale-data', subjectType: 'provider', subjectId: f.provider, summary: `${f.provider} data ends ${f.lastChargeDate}` });
  // Uncarried unattributed spend is on the agenda as spend to claim, not as an overrun.
  for (const b of overBudgetItems(d.budgets)) {
    if (b.costCenter === unattributedScope) continue;
    items.push({ section: 'over-budget', subjectType: 'cost-center', subjectId: b.costCenter, summary: `projected ${b.differenceToBudget} ${b.currency} over budget` });
  }
  for (const v of d.openVariances) {
    items.push({ section: 'explain-variance', subjectType: 'variance', subjectId: `${d.period}/${v.costCenter}`, summary: `unexplained: ${v.components.map((c) => `${c.component} ${c.amount}`).join(', ')} ${v.currency}` });
  }
  for (const u of d.unattributed ?? []) {
    for (const i of u.topItems) {
      items.push({
        section: 'claim-spend',
        subjectType: i.itemId ? 'unattributed-item' : 'unattributed-group',
        subjectId: i.itemId ?? [d.period, i.provider, i.billingAccountId, i.subAccountId, i.service].join('/'),
        summary: `${i.provider} ${i.service}: ${i.effective} ${i.currency} effective`,
      });
    }
  }
  for (const s of d.savingsAwaiting) items.push({ section: 'sign-off-saving', subjectType: 'saving', subjectId: s.id, summary: `${s.title}: ${s.estimateMonthly} ${s.currency} a month (${s.status})` });
  for (const n of d.newSpend ?? []) items.push({ section: 'classify-spend', subjectType: 'vendor', subjectId: n.vendor, summary: `${n.effective} ${n.currency} effective without a contract` });
  return items;
}

/** The share `part / total` to 4 decimals, or null when the total is 0. */
export function shareOf(part: string, total: string): string | null {
  const t = new Money(total);
  return t.isZero() ? null : new Money(part).div(t).toDecimalPlaces(4, Money.ROUND_HALF_UP).toFixed(4);
}

/** `YYYY-MM` of a month `n` months before `YYYY-MM`. */
export function monthsBefore(period: string, n: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}

/** The monthly cadence kinds: they post once per billing month, at their first occurrence on or after the day it is due. */
export type MonthlyReviewKind = 'pre-close-handoff' | 'monthly-showback';

/** The month a monthly cadence reviews on a local day, and the first day it may post it. */
export interface MonthlyReviewDue {
  /** `YYYY-MM`. */
  readonly period: string;
  /** `YYYY-MM-DD`: the first day the review of `period` is posted. */
  readonly dueOn: string;
  /** Whether `asOf` is on or after `dueOn`. */
  readonly due: boolean;
}

/**
 * Which month a monthly kind reviews on the local day `asOf`: the pre-close handoff reviews the open
 * month and is due on its handoff date (`businessDays` business days before its last business day);
 * the showback reviews the month before, due from the first day after it closed. A cron that fires
 * daily therefore posts on the due day, and a weekly one at its first occurrence after it; the
 * caller posts a month once (the agenda's marker) and stays quiet on the other occurrences.
 */
export function monthlyReviewDue(kind: MonthlyReviewKind, asOf: string, businessDays: number): MonthlyReviewDue {
  const month = asOf.slice(0, 7);
  if (kind === 'pre-close-handoff') {
    const dueOn = handoffDate(month, businessDays);
    return { period: month, dueOn, due: asOf >= dueOn };
  }
  return { period: monthsBefore(month, 1), dueOn: `${month}-01`, due: true };
}

/** Whether an agenda already holds the marker that a monthly kind posted `period`. */
export function monthlyReviewPosted(kind: MonthlyReviewKind, agenda: readonly AgendaItem[], period: string): boolean {
  const section = kind === 'pre-close-handoff' ? 'handoff' : 'showback';
  return agenda.some((a) => a.section === section && a.subjectType === 'period' && a.subjectId === period);
}

/** The agenda marker recording that a monthly kind posted `period`. */
export function monthlyReviewMarker(kind: MonthlyReviewKind, period: string, summary: string): AgendaItem {
  return { section: kind === 'pre-close-handoff' ? 'handoff' : 'showback', subjectType: 'period', subjectId: period, summary };
}
