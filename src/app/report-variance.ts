import { billingMonth, type BillingMonth } from '../domain/billing-month.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { addDays, dayOf, daysBetween } from '../domain/forecast-calendar.js';
import { componentsNeedingExplanation, isMaterial, type MaterialityThreshold } from '../domain/materiality.js';
import { Money, sumAmounts } from '../domain/money.js';
import type { CostBasis, SpendDimension } from '../domain/spend-dimensions.js';
import type { VarianceComponentName, VarianceComponents } from '../domain/variance-components.js';
import { againstPlan, decomposeVariance, type Decomposition, type KeyEffect, type PriceKeyTotal } from '../domain/variance-decomposition.js';
import { comparedScopes, comparisonScopes, sortComparisonRows, topLevel, unattributedScope, type ComparisonShape } from '../domain/cost-center-rollup.js';
import { loadComparisonHierarchy } from './comparison-hierarchy.js';
import { ledgerTiming } from '../domain/variance-ledger.js';
import type { Store } from '../store/database.js';
import { listExplanations, type StoredExplanation } from '../store/variance-explanations.js';
import { loadLedgerInputs } from '../store/variance-ledger.js';
import { loadPlanAmounts, type PlanAmount } from '../store/variance-plans.js';
import { sumBothBases, sumByScope, sumPriceKeys, type FactSlice } from '../store/variance-price-keys.js';
import { frozenFacts, liveFacts, negatedFacts, unionFacts, type Facts } from '../store/cost-facts.js';
import { liveFactsFor } from '../store/cost-rollup.js';
import { restatementFacts } from '../store/restated-comparatives.js';
import type { StoredClosure } from '../store/period-closes.js';
import { periodStatus, type ClosedStatus } from './closed-period-status.js';
import { loadThresholds } from '../store/variance-thresholds.js';

/** What a variance is measured against: the previous month's actual, the budget, or the ITFM forecast. */
export type VarianceAgainst = 'previous' | 'budget' | 'forecast';

/** The comparisons `--against` accepts. */
export const varianceAgainstValues: readonly VarianceAgainst[] = ['previous', 'budget', 'forecast'];

/** A variance report request. */
export interface VarianceRequest {
  readonly period: BillingMonth;
  readonly against: VarianceAgainst;
  readonly basis: CostBasis;
  /** The scope field rows are grouped by (cost-center, provider, ...). */
  readonly by: SpendDimension;
  /** Only this scope value (the field's empty label, e.g. `(unattributed)`, for lines without one). */
  readonly scope?: string | undefined;
  /**
   * `YYYY-MM-DD` inside the period: compare like for like, the period's lines charged before this
   * day against the same number of days at the start of the previous month.
   */
  readonly asOf?: string | undefined;
  /** Price keys listed per row as its top drivers (default 5). */
  readonly drivers?: number | undefined;
  /** The configured materiality; cost centers may override it. */
  readonly materiality: MaterialityThreshold;
  /** Also reconcile each cost center to the GL (default true; only with `by` cost-center). */
  readonly ledger?: boolean | undefined;
  /** Roll each cost center's descendants (master data's parent codes) into it (only with `by` cost-center). */
  readonly rollup?: boolean | undefined;
  /** `COSTBRIDGE_UNATTRIBUTED_COST_CENTER`: against budget or forecast, this cost center's plan is compared with its own plus the unattributed spend. */
  readonly unattributedCostCenter?: string | null | undefined;
}

/** A cost center's FOCUS actual on both bases against its GL actual for the period. */
export interface LedgerView {
  readonly effective: string;
  readonly billed: string;
  /** effective - billed: commitment purchases spread over usage instead of expensed when billed. */
  readonly amortization: string;
  readonly gl: string;
  readonly billedMinusGl: string;
  /** Invoices billed in one period and booked in another (matched by invoice id and amount). */
  readonly timing: string;
  /** billedMinusGl - timing. */
  readonly unexplained: string;
}

