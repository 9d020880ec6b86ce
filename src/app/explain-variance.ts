import { parseBillingMonth } from '../domain/billing-month.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { spendDimensions } from '../domain/spend-dimensions.js';
import { checkExplanation } from '../domain/variance-explanation.js';
import type { Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { insertExplanationOnce, latestExplanationId, savingExists, type StoredExplanation } from '../store/variance-explanations.js';
import { loadCostCenterContacts } from '../store/variance-thresholds.js';
import { authorize } from './authorization-policy.js';

/** Someone explains one component of one scope's variance for a month. */
export interface ExplainVarianceRequest {
  /** `YYYY-MM`. */
  readonly period: string;
  /** A cost center code (or a value of `scopeField`). */
  readonly scope: string;
  /** What the scope is (default `cost-center`). */
  readonly scopeField?: string | undefined;
  /** rate, volume, new, discontinued, mix, purchases, credits, tax, adjustments, unquantified, baselineGap. */
  readonly component: string;
  readonly planned: boolean;
  readonly text: string;
  /** The savings record a planned component was planned by. */
  readonly savingId?: string | null | undefined;
  /** Or the engineering change, in free text. */
  readonly change?: string | null | undefined;
  readonly actor: string;
  readonly surface: Surface;
  /**
   * The latest explanation id of this scope and month the person saw (a chat form records it when it
   * opens): an explanation of the same component stored since makes this one a CONFLICT.
   */
  readonly expectedVersion?: number;
}

/** The outcome: the stored explanation (`duplicate` when an identical submission was already stored), or why not. */
export type ExplainVarianceResult =
  | { readonly ok: true; readonly explanation: StoredExplanation; readonly duplicate: boolean }
  | { readonly ok: false; readonly code: 'INPUT_INVALID' | 'UNKNOWN_COST_CENTER' | 'UNKNOWN_SAVING' | 'FORBIDDEN'; readonly message: string }
  | { readonly ok: false; readonly code: 'CONFLICT'; readonly message: string; readonly current: StoredExplanation };

/** The version a form opened on a scope's variance records (see `ExplainVarianceRequest.expectedVersion`). */
export function explanationVersion(store: Store, r: { period: string; scope: string; scopeField?: string }): Promise<number> {
  return latestExplanationId(store.db, parseBillingMonth(r.period).start.slice(0, 10), r.scopeField ?? 'cost-center', r.scope);
}

/**
 * Records an explanation with its author, time and audit row. An identical submission by the same
 * person within a minute returns the first one instead of storing a second (double clicks, retries).
 * Only an owner of the cost center, finops or itfm may explain (the `explain-variance` policy row).
 */
export async function explainVariance(store: Store, request: ExplainVarianceRequest): Promise<ExplainVarianceResult> {
  let period: string;
  try {
    period = parseBillingMonth(request.period).start.slice(0, 10);
  } catch (e) {
    if (e instanceof CostbridgeError) return { ok: false, code: 'INPUT_INVALID', message: e.message };
    throw e;
  }
  const scopeField = request.scopeField ?? 'cost-center';
  const dimension = spendDimensions.find((d) => d.name === scopeField);
  if (!dimension) return { ok: false, code: 'INPUT_INVALID', message: `scope field must be one of ${spendDimensions.map((d) => d.name).join(', ')}, got ${JSON.stringify(scopeField)}` };
  const scope = request.scope.trim();
  if (scope === '') return { ok: false, code: 'INPUT_INVALID', message: 'the scope (cost center) is empty' };
  const checked = checkExplanation(request);
  if (!checked.ok) return { ok: false, code: 'INPUT_INVALID', message: checked.message };
  if (scopeField === 'cost-center' && scope !== dimension.emptyLabel) {
    const known = await loadCostCenterContacts(store.db, [scope]);
    if (!known.has(scope)) return { ok: false, code: 'UNKNOWN_COST_CENTER', message: `unknown cost center ${JSON.stringify(scope)} (not in the cost center master data)` };
  }
  const costCenterScope = scopeField === 'cost-center' && scope !== dimension.emptyLabel;
  const allowed = await authorize(store.db, {
    action: 'explain-variance',
    actor: request.actor,
    surface: request.surface,
    ...(costCenterScope ? { costCenter: scope } : {}),
    auditAction: 'variance.explain',
    subjectType: 'variance',
    subjectId: `${period.slice(0, 7)}:${scopeField}:${scope}`,
    attempt: { component: checked.draft.component, planned: checked.draft.planned, text: checked.draft.text },
  });
  if (!allowed.ok) return allowed;
  if (checked.draft.savingId) {
    if (!(await savingExists(store.db, checked.draft.savingId))) {
      return { ok: false, code: 'UNKNOWN_SAVING', message: `unknown saving ${JSON.stringify(checked.draft.savingId)}` };
    }
  }
  const stored = await insertExplanationOnce(store.db, {
    ...checked.draft,
    period,
    scopeField,
    scope,
    actor: allowed.person.id,
    surface: request.surface,
    ...(request.expectedVersion !== undefined ? { expectedVersion: request.expectedVersion } : {}),
  });
  if ('conflict' in stored) {
    const c = stored.conflict;
    return {
      ok: false,
      code: 'CONFLICT',
      message: `${c.component} of ${scope} in ${period.slice(0, 7)} was explained by ${c.author} at ${c.at} since you opened the form (${c.planned ? 'planned' : 'unplanned'}: ${c.text}); nothing was stored`,
      current: c,
    };
  }
  return { ok: true, ...stored };
}
