import { ensureUnattributedItems } from './list-unattributed-spend.js';
import { digestNewSpend, listUnclassifiedSpend } from './list-unclassified-spend.js';
import { parseBillingMonth, type BillingMonth } from '../domain/billing-month.js';
import { wallClock } from '../domain/cadence.js';
import {
  isStale,
  staleAfterDaysFor,
  monthsBefore,
  shareOf,
  significantComponents,
  worstFirst,
  type DigestBudgetRow,
  type DigestTrendPoint,
  type DigestUnattributed,
  type WeeklyDigest,
} from '../domain/digest.js';
import { addDays, dayOf, daysBetween } from '../domain/forecast-calendar.js';
import type { MaterialityThreshold } from '../domain/materiality.js';
import { Money, sumAmounts } from '../domain/money.js';
import { isAlerted, type AlertThresholds } from '../domain/unattributed-spend.js';
import { parseSharedFields } from '../domain/shared-fields.js';
import type { Store } from '../store/database.js';
import {
  decisionsBetween,
  periodTotals,
  providerFreshness,
  unattributedGroups,
  unknownCostCenterValues,
} from '../store/digest-facts.js';
import { loadPlanAmounts } from '../store/variance-plans.js';
import { buildHandoff } from './build-handoff.js';
import { listSavingItems } from './list-savings.js';
import { savingsLedger } from './savings-ledger.js';
import { describeClosure } from '../domain/period-close.js';
import { estimateVersusMeasured } from '../domain/saving-measurement.js';
import { frozenFacts } from '../store/cost-facts.js';
import { closedMonths } from '../store/period-closes.js';
import { sumByScope } from '../store/variance-price-keys.js';

/** What a weekly digest is built for. */
export interface BuildWeeklyDigestRequest {
  readonly cadence: string;
  /** The moment whose data the digest shows: the data cut is the last full day before it, the period that day's billing month. */
  readonly at: Date;
  /** When the digest is built (the real time; default `at`). */
  readonly generatedAt?: Date;
  /** `YYYY-MM-DD`: the day data before which counts, when known already (a View all list rebuilding a posted digest's cut); default the day of `at`. */
  readonly asOf?: string;
  /** IANA zone the day of `at` is read in. */
  readonly timezone: string;
  /** Cost centers the digest is limited to (empty: all, with unattributed and new spend). */
  readonly scope: readonly string[];
  /** The previous review of this cadence, for "since the last review" (null: the first). */
  readonly previousReviewAt: Date | null;
  readonly requiredFields: readonly string[];
  readonly governedCategories: readonly string[];
  readonly windowDays: number;
  readonly businessDays: number;
  readonly materiality: MaterialityThreshold;
  /** An open unattributed item counts as needing a claim when its effective cost reaches this amount or share (the alert thresholds). */
  readonly unattributedThresholds?: AlertThresholds;
  /** Data older than this many days before the review is flagged stale (default 3). */
  readonly staleAfterDays?: number;
  /** Rows kept in each list (default 10). */
  readonly topItems?: number;
  /** Months of history in the trend (default 3, the reviewed one included). */
  readonly trendMonths?: number;
  /** `COSTBRIDGE_UNATTRIBUTED_COST_CENTER`: the cost center whose budget the unattributed row is compared with. */
  readonly unattributedCostCenter?: string | null;
}

const unattributedScope = '(unattributed)';

/** The last day of `comparedWith` that "what moved" counts: as many days as `period` has before `asOf` (report-variance's like-for-like cut). */
function sameDaysThrough(period: BillingMonth, comparedWith: string, asOf: string): string {
  const prior = parseBillingMonth(comparedWith);
  const cut = addDays(dayOf(prior.start), daysBetween(dayOf(period.start), asOf));
  const end = dayOf(prior.end);
  return addDays(cut < end ? cut : end, -1);
}

/**
 * Assembles the weekly digest from the other areas' use cases: freshness, headline totals on both
 * bases, budget and forecast per cost center (the pre-close handoff's projection), what moved and
 * what needs explaining, unattributed spend and tag coverage, savings awaiting sign-off and
 * recognized, new unclassified spend, and the decisions since the last review.
 */
