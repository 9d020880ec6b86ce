import { stringify } from 'yaml';
import { applyContractText, type AppliedContract } from '../../app/apply-contracts.js';
import type { ContractCategory } from '../../domain/contract-document.js';
import { exactGlob } from '../../domain/glob-pattern.js';
import type { Surface } from '../../store/audit-log.js';
import type { Store } from '../../store/database.js';

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
}

/** The contract id a classification gets: one per vendor and first month, so a second classification of it is recognized. */
export function classificationContractId(vendor: string, period: string): string {
  const slug = vendor.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'vendor';
  return `chat-${slug.slice(0, 60)}-${period}`;
}

/**
 * The contract file (the format `costbridge contracts apply` reads) for a classification: the
 * vendor's lines matched exactly by publisher (and provider, when the vendor is not the provider
 * itself), from the month first seen, with the chosen category, GL account and attribution.
 */
export function classificationContract(c: SpendClassification): Record<string, unknown> {
  const vendor: Record<string, string> = { publisherName: exactGlob(c.vendor) };
  if (c.provider !== null && c.provider !== c.vendor) vendor.providerName = exactGlob(c.provider);
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
  });
  return applied.contracts[0]!;
}
