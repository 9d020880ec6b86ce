import { parseBillingMonth } from '../domain/billing-month.js';
import type { MaterialityThreshold } from '../domain/materiality.js';
import type { Person } from '../domain/people.js';
import { spendDimensions } from '../domain/spend-dimensions.js';
import type { AlertThresholds } from '../domain/unattributed-spend.js';
import { costDataStatus } from '../store/cost-data-status.js';
import type { Store } from '../store/database.js';
import { costCenterChain } from '../store/people.js';
import { listSavings } from '../store/savings.js';
import { mayDo } from './authorization-policy.js';
import { listUnattributedSpend, type UnattributedItem } from './list-unattributed-spend.js';
import { reportVariance, type VarianceReport, type VarianceRow } from './report-variance.js';
import { showSaving, type SavingView } from './show-saving.js';

/** What a person's open decisions are computed from: who, which month (default: the latest with data), and the configured thresholds. */
export interface OpenDecisionsRequest {
  readonly person: Person;
  readonly period?: string;
  readonly requiredFields: readonly string[];
  readonly unattributedThresholds: AlertThresholds;
  readonly materiality: MaterialityThreshold;
  /** Entries kept per section (default 10); the counts say how many there are in all. */
  readonly limit?: number;
}

/** One section's entries (at most the limit) and how many there are in all. */
export interface Section<T> {
  readonly entries: readonly T[];
  readonly total: number;
}

/** Everything waiting for one person's decision, as the authorization policy lets them take it. */
export interface OpenDecisions {
  /** The billing month looked at; undefined when no cost data is imported. */
  readonly period: string | undefined;
  /** Open unattributed items above the alert thresholds, when the person may claim (`claim` row). */
  readonly claimable: Section<UnattributedItem>;
  /** Proposed or validated savings the person may sign off: `sign-off-saving` for the saving's cost center, never their own proposal. */
  readonly signOffs: Section<SavingView>;
  /** Material variances with unexplained components the person may explain (`explain-variance` for the cost center). */
  readonly variances: Section<VarianceRow>;
  /** This month's figures of the cost centers the person owns (or below them), against the previous month. */
  readonly costCenters: readonly VarianceRow[];
  /** The variance report the rows above come from (period, comparison, basis). */
  readonly report: VarianceReport | undefined;
}

const costCenterDimension = spendDimensions.find((d) => d.name === 'cost-center')!;

/**
 * The open decisions of one person, the same the CLI, Slack and Teams would let them take: what they
 * may claim, the sign-offs waiting for them, the variances waiting for their explanation, and the
 * month's figures of their cost centers. Read-only: choosing what to offer leaves no audit row (each
 * decision is checked and audited again when taken).
 */
export async function listOpenDecisions(store: Store, r: OpenDecisionsRequest): Promise<OpenDecisions> {
  const limit = r.limit ?? 10;
  const person = r.person;
  const period = r.period ?? (await costDataStatus(store.db)).latestMonth ?? undefined;
  const chains = new Map<string, readonly string[]>();
  const chainOf = async (cc: string) => {
    let chain = chains.get(cc);
    if (!chain) chains.set(cc, (chain = await costCenterChain(store.db, cc)));
    return chain.length > 0 ? chain : [cc];
  };

  const waiting = (await listSavings(store.db)).filter((s) => s.status === 'proposed' || s.status === 'validated');
  const mine: string[] = [];
  for (const s of waiting) {
    // Segregation of duties: nobody signs off their own proposal.
    if (s.proposer !== person.id && mayDo(person, 'sign-off-saving', await chainOf(s.costCenter))) mine.push(s.id);
  }
  const signOffs: SavingView[] = [];
  for (const id of mine.slice(0, limit)) {
    const v = await showSaving(store, { id });
    if (v.ok) signOffs.push(v);
  }

  if (period === undefined) {
    return { period, claimable: { entries: [], total: 0 }, signOffs: { entries: signOffs, total: mine.length }, variances: { entries: [], total: 0 }, costCenters: [], report: undefined };
  }
  const month = parseBillingMonth(period);

  let claimable: UnattributedItem[] = [];
  if (mayDo(person, 'claim')) {
    const spend = await listUnattributedSpend(store, { period: month, basis: 'effective', requiredFields: r.requiredFields, thresholds: r.unattributedThresholds });
    claimable = spend.items.filter((i) => i.status === 'open' && i.alert);
  }

  const report = await reportVariance(store, { period: month, against: 'previous', basis: 'effective', by: costCenterDimension, drivers: 0, ledger: false, materiality: r.materiality });
  const variances: VarianceRow[] = [];
  const owned: VarianceRow[] = [];
  const ownedCenters = person.roles.filter((g) => g.role === 'owner' && g.costCenter !== null).map((g) => g.costCenter!);
  for (const row of report.rows) {
    const chain = await chainOf(row.scope);
    if (row.needsExplanation && row.unexplainedComponents.length > 0 && mayDo(person, 'explain-variance', chain)) variances.push(row);
    if (ownedCenters.some((cc) => chain.includes(cc))) owned.push(row);
  }
  return {
    period,
    claimable: { entries: claimable.slice(0, limit), total: claimable.length },
    signOffs: { entries: signOffs, total: mine.length },
    variances: { entries: variances.slice(0, limit), total: variances.length },
    costCenters: owned.sort((a, b) => a.scope.localeCompare(b.scope) || a.currency.localeCompare(b.currency)),
    report,
  };
}
