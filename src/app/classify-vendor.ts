import { stringify } from 'yaml';
import { applyContractText, type AppliedContract } from './apply-contracts.js';
import { listUnclassifiedSpend, type UnclassifiedVendor } from './list-unclassified-spend.js';
import { authorize, recordRefusal } from './authorization-policy.js';
import { parseBillingMonth } from '../domain/billing-month.js';
import type { ContractCategory } from '../domain/contract-document.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { exactGlob } from '../domain/glob-pattern.js';
import type { Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { listContracts, type StoredContract } from '../store/contracts.js';

/** What the **Classify** form decided about a vendor's new spend. */
export interface SpendClassification {
  /** The alert's vendor: PublisherName, else ProviderName. */
  readonly vendor: string;
  /** ProviderName of the vendor's lines (null when unknown). */
  readonly provider: string | null;
  /** `YYYY-MM` the spend was first seen: the contract starts on its first day. */
  readonly period: string;
  readonly category: ContractCategory;
  readonly glAccount: string;
  readonly costCenter: string;
  readonly owner: string | undefined;
  /**
   * The one governed ServiceCategory the vendor's unclassified lines are in, when that is why they
   * are unclassified (not a new marketplace publisher): the contract then covers that category only.
   */
  readonly serviceCategory?: string;
}

/** The contract id a classification gets: one per vendor and first month, so a second classification of it is recognized. */
export function classificationContractId(vendor: string, period: string): string {
  const slug = vendor.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'vendor';
  return `chat-${slug.slice(0, 60)}-${period}`;
}

/**
 * The contract file (the format `costbridge contracts apply` reads) for a classification: the
 * vendor's lines matched exactly by publisher (and provider, when the vendor is not the provider
 * itself; and ServiceCategory, when only that category's lines were unclassified), from the month
 * first seen, with the chosen category, GL account and attribution.
 */
export function classificationContract(c: SpendClassification): Record<string, unknown> {
  const vendor: Record<string, string> = { publisherName: exactGlob(c.vendor) };
  if (c.provider !== null && c.provider !== c.vendor) vendor.providerName = exactGlob(c.provider);
  if (c.serviceCategory !== undefined) vendor.serviceCategory = exactGlob(c.serviceCategory);
  return {
    id: classificationContractId(c.vendor, c.period),
    vendor,
    category: c.category,
    startDate: `${c.period}-01`,
    glAccount: c.glAccount,
    attribution: { 'cost-center': c.costCenter, ...(c.owner ? { owner: c.owner } : {}) },
  };
}

/**
 * Applies a classification through the contracts use case (the same validation as a contract file,
 * one transaction, the lines re-attributed, an audit row naming the chat surface as its origin).
 */
export async function applyClassification(store: Store, c: SpendClassification, who: { actor: string; surface: Surface }): Promise<AppliedContract> {
  const contract = classificationContract(c);
  const applied = await applyContractText(store, {
    text: `# Classified from chat by ${who.actor} (${who.surface}).\n${stringify(contract)}`,
    origin: `${who.surface}:classify`,
    actor: who.actor,
    surface: who.surface,
    onlyNew: true,
  });
  return applied.contracts[0]!;
}

/** The contract an earlier classification of this vendor and month created, if any. */
export async function classificationOf(store: Store, vendor: string, period: string): Promise<StoredContract | undefined> {
  const id = classificationContractId(vendor, period);
  return (await listContracts(store.db)).find((c) => c.definition.id === id);
}

/**
 * Which lines a classification of an unclassified vendor covers: all of a new marketplace
 * publisher's lines (all of them are new), otherwise only its one governed ServiceCategory, so
 * classifying a cloud provider's AI spend does not classify the rest of its bill. Several governed
 * categories cannot be told apart in one contract: an error naming them.
 */
export function classificationScope(found: UnclassifiedVendor): { serviceCategory?: string } | { error: string } {
  if (found.reasons.includes('new-marketplace-publisher')) return {};
  if (found.serviceCategories.length === 1) return { serviceCategory: found.serviceCategories[0]! };
  return {
    error: `${found.vendor}'s unclassified spend is in ${found.serviceCategories.length} governed categories (${found.serviceCategories.join(', ')}): classify each with a contract file whose vendor names its serviceCategory (costbridge contracts apply)`,
  };
}

/** A vendor's unclassified new spend in a month, or undefined when it has none. */
export async function unclassifiedVendor(store: Store, vendor: string, period: string, governedCategories: readonly string[]): Promise<UnclassifiedVendor | undefined> {
  const spend = await listUnclassifiedSpend(store, { period: parseBillingMonth(period), governedCategories });
  return spend.vendors.find((v) => v.vendor === vendor);
}

/** A classification someone asks for, as they asked. */
export interface ClassifyVendorRequest {
  readonly vendor: string;
  /** `YYYY-MM`: the month the vendor's spend was first seen (the alert's month). */
  readonly period: string;
  readonly category: ContractCategory;
  readonly glAccount: string;
  readonly costCenter: string;
  readonly owner: string | undefined;
  /** Governed ServiceCategory values (configuration), for the unclassified list. */
  readonly governedCategories: readonly string[];
  readonly actor: string;
  readonly surface: Surface;
}

/** The outcome: the contract applied, or why nothing was (CONFLICT names who classified the vendor, and when). */
export type ClassifyVendorResult =
  | { readonly ok: true; readonly applied: AppliedContract; readonly contract: StoredContract | undefined; readonly by: string }
  | { readonly ok: false; readonly code: 'FORBIDDEN' | 'NOT_UNCLASSIFIED' | 'INPUT_INVALID'; readonly message: string; readonly details?: readonly string[] }
  | { readonly ok: false; readonly code: 'CONFLICT'; readonly message: string; readonly current: StoredContract };

/**
 * Classifies a vendor's unclassified new spend: finops, itfm or admin only (the `classify` policy
 * row); the vendor must be in that month's unclassified list (anything else — a provider whose spend
 * is classified, a made-up name — is refused with a `refused` audit row, nothing applied); a vendor
 * classified already is a CONFLICT naming who did it. Then the contract is applied (lines
 * re-attributed, audited) through the contracts use case.
 */
export async function classifyVendor(store: Store, r: ClassifyVendorRequest): Promise<ClassifyVendorResult> {
  const subjectId = `${r.vendor}:${r.period}`;
  const attempt = { vendor: r.vendor, period: r.period, category: r.category, glAccount: r.glAccount, costCenter: r.costCenter };
  const allowed = await authorize(store.db, { action: 'classify', actor: r.actor, surface: r.surface, auditAction: 'spend.classify', subjectType: 'vendor', subjectId, attempt });
  if (!allowed.ok) return allowed;
  const actor = allowed.person.id;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(r.period)) return { ok: false, code: 'INPUT_INVALID', message: `the month must look like 2026-10, got ${JSON.stringify(r.period)}` };
  const earlier = await classificationOf(store, r.vendor, r.period);
  if (earlier) return conflict(r.vendor, earlier);
  const found = await unclassifiedVendor(store, r.vendor, r.period, r.governedCategories);
  if (!found) {
    const reason = `${JSON.stringify(r.vendor)} has no unclassified new spend in ${r.period}: only a vendor in that month's unclassified list (costbridge unclassified --period ${r.period}) can be classified here; nothing was changed`;
    await recordRefusal(store.db, { actor, surface: r.surface, action: 'spend.classify', subjectType: 'vendor', subjectId, reason, attempt });
    return { ok: false, code: 'NOT_UNCLASSIFIED', message: reason };
  }
  const scope = classificationScope(found);
  if ('error' in scope) return { ok: false, code: 'INPUT_INVALID', message: scope.error };
  let applied: AppliedContract;
  try {
    applied = await applyClassification(
      store,
      { vendor: r.vendor, provider: found.provider, period: r.period, category: r.category, glAccount: r.glAccount, costCenter: r.costCenter, owner: r.owner, ...scope },
      { actor, surface: r.surface },
    );
  } catch (e) {
    if (!(e instanceof CostbridgeError)) throw e;
    const current = e.code === 'CONFLICT' ? await classificationOf(store, r.vendor, r.period) : undefined;
    if (current) return conflict(r.vendor, current);
    if (e.code !== 'INPUT_INVALID') throw e;
    return { ok: false, code: 'INPUT_INVALID', message: e.message, details: e.details };
  }
  return { ok: true, applied, contract: await classificationOf(store, r.vendor, r.period), by: actor };
}

function conflict(vendor: string, current: StoredContract): ClassifyVendorResult {
  return {
    ok: false,
    code: 'CONFLICT',
    message: `${vendor} was classified by ${current.appliedBy} at ${current.appliedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC as ${current.definition.category} (contract ${current.definition.id}); nothing was changed`,
    current,
  };
}
