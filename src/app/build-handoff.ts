import type { BillingMonth } from '../domain/billing-month.js';
import { handoffDate } from '../domain/business-days.js';
import { dayOf } from '../domain/forecast-calendar.js';
import type { PlannedSavingEffect } from '../domain/forecast-planned-savings.js';
import { isMaterial, type MaterialityThreshold } from '../domain/materiality.js';
import { Money, sumAmounts } from '../domain/money.js';
import { spendDimensions } from '../domain/spend-dimensions.js';
import type { VarianceComponentName, VarianceComponents } from '../domain/variance-components.js';
import type { KeyEffect } from '../domain/variance-decomposition.js';
import type { Store } from '../store/database.js';
import { loadPlanAmounts } from '../store/variance-plans.js';
import { loadCostCenterContacts, loadThresholds } from '../store/variance-thresholds.js';
import { forecastPeriod, type ForecastAssumptions } from './forecast-period.js';
import { describeClosure } from '../domain/period-close.js';
import { frozenFacts } from '../store/cost-facts.js';
import { liveFactsFor } from '../store/cost-rollup.js';
import { sumByScope } from '../store/variance-price-keys.js';
import { periodStatus, type ClosedStatus } from './closed-period-status.js';
import { reportVariance, type VarianceRow } from './report-variance.js';
import { comparedScopes, comparisonScopes, sortComparisonRows, topLevel, unattributedScope } from '../domain/cost-center-rollup.js';
import { loadComparisonHierarchy } from './comparison-hierarchy.js';

/** The pre-close handoff request. */
export interface HandoffRequest {
  readonly period: BillingMonth;
  /** `YYYY-MM-DD` (the CLI defaults to today). */
  readonly asOf: string;
  readonly windowDays: number;
  /** config.variance.handoffBusinessDays. */
  readonly businessDays: number;
  readonly materiality: MaterialityThreshold;
  /** Top drivers per cost center (default 5). */
  readonly drivers?: number | undefined;
  /** Roll descendants into their parents along master data's parent codes (default true). */
  readonly rollup?: boolean | undefined;
  /** `COSTBRIDGE_UNATTRIBUTED_COST_CENTER`: its budget and forecast are compared with its own plus the unattributed projection. */
  readonly unattributedCostCenter?: string | null | undefined;
}

/** What ITFM gets for one cost center before close (EffectiveCost basis). */
export interface HandoffRow {
  readonly costCenter: string;
  readonly name: string | null;
  readonly owner: string | null;
  readonly currency: string;
  readonly monthToDate: string;
  /** Projected period-end actual, baseline trajectory. */
  readonly projected: string;
  /** Projected period-end actual with planned actions. */
  readonly projectedWithPlannedActions: string;
  /** Budget net of revisions. */
  readonly budget: string;
  /** The ITFM forecast. */
  readonly itfmForecast: string;
  /**
   * What budget and forecast are compared with: projectedWithPlannedActions, plus the unattributed
   * projection on the row carrying it, 0 on the carried unattributed row.
   */
  readonly comparedProjection: string;
  /** comparedProjection - budget. */
  readonly differenceToBudget: string;
  /** comparedProjection - itfmForecast. */
  readonly differenceToForecast: string;
  /** 0 for a top-level row; a rolled-up child is one deeper than its parent. */
  readonly depth: number;
  readonly parent: string | null;
  /** Cost centers rolled into this row ("incl. N children"). */
  readonly children: number;
  /** Unattributed projection inside comparedProjection (the carrier and its ancestors), else null. */
  readonly includesUnattributed: string | null;
  /** On the unattributed row: the cost center whose comparison includes it, else null. */
  readonly carriedBy: string | null;
  /** Whether differenceToBudget is material. */
  readonly material: boolean;
  /** Month to date vs the same days of the previous month: its components and top price keys. */
  readonly drivers: { readonly variance: string; readonly components: VarianceComponents; readonly keys: readonly KeyEffect[] } | null;
  readonly plannedActions: readonly PlannedSavingEffect[];
  readonly openVariances: ReadonlyArray<{ readonly component: VarianceComponentName; readonly amount: string }>;
  /** For a closed period: month to date live minus as closed (a change since close); null when open. */
  readonly postCloseAdjustment: string | null;
}

/** The pre-close package for ITFM, per cost center. */
export interface Handoff {
  readonly period: string;
  readonly asOf: string;
  /** When the handoff is due: `businessDays` business days before the period's last business day. */
  readonly handoffDate: string;
  readonly basis: 'effective';
  readonly assumptions: ForecastAssumptions;
  /** Period the drivers compare against and up to which day (null: whole months). */
  readonly driversComparedWith: { readonly period: string; readonly asOf: string | null } | null;
  readonly rows: readonly HandoffRow[];
  /** Set when the period is closed: month to date, projection, budget and forecast as closed. */
  readonly closed: ClosedStatus | null;
  /** The latest close before this period in words ("October 2026 closed on 2026-11-05 by …"), if any. */
  readonly lastClose: string | null;
  readonly rollup: boolean;
  /** The cost center carrying the unattributed row's comparison, or null. */
  readonly unattributedCarriedBy: string | null;
  /** Per currency, the sum of the top-level rows (month to date: `report spend` up to as-of). */
  readonly totals: readonly HandoffTotal[];
}