/** One scope's variance, its components (which sum to it exactly) and what people said about it. */
export interface VarianceRow {
  readonly scope: string;
  readonly currency: string;
  /** The row's spend: its own lines and, rolled up, its descendants' (summed over top-level rows: the total). */
  readonly actual: string;
  /**
   * What the comparison is measured on: `actual`, plus the unattributed spend on the row carrying it
   * against budget or forecast, and 0 on the unattributed row it carries. variance = comparedActual - comparison.
   */
  readonly comparedActual: string;
  readonly comparison: string;
  readonly variance: string;
  /** The row's own lines only (equal to `actual` without roll-up). */
  readonly own: string;
  /** 0 for a top-level row (roll-up lists children under their parent, one deeper). */
  readonly depth: number;
  readonly parent: string | null;
  /** Cost centers rolled into this row ("incl. N children"). */
  readonly children: number;
  /** Unattributed spend inside `comparedActual` (the carrying cost center and, rolled up, its ancestors); else null. */
  readonly includesUnattributed: string | null;
  /** On the unattributed row: the cost center whose comparison includes it; else null. */
  readonly carriedBy: string | null;
  readonly components: VarianceComponents;
  /** The comparison period's actual, restated (equal to `comparison` against previous). */
  readonly comparisonActual: string;
  /**
   * Restated comparatives: the comparison period's actual restated under the current period's
   * attribution minus as it was reported (stored, or as closed). Beside the components, never in them.
   */
  readonly restatement: string;
  /** For a closed period: its live actual minus the actual as closed (a change since close); null when open. */
  readonly postCloseAdjustment: string | null;
  readonly threshold: MaterialityThreshold;
  readonly needsExplanation: boolean;
  readonly explanations: readonly StoredExplanation[];
  /** Components of a material variance nobody has explained yet (see componentsNeedingExplanation). */
  readonly unexplainedComponents: readonly VarianceComponentName[];
  readonly drivers: readonly KeyEffect[];
  /** The budget or forecast lines behind `comparison`, per category. */
  readonly plan: readonly PlanAmount[];
  readonly ledger: LedgerView | null;
}

/** A variance report: one row per scope value and currency, largest absolute variance first. */
export interface VarianceReport {
  readonly period: string;
  readonly comparisonPeriod: string;
  readonly against: VarianceAgainst;
  readonly basis: CostBasis;
  readonly by: string;
  /** Month to date: lines charged before this day (and the same days of the comparison month). */
  readonly asOf: string | null;
  readonly rows: readonly VarianceRow[];
  /** Set when the period is closed: actuals, restated comparatives and plans as closed. */
  readonly closed: ClosedStatus | null;
  /** How the comparatives were restated: under which month's attribution, and the total restatement per currency. */
  readonly restated: { readonly under: string; readonly totals: ReadonlyArray<{ readonly currency: string; readonly restatement: string }> };
  /** Whether descendants are rolled into their parents. */
  readonly rollup: boolean;
  /** The one scope asked for (`--scope`), or null for all. */
  readonly scope: string | null;
  /** The cost center carrying unattributed spend in this comparison (against budget or forecast), or null. */
  readonly unattributedCarriedBy: string | null;
  /** Per currency, the sum of the top-level rows: actual equals `report spend` for the same period and basis (without --scope). */
  readonly totals: ReadonlyArray<{ readonly currency: string; readonly actual: string; readonly comparison: string; readonly variance: string }>;
}

/** The month before. */
export function previousMonth(month: BillingMonth): BillingMonth {
  const d = new Date(month.start);
  return billingMonth(d.getUTCFullYear(), d.getUTCMonth());
}