export async function buildWeeklyDigest(store: Store, r: BuildWeeklyDigestRequest): Promise<WeeklyDigest> {
  const asOf = r.asOf ?? wallClock(r.at, r.timezone).date;
  // One data cut for every figure: lines charged before `asOf`, i.e. through the day before it.
  const dataThrough = addDays(asOf, -1);
  const period = parseBillingMonth(dataThrough.slice(0, 7));
  const top = r.topItems ?? 10;
  const staleAfterDays = r.staleAfterDays ?? 3;
  const required = parseSharedFields(r.requiredFields);
  const scoped = r.scope.length > 0;
  const inScope = (cc: string) => !scoped || r.scope.includes(cc);

  const generatedAt = r.generatedAt ?? r.at;
  const trendKeys = Array.from({ length: Math.max(1, r.trendMonths ?? 3) }, (_, i) => monthsBefore(period.key, i)).reverse();
  // Every read below is independent of the others (the unattributed groups only wait for the
  // attribution area to store their items), so they all start at once: the digest takes as long as
  // its slowest read, not the sum of them.
  const [freshness, totals, handoff, awaiting, earlierTotals, unattributedReads, closed, ledger, unclassified, since] = await Promise.all([
    providerFreshness(store.db),
    periodTotals(store.db, period, required, r.scope, asOf),
    buildHandoff(store, { period, asOf, windowDays: r.windowDays, businessDays: r.businessDays, materiality: r.materiality, drivers: 3, rollup: true, unattributedCostCenter: r.unattributedCostCenter ?? null }),
    Promise.all([listSavingItems(store, { status: 'proposed' }), listSavingItems(store, { status: 'validated' })]).then(([a, b]) => [...a, ...b]),
    Promise.all(trendKeys.filter((key) => key !== period.key).map(async (key) => [key, await periodTotals(store.db, parseBillingMonth(key), required, r.scope, asOf)] as const)),
    scoped
      ? null
      : (async () => {
          // The attribution area gives each unattributed group its stable item id (what Claim acts on);
          // storing them first means every group the digest lists can be claimed from the digest.
          await ensureUnattributedItems(store, { period, requiredFields: r.requiredFields });
          return Promise.all([unattributedGroups(store.db, period, required, asOf), unknownCostCenterValues(store.db, period, top, asOf)]);
        })(),
    closedMonths(store.db),
    savingsLedger(store, { year: Number(period.key.slice(0, 4)) }),
    // The same decision as `costbridge unclassified` and Classify: every governed category, AI included.
    scoped ? null : listUnclassifiedSpend(store, { period, governedCategories: r.governedCategories, asOf }),
    decisionsBetween(store.db, r.previousReviewAt, generatedAt, top),
  ]);

  // The overview carries the unattributed (bridge) row, so its rows sum to the month's spend; an
  // owner's digest lists its cost centers (the carrier's comparison still includes what it carries).
  const handoffRows = handoff.rows.filter((row) => (row.costCenter === unattributedScope ? !scoped : inScope(row.costCenter)));
  // A row with nothing in it (no spend, budget, forecast or projection) says nothing and is left out;
  // rolled up, a row listed without its parent is top level in this digest.
  const shownRows = handoffRows.filter((row) => ![row.monthToDate, row.projectedWithPlannedActions, row.budget, row.itfmForecast].every((x) => new Money(x).isZero()));
  const listed = new Set(shownRows.map((row) => row.costCenter));
  const budgets: DigestBudgetRow[] = worstFirst(
    shownRows.map((row) => ({
      costCenter: row.costCenter,
      name: row.name,
      currency: row.currency,
      monthToDate: row.monthToDate,
      projected: row.projectedWithPlannedActions,
      budget: row.budget,
      itfmForecast: row.itfmForecast,
      differenceToBudget: row.differenceToBudget,
      differenceToForecast: row.differenceToForecast,
      material: row.material,
      depth: row.parent !== null && listed.has(row.parent) ? depthIn(shownRows, row.costCenter, listed) : 0,
      parent: row.parent !== null && listed.has(row.parent) ? row.parent : null,
      children: row.children,
      includesUnattributed: row.includesUnattributed,
      carriedBy: row.carriedBy,
    })),
  );
  const budgetTotals = [...new Set(budgets.map((b) => b.currency))].sort().map((currency) => {
    const top = budgets.filter((b) => b.currency === currency && (b.depth ?? 0) === 0);
    const sum = (f: (b: DigestBudgetRow) => string) => sumAmounts(top, f);
    return {
      currency,
      monthToDate: sum((b) => b.monthToDate),
      projected: sum((b) => b.projected),
      budget: sum((b) => b.budget),
      itfmForecast: sum((b) => b.itfmForecast),
      differenceToBudget: sum((b) => b.differenceToBudget),
      differenceToForecast: sum((b) => b.differenceToForecast),
    };
  });
  // Movers and explanations are cost centers' (unattributed spend is claimed, not explained).
  const attributedRows = handoffRows.filter((row) => row.costCenter !== unattributedScope);
  const movers = attributedRows
    .filter((row) => row.drivers !== null && !new Money(row.drivers.variance).isZero())
    .map((row) => ({ costCenter: row.costCenter, currency: row.currency, variance: new Money(row.drivers!.variance).toFixed(), components: significantComponents(row.drivers!.components) }))
    .sort((a, b) => new Money(b.variance).abs().cmp(new Money(a.variance).abs()) || a.costCenter.localeCompare(b.costCenter))
    .slice(0, 5);
  const openVariances = attributedRows
    .filter((row) => row.openVariances.length > 0)
    .map((row) => ({ costCenter: row.costCenter, currency: row.currency, components: row.openVariances.map((v) => ({ component: v.component, amount: new Money(v.amount).toFixed() })) }));

  let unattributed: DigestUnattributed[] | null = null;
  let trend: WeeklyDigest['trend'] = null;
  const earlier = new Map(earlierTotals);
  const history = trendKeys.map((key) => ({ key, totals: key === period.key ? totals : earlier.get(key)! }));
  if (unattributedReads) {
    const [groups, unknown] = unattributedReads;
    const thresholds = r.unattributedThresholds ?? { minAmount: '0', minShare: '0' };
    unattributed = totals.map((t) => {
      // A credit (net cost ≤ 0) is nothing to claim.
      const open = groups.filter((g) => g.currency === t.currency && new Money(g.effective).isPos() && isAlerted(g.status, g.effective, t.effective, thresholds));
      return {
      currency: t.currency,
      effective: new Money(t.effective).minus(t.attributedEffective).toFixed(),
      billed: new Money(t.billed).minus(t.attributedBilled).toFixed(),
      share: shareOf(new Money(t.effective).minus(t.attributedEffective).toFixed(), t.effective),
      topItems: open.slice(0, top).map(({ status: _status, ...item }) => item),
      openItems: open.length,
      unknownCostCenters: unknown.filter((u) => u.currency === t.currency).map((u) => ({ value: u.value, effective: u.effective, lines: u.lines })),
      coverageTrend: history.map((h) => {
        const m = h.totals.find((x) => x.currency === t.currency);
        return { period: h.key, share: m ? shareOf(m.attributedEffective, m.effective) : null };
      }),
      };
    });
  }
  const latestClose = [...closed.values()].filter((c) => c.period <= period.key).sort((a, b) => (a.period < b.period ? 1 : -1))[0];
  const mainCurrency = totals[0]?.currency;
  if (mainCurrency) {
    const points: DigestTrendPoint[] = [];
    for (const h of history) {
      const closure = closed.get(h.key);
      const plan = closure ? closure.plans.filter((p) => p.version === 'budget') : await loadPlanAmounts(store.db, 'budget', `${h.key}-01`);
      const budget = plan.filter((p) => p.currency === mainCurrency && inScope(p.costCenter)).reduce((s, p) => s.plus(p.amount), new Money(0));
      // A closed month's actual is its actual as closed.
      const actual = closure
        ? (await sumByScope(store.db, { facts: frozenFacts(closure.id, 'actual', parseBillingMonth(h.key)) }, 'effective', 'cost_center'))
            .filter((x) => x.currency === mainCurrency && (!scoped || (x.scope !== null && inScope(x.scope))))
            .reduce((s, x) => s.plus(x.cost), new Money(0))
            .toFixed()
        : (h.totals.find((x) => x.currency === mainCurrency)?.effective ?? '0');
      // Top-level rows only: a rolled-up parent already holds its children.
      const projected = h.key === period.key ? budgetTotals.find((t) => t.currency === mainCurrency)?.projected ?? '0' : null;
      points.push({ period: h.key, actual: new Money(actual).toFixed(), budget: budget.toFixed(), projected });
    }
    trend = { currency: mainCurrency, points };
  }

  const savingsAwaiting = awaiting
    .filter((s) => inScope(s.saving.costCenter))
    .map((s) => ({
      id: s.saving.id,
      title: s.saving.title,
      costCenter: s.saving.costCenter,
      type: s.saving.type,
      status: s.saving.status,
      estimateMonthly: s.saving.estimateMonthly,
      currency: s.saving.currency,
      measured: estimateVersusMeasured(s.measurement),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const recognized = new Map<string, { reduction: Money; avoidance: Money }>();
  for (const row of ledger.rows) {
    if (row.month !== period.key || !inScope(row.costCenter)) continue;
    const x = recognized.get(row.currency) ?? { reduction: new Money(0), avoidance: new Money(0) };
    recognized.set(row.currency, { reduction: x.reduction.plus(row.reduction), avoidance: x.avoidance.plus(row.avoidance) });
  }
  const allNewSpend = unclassified === null ? null : unclassified.vendors.map(digestNewSpend);
  const newSpend = allNewSpend === null ? null : allNewSpend.slice(0, top);
  const openItems = (unattributed ?? []).reduce((n, u) => n + u.openItems, 0);

  return {
    cadence: r.cadence,
    period: period.key,
    asOf,
    dataThrough,
    generatedAt: generatedAt.toISOString(),
    timezone: r.timezone,
    scope: [...r.scope],
    demo: totals.some((t) => t.demo),
    freshness: freshness.map((f) => ({
      provider: f.provider,
      lastImportAt: f.lastImportAt.toISOString(),
      lastChargeDate: f.lastChargeDate,
      staleAfterDays: staleAfterDaysFor(f.usageBased, staleAfterDays),
      stale: isStale(f.lastChargeDate, asOf, staleAfterDaysFor(f.usageBased, staleAfterDays)),
    })),
    staleAfterDays,
    headline: totals.map((t) => ({ currency: t.currency, effective: new Money(t.effective).toFixed(), billed: new Money(t.billed).toFixed(), lines: t.lines })),
    budgets,
    budgetTotals,
    unattributedCarriedBy: handoff.unattributedCarriedBy,
    movers,
    moversBasis: handoff.driversComparedWith ? { comparedWith: handoff.driversComparedWith.period, through: handoff.driversComparedWith.asOf === null ? null : sameDaysThrough(period, handoff.driversComparedWith.period, handoff.driversComparedWith.asOf) } : null,
    openVariances,
    unattributed,
    savingsAwaiting,
    savingsRecognized: [...recognized.entries()].map(([currency, x]) => ({ currency, reduction: x.reduction.toFixed(), avoidance: x.avoidance.toFixed() })),
    newSpend,
    sinceLast: {
      previousReviewAt: r.previousReviewAt ? r.previousReviewAt.toISOString() : null,
      decisionCount: since.total,
      decisions: since.decisions.map((d) => ({ at: d.at.toISOString(), actor: d.actor, surface: d.surface, action: d.action, subject: `${d.subjectType} ${d.subjectId}` })),
      stillOpen: { unattributedItems: openItems, openVariances: openVariances.length, savingsAwaiting: savingsAwaiting.length, newSpend: allNewSpend?.length ?? 0 },
    },
    trend,
    lastClose: latestClose ? describeClosure(latestClose) : null,
  };
}

/** How deep a row sits under the rows listed with it (its ancestors among them). */
function depthIn(rows: readonly { costCenter: string; parent: string | null }[], code: string, listed: ReadonlySet<string>): number {
  const parentOf = new Map(rows.map((r) => [r.costCenter, r.parent]));
  let depth = 0;
  const seen = new Set([code]);
  let p = parentOf.get(code) ?? null;
  while (p !== null && listed.has(p) && !seen.has(p)) {
    depth++;
    seen.add(p);
    p = parentOf.get(p) ?? null;
  }
  return depth;
}