/** The sum of a handoff's top-level rows in one currency. */
export type HandoffTotal = Pick<
  HandoffRow,
  'currency' | 'monthToDate' | 'projected' | 'projectedWithPlannedActions' | 'budget' | 'itfmForecast' | 'differenceToBudget' | 'differenceToForecast'
>;

/**
 * Builds the pre-close handoff: per cost center the run-rate projection (baseline and with planned
 * actions), the budget and ITFM forecast and the differences, the top variance drivers of the month
 * to date (like for like against the previous month), planned actions, and open material variances.
 */
export async function buildHandoff(store: Store, request: HandoffRequest): Promise<Handoff> {
  const { period } = request;
  const costCenter = spendDimensions.find((d) => d.name === 'cost-center')!;
  const started = request.asOf > dayOf(period.start);
  // The projection and the drivers read different facts and neither needs the other: both at once.
  const [forecast, variance] = await Promise.all([
    forecastPeriod(store, { period, asOf: request.asOf, basis: 'effective', windowDays: request.windowDays }),
    started
      ? reportVariance(store, {
          period,
          against: 'previous',
          basis: 'effective',
          by: costCenter,
          asOf: request.asOf,
          drivers: request.drivers ?? 5,
          materiality: request.materiality,
          ledger: false,
        })
      : undefined,
  ]);
  const month = period.start.slice(0, 10);
  const { closed, status } = await periodStatus(store, period);
  const closure = closed.get(period.key);
  const plansOf = async (version: 'budget' | 'forecast') =>
    closure ? closure.plans.filter((p) => p.version === version) : loadPlanAmounts(store.db, version, month);
  const [budget, itfm] = await Promise.all([plansOf('budget'), plansOf('forecast')]);
  const earlier = [...closed.values()].filter((c) => c.period < period.key).sort((a, b) => (a.period < b.period ? 1 : -1))[0];
  // Month to date (lines charged before as-of) live minus as closed, per cost center.
  const postClose = new Map<string, string>();
  if (closure) {
    const cutoff = `${forecast.assumptions.asOf}T00:00:00.000Z`;
    const [live, frozen] = await Promise.all([
      sumByScope(store.db, { facts: liveFactsFor(period, [costCenter.column, 'charge_period_start']), chargedBefore: cutoff }, 'effective', costCenter.column),
      sumByScope(store.db, { facts: frozenFacts(closure.id, 'actual', period), chargedBefore: cutoff }, 'effective', costCenter.column),
    ]);
    for (const r of live) postClose.set(JSON.stringify([r.scope ?? costCenter.emptyLabel, r.currency]), r.cost);
    for (const r of frozen) {
      const k = JSON.stringify([r.scope ?? costCenter.emptyLabel, r.currency]);
      postClose.set(k, new Money(postClose.get(k) ?? 0).minus(r.cost).toFixed());
    }
  }

  const key = (scope: string, currency: string) => JSON.stringify([scope, currency]);
  const sum = (lines: readonly { costCenter: string; currency: string; amount: string }[]) => {
    const m = new Map<string, Money>();
    for (const l of lines) m.set(key(l.costCenter, l.currency), (m.get(key(l.costCenter, l.currency)) ?? new Money(0)).plus(l.amount));
    return m;
  };
  const budgets = sum(budget);
  const itfmForecasts = sum(itfm);
  const projections = new Map(forecast.rows.map((r) => [key(r.scope, r.currency), r]));
  const drivers = new Map<string, VarianceRow>((variance?.rows ?? []).map((r) => [key(r.scope, r.currency), r]));
  const keys = new Set([...projections.keys(), ...budgets.keys(), ...itfmForecasts.keys(), ...[...postClose].filter(([, v]) => !new Money(v).isZero()).map(([k]) => k)]);
  const hierarchy = await loadComparisonHierarchy(store, request.unattributedCostCenter);
  const shape = { rollup: request.rollup !== false, carrier: hierarchy.carrier };
  type Leaf = { monthToDate: Money; projected: Money; withActions: Money; budget: Money; forecast: Money; postClose: Money };
  const leaves = new Map<string, Leaf>();
  for (const k of keys) {
    const p = projections.get(k);
    const leaf = {
      monthToDate: new Money(p?.monthToDate ?? 0),
      projected: new Money(p?.baseline ?? 0),
      withActions: new Money(p?.withPlannedActions ?? 0),
      budget: budgets.get(k) ?? new Money(0),
      forecast: itfmForecasts.get(k) ?? new Money(0),
      postClose: new Money(postClose.get(k) ?? 0),
    };
    // A zero row with no budget (and, rolled up, no children) says nothing: a parent returns through its children.
    if (Object.values(leaf).every((v) => v.isZero()) && !(p?.plannedSavings.length)) continue;
    leaves.set(k, leaf);
  }
  const currencies = [...new Set([...leaves.keys()].map((k) => (JSON.parse(k) as [string, string])[1]))].sort();
  const shaped = currencies.map((currency) => ({
    currency,
    scopes: comparisonScopes(
      [...leaves.keys()].map((k) => JSON.parse(k) as [string, string]).filter(([, c]) => c === currency).map(([scope]) => scope),
      hierarchy.parents,
      shape,
    ),
  }));
  const codes = shaped.flatMap((x) => x.scopes.map((r) => r.scope));
  const [contacts, thresholds] = await Promise.all([loadCostCenterContacts(store.db, codes), loadThresholds(store.db)]);

  const rows: HandoffRow[] = shaped.flatMap(({ currency, scopes }) =>
    scopes.map((shapeRow): HandoffRow => {
      const scope = shapeRow.scope;
      const k = key(scope, currency);
      const over = (list: readonly string[], f: (l: Leaf) => Money) => list.reduce((s, m) => s.plus(leaves.has(key(m, currency)) ? f(leaves.get(key(m, currency))!) : 0), new Money(0));
      const members = shapeRow.members;
      const b = over(members, (l) => l.budget);
      const f = over(members, (l) => l.forecast);
      const withActions = over(members, (l) => l.withActions);
      const compared = over(comparedScopes(shapeRow), (l) => l.withActions);
      const p = projections.get(k);
      const v = drivers.get(k);
      const threshold = thresholds.get(scope) ?? request.materiality;
      return {
        costCenter: scope,
        name: contacts.get(scope)?.name ?? null,
        owner: contacts.get(scope)?.owner ?? null,
        currency,
        monthToDate: over(members, (l) => l.monthToDate).toFixed(),
        projected: over(members, (l) => l.projected).toFixed(),
        projectedWithPlannedActions: withActions.toFixed(),
        budget: b.toFixed(),
        itfmForecast: f.toFixed(),
        comparedProjection: compared.toFixed(),
        differenceToBudget: compared.minus(b).toFixed(),
        differenceToForecast: compared.minus(f).toFixed(),
        material: isMaterial(compared.minus(b).toFixed(), b.toFixed(), threshold),
        depth: shapeRow.depth,
        parent: shapeRow.parent,
        children: shapeRow.children,
        includesUnattributed: shapeRow.carriesUnattributed ? over([unattributedScope], (l) => l.withActions).toFixed() : null,
        carriedBy: shapeRow.carriedBy,
        // Drivers, planned actions and open variances stay with the cost center whose lines they are.
        drivers: v ? { variance: v.variance, components: v.components, keys: v.drivers } : null,
        plannedActions: p?.plannedSavings ?? [],
        openVariances: v && v.needsExplanation ? v.unexplainedComponents.map((c) => ({ component: c, amount: v.components[c] })) : [],
        postCloseAdjustment: closure ? over(members, (l) => l.postClose).toFixed() : null,
      };
    }),
  );
  const largestFirst = (a: HandoffRow, b: HandoffRow) => new Money(b.differenceToBudget).abs().cmp(new Money(a.differenceToBudget).abs()) || a.costCenter.localeCompare(b.costCenter);
  const ordered = currencies.flatMap((c) => sortComparisonRows(rows.filter((r) => r.currency === c), largestFirst, (r) => r.costCenter));
  return {
    period: period.key,
    asOf: forecast.assumptions.asOf,
    handoffDate: handoffDate(period, request.businessDays),
    basis: 'effective',
    assumptions: forecast.assumptions,
    driversComparedWith: variance ? { period: variance.comparisonPeriod, asOf: variance.asOf } : null,
    rows: ordered,
    closed: status,
    lastClose: earlier ? describeClosure(earlier) : null,
    rollup: shape.rollup,
    unattributedCarriedBy: hierarchy.carrier,
    totals: currencies.map((currency) => {
      const top = topLevel(ordered.filter((r) => r.currency === currency));
      const sum = (f: (r: HandoffRow) => string) => sumAmounts(top, f);
      return {
        currency,
        monthToDate: sum((r) => r.monthToDate),
        projected: sum((r) => r.projected),
        projectedWithPlannedActions: sum((r) => r.projectedWithPlannedActions),
        budget: sum((r) => r.budget),
        itfmForecast: sum((r) => r.itfmForecast),
        differenceToBudget: sum((r) => r.differenceToBudget),
        differenceToForecast: sum((r) => r.differenceToForecast),
      };
    }),
  };
}