/** Decomposes each scope's variance for a month against the previous month, the budget or the ITFM forecast. */
export async function reportVariance(store: Store, request: VarianceRequest): Promise<VarianceReport> {
  const { period, by } = request;
  const prior = previousMonth(period);
  const isCostCenter = by.name === 'cost-center';
  if (request.against !== 'previous' && !isCostCenter) {
    throw new CostbridgeError('INPUT_INVALID', `--against ${request.against} compares cost centers (budgets are per cost center); use --by cost-center`);
  }
  if (request.rollup && !isCostCenter) throw new CostbridgeError('INPUT_INVALID', '--rollup follows the cost-center hierarchy; use --by cost-center');
  const cut = request.asOf ? monthToDate(period, prior, request.asOf, request.against) : undefined;
  const hierarchy = isCostCenter ? await loadComparisonHierarchy(store, request.against === 'previous' ? null : request.unattributedCostCenter) : { parents: new Map(), carrier: null };
  const shape: ComparisonShape = { rollup: request.rollup === true, carrier: hierarchy.carrier };
  // A rolled-up or carried row needs its subtree and the unattributed lines, so a scope is picked after shaping.
  const shaped = shape.rollup || shape.carrier !== null;
  const scopeValue = request.scope === undefined || shaped ? undefined : request.scope === by.emptyLabel ? null : request.scope;
  const { closed, status } = await periodStatus(store, period);
  const closure = closed.get(period.key);
  const sources = await varianceSources(store, period, prior, closure, closed.get(prior.key));
  // Price-key totals need no line detail: two live, unrestated months are read from the daily rollup.
  const rolledUp = !closure && sources.restatement === null;
  const priceKeyColumns = [by.column, 'charge_period_start', 'billing_currency', 'provider_name', 'service_name', 'price_key', 'pricing_unit', 'charge_category', 'quantified'];
  const current: FactSlice = { facts: rolledUp ? liveFactsFor(period, priceKeyColumns) : sources.current, chargedBefore: cut?.current };
  const comparison: FactSlice = { facts: rolledUp ? liveFactsFor(prior, priceKeyColumns) : sources.comparison, chargedBefore: cut?.comparison };
  const totals = await sumPriceKeys(store.db, { current, comparison, basis: request.basis, scopeColumn: by.column, scopeValue });
  const restatements = sources.restatement
    ? await sumByScope(store.db, { facts: sources.restatement, chargedBefore: cut?.comparison }, request.basis, by.column, scopeValue)
    : [];
  const restatementOf = new Map(restatements.map((r) => [JSON.stringify([r.scope, r.currency]), r.cost]));
  const liveActual = closure
    ? new Map((await sumByScope(store.db, { facts: liveFactsFor(period, [by.column, 'charge_period_start']), chargedBefore: cut?.current }, request.basis, by.column, scopeValue)).map((r) => [JSON.stringify([r.scope, r.currency]), r.cost]))
    : undefined;

  type Bucket = { scope: string | null; currency: string; now: PriceKeyTotal[]; before: PriceKeyTotal[] };
  const buckets = new Map<string, Bucket>();
  const bucket = (scope: string | null, currency: string) => {
    const k = JSON.stringify([scope, currency]);
    let b = buckets.get(k);
    if (!b) {
      b = { scope, currency, now: [], before: [] };
      buckets.set(k, b);
    }
    return b;
  };
  for (const t of totals) (t.current ? bucket(t.scope, t.currency).now : bucket(t.scope, t.currency).before).push(t);
  for (const r of restatements) bucket(r.scope, r.currency);
  // A closed month also lists scopes that only changed since its close.
  for (const [k, v] of liveActual ?? []) {
    const [scope, currency] = JSON.parse(k) as [string | null, string];
    if (!new Money(v).isZero()) bucket(scope, currency);
  }

  const month = period.start.slice(0, 10);
  const plans = request.against === 'previous' ? [] : closure ? closedPlans(closure, request.against) : await loadPlanAmounts(store.db, request.against, month);
  const planFor = new Map<string, PlanAmount[]>();
  for (const p of plans) {
    if (scopeValue !== undefined && p.costCenter !== scopeValue) continue;
    const k = JSON.stringify([p.costCenter, p.currency]);
    planFor.set(k, [...(planFor.get(k) ?? []), p]);
    bucket(p.costCenter, p.currency);
  }

  const withLedger = isCostCenter && request.ledger !== false && !cut;
  const ledger = withLedger ? await ledgerViews(store, period, by.column, sources.current) : new Map<string, LedgerView>();
  if (withLedger) {
    for (const k of ledger.keys()) {
      const [scope, currency] = JSON.parse(k) as [string | null, string];
      if (scopeValue === undefined || scope === scopeValue) bucket(scope, currency);
    }
  }

  const thresholds = isCostCenter ? await loadThresholds(store.db) : new Map<string, MaterialityThreshold>();
  const explanations = await listExplanations(store.db, month, by.name);
  const driverCount = request.drivers ?? 5;

  type Leaf = { bucket: Bucket; d: Decomposition; plan: PlanAmount[]; view: LedgerView | null; restatement: Money; postClose: Money | null; said: StoredExplanation[] };
  const leaves = new Map<string, Leaf>();
  for (const [k, b] of buckets) {
    const d = decomposeVariance(b.now, b.before);
    const plan = planFor.get(k) ?? [];
    const view = withLedger ? (ledger.get(k) ?? emptyLedger) : null;
    const said = explanations.filter((e) => e.scope === (b.scope ?? by.emptyLabel));
    const restatement = new Money(restatementOf.get(k) ?? 0);
    const postClose = liveActual ? new Money(liveActual.get(k) ?? 0).minus(d.actual) : null;
    // A zero plan line of a cost center without spend or ledger entries is noise, not a row.
    const allZero = [d.actual, d.comparison, restatement.toFixed(), postClose?.toFixed() ?? '0', ...plan.map((p) => p.amount), view?.gl ?? '0'].every((v) => new Money(v).isZero());
    if (allZero && said.length === 0 && d.keys.length === 0) continue;
    leaves.set(k, { bucket: b, d, plan, view, restatement, postClose, said });
  }

  const rows: VarianceRow[] = [];
  const currencies = [...new Set([...leaves.values()].map((l) => l.bucket.currency))].sort();
  for (const currency of currencies) {
    const leafOf = (scope: string) => leaves.get(JSON.stringify([scope === by.emptyLabel ? null : scope, currency]));
    const present = [...leaves.values()].filter((l) => l.bucket.currency === currency).map((l) => l.bucket.scope ?? by.emptyLabel);
    const scopes = isCostCenter ? comparisonScopes(present, hierarchy.parents, shape) : present.map((scope) => ({ scope, depth: 0, parent: null, children: 0, members: [scope], carriesUnattributed: false, carriedBy: null }));
    for (const shapeRow of scopes) {
      const members = shapeRow.members.map(leafOf).filter((l): l is Leaf => l !== undefined);
      const compared = comparedScopes(shapeRow).map(leafOf).filter((l): l is Leaf => l !== undefined);
      const merge = (ls: readonly Leaf[]) => (ls.length === 1 ? ls[0]!.d : decomposeVariance(ls.flatMap((l) => l.bucket.now), ls.flatMap((l) => l.bucket.before)));
      const d = merge(members);
      const dc = compared.length === members.length && compared.every((l, i) => l === members[i]) ? d : merge(compared);
      const plan = members.flatMap((l) => l.plan);
      const said = explanations.filter((e) => e.scope === shapeRow.scope);
      const restatement = members.reduce((s, l) => s.plus(l.restatement), new Money(0));
      const postClose = liveActual ? members.reduce((s, l) => s.plus(l.postClose ?? 0), new Money(0)) : null;
      const view = withLedger ? sumLedgers(members.map((l) => l.view ?? emptyLedger)) : null;
      const ownLeaf = leafOf(shapeRow.scope);
      const measured =
        request.against === 'previous'
          ? { actual: d.actual, comparison: d.comparison, variance: d.variance, components: d.components }
          : againstPlan(dc, plan.reduce((s, p) => s.plus(p.amount), new Money(0)).toFixed());
      const threshold = (shapeRow.scope !== by.emptyLabel && thresholds.get(shapeRow.scope)) || request.materiality;
      const needsExplanation = isMaterial(measured.variance, measured.comparison, threshold);
      const explained = new Set(said.map((e) => e.component));
      const unattributedLeaf = leafOf(unattributedScope);
      rows.push({
        scope: shapeRow.scope,
        currency,
        actual: d.actual,
        comparedActual: measured.actual,
        comparison: measured.comparison,
        variance: measured.variance,
        components: measured.components,
        own: ownLeaf ? ownLeaf.d.actual : '0',
        depth: shapeRow.depth,
        parent: shapeRow.parent,
        children: shapeRow.children,
        includesUnattributed: request.against !== 'previous' && shapeRow.carriesUnattributed ? (unattributedLeaf?.d.actual ?? '0') : null,
        carriedBy: request.against !== 'previous' ? shapeRow.carriedBy : null,
        comparisonActual: d.comparison,
        restatement: restatement.toFixed(),
        postCloseAdjustment: postClose ? postClose.toFixed() : null,
        threshold: { amount: threshold.amount, share: threshold.share },
        needsExplanation,
        explanations: said,
        unexplainedComponents: needsExplanation ? componentsNeedingExplanation(measured.components, threshold).filter((c) => !explained.has(c)) : [],
        drivers: dc.keys.filter((x) => !new Money(x.variance).isZero()).slice(0, driverCount),
        plan: plan.sort((x, y) => x.category.localeCompare(y.category) || x.costCenter.localeCompare(y.costCenter)),
        ledger: view,
      });
    }
  }
  const largestFirst = (a: VarianceRow, b: VarianceRow) => new Money(b.variance).abs().cmp(new Money(a.variance).abs()) || a.scope.localeCompare(b.scope) || a.currency.localeCompare(b.currency);
  const ordered = shape.rollup ? currencies.flatMap((c) => sortComparisonRows(rows.filter((r) => r.currency === c), largestFirst, (r) => r.scope)) : rows.sort(largestFirst);
  const picked = request.scope !== undefined && shaped ? pickScope(ordered, request.scope) : ordered;
  const top = topLevel(picked);
  return {
    period: period.key,
    comparisonPeriod: prior.key,
    against: request.against,
    basis: request.basis,
    by: by.name,
    asOf: cut ? cut.asOf : null,
    rows: picked,
    closed: status,
    restated: {
      under: period.key,
      totals: [...new Set(top.map((r) => r.currency))].sort().map((currency) => ({
        currency,
        restatement: top.filter((r) => r.currency === currency).reduce((sum, r) => sum.plus(r.restatement), new Money(0)).toFixed(),
      })),
    },
    rollup: shape.rollup,
    scope: request.scope ?? null,
    unattributedCarriedBy: request.against === 'previous' ? null : hierarchy.carrier,
    totals: [...new Set(top.map((r) => r.currency))].sort().map((currency) => {
      const mine = top.filter((r) => r.currency === currency);
      const sum = (f: (r: VarianceRow) => string) => sumAmounts(mine, f);
      return { currency, actual: sum((r) => r.actual), comparison: sum((r) => r.comparison), variance: sum((r) => r.variance) };
    }),
  };
}

