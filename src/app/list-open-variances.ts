import type { Store } from '../store/database.js';
import { loadCostCenterContacts } from '../store/variance-thresholds.js';
import type { VarianceComponentName } from '../domain/variance-components.js';
import { reportVariance, type VarianceReport, type VarianceRequest } from './report-variance.js';

/** A material variance with components nobody has explained yet, and whom to ask. */
export interface OpenVariance {
  readonly scope: string;
  readonly currency: string;
  readonly actual: string;
  readonly comparison: string;
  readonly variance: string;
  readonly unexplained: ReadonlyArray<{ readonly component: VarianceComponentName; readonly amount: string }>;
  /** From the cost center master data (null for other scopes or unknown codes). */
  readonly owner: string | null;
  readonly chatChannel: string | null;
}

/** The open (unexplained) material variances of a period. */
export interface OpenVariances {
  readonly period: string;
  readonly against: VarianceReport['against'];
  readonly basis: VarianceReport['basis'];
  readonly by: string;
  readonly asOf: string | null;
  readonly items: readonly OpenVariance[];
}

/** Lists the material variances of a period that still lack an explanation, largest first, with the owner to ask. */
export async function listOpenVariances(store: Store, request: VarianceRequest): Promise<OpenVariances> {
  const report = await reportVariance(store, { ...request, ledger: false, drivers: 0 });
  const open = report.rows.filter((r) => r.needsExplanation && r.unexplainedComponents.length > 0);
  const contacts = report.by === 'cost-center' ? await loadCostCenterContacts(store.db, open.map((r) => r.scope)) : new Map();
  return {
    period: report.period,
    against: report.against,
    basis: report.basis,
    by: report.by,
    asOf: report.asOf,
    items: open.map((r) => ({
      scope: r.scope,
      currency: r.currency,
      actual: r.actual,
      comparison: r.comparison,
      variance: r.variance,
      unexplained: r.unexplainedComponents.map((c) => ({ component: c, amount: r.components[c] })),
      owner: contacts.get(r.scope)?.owner ?? null,
      chatChannel: contacts.get(r.scope)?.chatChannel ?? null,
    })),
  };
}
