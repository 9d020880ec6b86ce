import type { Store } from '../store/database.js';
import type { Surface } from '../store/audit-log.js';
import { costCenterChain } from '../store/people.js';
import { budgetCurrencies, insertSaving } from '../store/savings.js';
import {
  defaultReferenceCost,
  isPositiveDecimal,
  leverKind,
  normalizeAmount,
  normalizeSavingFilters,
  type ReferenceCost,
  type Saving,
  type SavingFilters,
  type SavingLever,
  type SavingType,
  type UsageBasis,
} from '../domain/saving.js';
import { defaultBaseline } from '../domain/saving-measurement.js';
import { overlapsOf, refuse, type SavingFailure } from './saving-decision.js';
import { authorize } from './authorization-policy.js';

/** A saving as FinOps proposes it. Dates `YYYY-MM-DD`, amounts exact decimal strings. */
export interface ProposeSavingRequest {
  readonly title: string;
  readonly lever: SavingLever;
  readonly type: SavingType;
  readonly costCenter: string;
  /** Budget category recognition lowers; default '' (uncategorised). */
  readonly category?: string;
  readonly filters?: SavingFilters;
  readonly effectiveDate: string;
  /** Last day (inclusive); default open-ended. */
  readonly endDate?: string;
  /** Usage levers only; default the 30 days before the effective date. */
  readonly baselineStart?: string;
  readonly baselineEnd?: string;
  /** Usage levers only; default effective. */
  readonly basis?: UsageBasis;
  /** Rate levers only; default contracted for commitment discounts, list otherwise. */
  readonly referenceCost?: ReferenceCost;
  readonly estimateMonthly: string;
  /** Default: the currency of the cost center's budget. */
  readonly currency?: string;
  readonly evidence?: string;
  /** The proposer: id, email, Slack user id or Teams AAD id. */
  readonly actor: string;
  readonly surface: Surface;
  /** A key unique to this submission (a chat interaction id): the same key twice stores one saving. */
  readonly requestKey?: string;
}

/** The stored proposal and the validated or recognized savings it overlaps (the approver's warning). */
export interface ProposeSavingResult {
  readonly ok: true;
  readonly saving: Saving;
  readonly overlaps: readonly string[];
  /** True when `requestKey` was used before: nothing new was stored. */
  readonly alreadyDone: boolean;
}

/** FinOps (or the cost center's owner) proposes a saving; it starts `proposed`. */
export async function proposeSaving(store: Store, r: ProposeSavingRequest): Promise<ProposeSavingResult | SavingFailure> {
  const chain = await costCenterChain(store.db, r.costCenter);
  if (chain.length === 0) return refuse('NOT_FOUND', `unknown cost center ${JSON.stringify(r.costCenter)} (import it with costbridge import cost-centers)`);
  const allowed = await authorize(store.db, {
    action: 'propose-saving',
    actor: r.actor,
    surface: r.surface,
    costCenter: chain[0]!,
    auditAction: 'saving.propose',
    subjectType: 'saving',
    subjectId: r.requestKey ?? '(new)',
    attempt: { title: r.title, costCenter: r.costCenter, estimateMonthly: r.estimateMonthly },
  });
  if (!allowed.ok) return refuse('FORBIDDEN', allowed.message);
  const person = allowed.person;
  const title = r.title.trim();
  if (title === '') return refuse('INPUT_INVALID', 'the title is empty');
  if (!isPositiveDecimal(r.estimateMonthly)) return refuse('INPUT_INVALID', `the monthly estimate must be a positive decimal, got ${JSON.stringify(r.estimateMonthly)}`);
  const filters = normalizeSavingFilters(r.filters ?? {});
  const kind = leverKind(r.lever);
  if (r.lever === 'commitment-discount' && !filters['commitment-discount-id']) {
    return refuse('INPUT_INVALID', 'a commitment-discount saving needs --filter commitment-discount-id=ID: it covers the lines carrying that CommitmentDiscountId');
  }
  if (r.endDate !== undefined && r.endDate < r.effectiveDate) return refuse('INPUT_INVALID', `the end date ${r.endDate} is before the effective date ${r.effectiveDate}`);
  let baseline: { from: string; to: string } | null = null;
  if (kind === 'usage') {
    const fallback = defaultBaseline(r.effectiveDate);
    baseline = { from: r.baselineStart ?? fallback.from, to: r.baselineEnd ?? fallback.to };
    if (baseline.from > baseline.to) return refuse('INPUT_INVALID', `the baseline window ${baseline.from} to ${baseline.to} ends before it starts`);
    if (baseline.to >= r.effectiveDate) return refuse('INPUT_INVALID', `the baseline window must end before the effective date ${r.effectiveDate}, got ${baseline.to}`);
    if (r.referenceCost !== undefined) return refuse('INPUT_INVALID', `--reference applies to rate levers; ${r.lever} is a usage lever (use --basis)`);
  } else if (r.baselineStart !== undefined || r.baselineEnd !== undefined || r.basis !== undefined) {
    return refuse('INPUT_INVALID', `${r.lever} is a rate lever, measured on the price gap of the lines it covers: --baseline-start, --baseline-end and --basis apply to usage levers`);
  }
  let currency = r.currency;
  if (currency === undefined) {
    const known = await budgetCurrencies(store.db, r.costCenter);
    if (known.length !== 1) {
      return refuse('INPUT_INVALID', `give --currency: the budget of ${r.costCenter} is kept in ${known.length === 0 ? 'no currency yet' : known.join(' and ')}`);
    }
    currency = known[0]!;
  }
  const draft = {
    title,
    lever: r.lever,
    leverKind: kind,
    type: r.type,
    costCenter: chain[0]!,
    category: (r.category ?? '').trim(),
    filters,
    effectiveDate: r.effectiveDate,
    endDate: r.endDate ?? null,
    baselineStart: baseline?.from ?? null,
    baselineEnd: baseline?.to ?? null,
    basis: kind === 'usage' ? (r.basis ?? 'effective') : null,
    referenceCost: kind === 'rate' ? (r.referenceCost ?? defaultReferenceCost(r.lever)) : null,
    estimateMonthly: normalizeAmount(r.estimateMonthly),
    currency,
    evidence: r.evidence?.trim() || null,
    proposer: person.id,
  };
  const overlaps = await overlapsOf(store, { ...draft, id: '', status: 'proposed' });
  const { saving, created } = await insertSaving(store.db, draft, r.requestKey, (s) => ({
    actor: person.id,
    surface: r.surface,
    action: 'saving.propose',
    after: { ...s, overlaps },
  }));
  return { ok: true, saving, overlaps: created ? overlaps : await overlapsOf(store, saving), alreadyDone: !created };
}