/** The rows of one scope (and, rolled up, its subtree) out of a shaped report. */
function pickScope(rows: readonly VarianceRow[], scope: string): VarianceRow[] {
  const keep = new Set([scope]);
  const base = rows.find((r) => r.scope === scope)?.depth ?? 0;
  const out: VarianceRow[] = [];
  for (const r of rows) {
    if (r.scope === scope || (r.parent !== null && keep.has(r.parent))) {
      keep.add(r.scope);
      out.push(r.scope === scope ? { ...r, depth: 0, parent: null } : { ...r, depth: r.depth - base });
    }
  }
  return out;
}

function sumLedgers(views: readonly LedgerView[]): LedgerView {
  const sum = (f: keyof LedgerView) => views.reduce((s, v) => s.plus(v[f]), new Money(0)).toFixed();
  return { effective: sum('effective'), billed: sum('billed'), amortization: sum('amortization'), gl: sum('gl'), billedMinusGl: sum('billedMinusGl'), timing: sum('timing'), unexplained: sum('unexplained') };
}

/**
 * Where a variance reads its two months from. The current month: its live lines, or its figures as
 * closed. The comparison month restated under the current month's attribution (restated
 * comparatives): for an open current month, the comparison month's live lines plus the lines whose
 * attribution would differ (restated minus as stored); for a closed one, the comparative frozen at
 * its close. The restatement: restated minus the comparison month as reported (its live lines, or
 * its figures as closed).
 */
