import type { BillingMonth } from '../domain/billing-month.js';
import { handoffDate } from '../domain/business-days.js';
import { dayOf } from '../domain/forecast-calendar.js';
import type { PlannedSavingEffect } from '../domain/forecast-planned-savings.js';
import { isMaterial, type MaterialityThreshold } from '../domain/materiality.js';
import { Money } from '../domain/money.js';
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
  /** projectedWithPlannedActions - budget. */
  readonly differenceToBudget: string;
  /** projectedWithPlannedActions - itfmForecast. */
  readonly differenceToForecast: string;
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
}

/**
 * Builds the pre-close handoff: per cost center the run-rate projection (baseline and with planned
 * actions), the budget and ITFM forecast and the differences, the top variance drivers of the month
 * to date (like for like against the previous month), planned actions, and open material variances.
 */
export async function buildHandoff(store: Store, request: HandoffRequest): Promise<Handoff> {
  const { period } = request;
  const costCenter = spendDimensions.find((d) => d.name === 'cost-center')!;
  const forecast = await forecastPeriod(store, { period, asOf: request.asOf, basis: 'effective', windowDays: request.windowDays });
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
  const started = request.asOf > dayOf(period.start);
  const variance = started
    ? await reportVariance(store, {
        period,
        against: 'previous',
        basis: 'effective',
        by: costCenter,
        asOf: request.asOf,
        drivers: request.drivers ?? 5,
        materiality: request.materiality,
        ledger: false,
      })
    : undefined;

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
  const codes = [...keys].map((k) => (JSON.parse(k) as [string, string])[0]);
  const [contacts, thresholds] = await Promise.all([loadCostCenterContacts(store.db, codes), loadThresholds(store.db)]);

  const rows: HandoffRow[] = [...keys].map((k) => {
    const [scope, currency] = JSON.parse(k) as [string, string];
    const p = projections.get(k);
    const b = budgets.get(k) ?? new Money(0);
    const f = itfmForecasts.get(k) ?? new Money(0);
    const projected = new Money(p?.withPlannedActions ?? 0);
    const v = drivers.get(k);
    const threshold = thresholds.get(scope) ?? request.materiality;
    return {
      costCenter: scope,
      name: contacts.get(scope)?.name ?? null,
      owner: contacts.get(scope)?.owner ?? null,
      currency,
      monthToDate: p?.monthToDate ?? '0',
      projected: p?.baseline ?? '0',
      projectedWithPlannedActions: projected.toFixed(),
      budget: b.toFixed(),
      itfmForecast: f.toFixed(),
      differenceToBudget: projected.minus(b).toFixed(),
      differenceToForecast: projected.minus(f).toFixed(),
      material: isMaterial(projected.minus(b).toFixed(), b.toFixed(), threshold),
      drivers: v ? { variance: v.variance, components: v.components, keys: v.drivers } : null,
      plannedActions: p?.plannedSavings ?? [],
      openVariances: v && v.needsExplanation ? v.unexplainedComponents.map((c) => ({ component: c, amount: v.components[c] })) : [],
      postCloseAdjustment: closure ? new Money(postClose.get(k) ?? 0).toFixed() : null,
    };
  });
  rows.sort((a, b) => new Money(b.differenceToBudget).abs().cmp(new Money(a.differenceToBudget).abs()) || a.costCenter.localeCompare(b.costCenter));
  return {
    period: period.key,
    asOf: forecast.assumptions.asOf,
    handoffDate: handoffDate(period, request.businessDays),
    basis: 'effective',
    assumptions: forecast.assumptions,
    driversComparedWith: variance ? { period: variance.comparisonPeriod, asOf: variance.asOf } : null,
    rows,
    closed: status,
    lastClose: earlier ? describeClosure(earlier) : null,
  };
}