async function varianceSources(
  store: Store,
  period: BillingMonth,
  prior: BillingMonth,
  closure: StoredClosure | undefined,
  priorClosure: StoredClosure | undefined,
): Promise<{ current: Facts; comparison: Facts; restatement: Facts | null }> {
  if (closure) {
    return {
      current: frozenFacts(closure.id, 'actual', period),
      comparison: frozenFacts(closure.id, 'comparative', prior),
      restatement: frozenFacts(closure.id, 'restatement', prior),
    };
  }
  const delta = await restatementFacts(store.db, prior, period);
  const reportedDifference = priorClosure ? [liveFacts(prior), negatedFacts(frozenFacts(priorClosure.id, 'actual', prior))] : [];
  const restatement = [...(delta ? [delta] : []), ...reportedDifference];
  return {
    current: liveFacts(period),
    comparison: delta ? unionFacts([liveFacts(prior), delta]) : liveFacts(prior),
    restatement: restatement.length > 0 ? unionFacts(restatement) : null,
  };
}

/** A closed month's budget or forecast as it stood at close. */
function closedPlans(closure: StoredClosure, version: 'budget' | 'forecast'): PlanAmount[] {
  return closure.plans.filter((p) => p.version === version).map(({ version: _v, ...p }) => p);
}

const emptyLedger: LedgerView = { effective: '0', billed: '0', amortization: '0', gl: '0', billedMinusGl: '0', timing: '0', unexplained: '0' };

/** The cutoffs of a like-for-like month-to-date comparison. */
function monthToDate(period: BillingMonth, prior: BillingMonth, asOf: string, against: VarianceAgainst) {
  if (against !== 'previous') {
    throw new CostbridgeError(
      'INPUT_INVALID',
      `--as-of compares a month to date with the same days of the previous month; against ${against} use costbridge handoff (projected period end vs plan)`,
    );
  }
  const start = dayOf(period.start);
  const end = dayOf(period.end);
  if (asOf <= start) throw new CostbridgeError('INPUT_INVALID', `--as-of ${asOf} must be after the first day of ${period.key}`);
  if (asOf >= end) return undefined;
  const elapsed = daysBetween(start, asOf);
  const priorEnd = dayOf(prior.end);
  const priorCut = addDays(dayOf(prior.start), elapsed);
  return {
    asOf,
    current: `${asOf}T00:00:00.000Z`,
    comparison: `${priorCut < priorEnd ? priorCut : priorEnd}T00:00:00.000Z`,
  };
}

async function ledgerViews(store: Store, period: BillingMonth, column: string, facts: Facts): Promise<Map<string, LedgerView>> {
  const [bases, inputs] = await Promise.all([sumBothBases(store.db, facts, column), loadLedgerInputs(store.db, period, facts)]);
  const timing = ledgerTiming(period.key, inputs.invoices, inputs.gl);
  const keys = new Set<string>();
  const focus = new Map(bases.map((b) => [JSON.stringify([b.scope, b.currency]), b]));
  const gl = new Map(timing.map((t) => [JSON.stringify([t.costCenter, t.currency]), t]));
  for (const k of [...focus.keys(), ...gl.keys()]) keys.add(k);
  const out = new Map<string, LedgerView>();
  for (const k of keys) {
    const f = focus.get(k);
    const g = gl.get(k);
    const billed = new Money(f?.billed ?? 0);
    const effective = new Money(f?.effective ?? 0);
    const glAmount = new Money(g?.gl ?? 0);
    const t = new Money(g?.timing ?? 0);
    const diff = billed.minus(glAmount);
    out.set(k, {
      effective: effective.toFixed(),
      billed: billed.toFixed(),
      amortization: effective.minus(billed).toFixed(),
      gl: glAmount.toFixed(),
      billedMinusGl: diff.toFixed(),
      timing: t.toFixed(),
      unexplained: diff.minus(t).toFixed(),
    });
  }
  return out;
}
