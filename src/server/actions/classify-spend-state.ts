import { classificationOf as storedClassification, unclassifiedVendor as vendorSpend } from '../../app/classify-vendor.js';
import type { UnclassifiedVendor } from '../../app/list-unclassified-spend.js';
import type { ContractDefinition } from '../../domain/contract-document.js';
import { actionIds } from '../../messages/views/interaction-ids.js';
import { spendClassificationOutcome } from '../../messages/views/unclassified-new-spend-alert.js';
import type { StoredContract } from '../../store/contracts.js';
import type { ChatRequest } from '../chat-request.js';
import { reviseClickedMessage } from '../revise-clicked-message.js';
import { withEntryDecided } from '../view-inputs/decided-entry.js';
import type { ClickedMessage } from './chat-action.js';

/** The vendor's unclassified new spend in a month, or undefined when none is left. */
export function unclassifiedVendor(request: ChatRequest, vendor: string, period: string): Promise<UnclassifiedVendor | undefined> {
  return vendorSpend(request.store, vendor, period, request.config.attribution.governedCategories);
}

/** The contract an earlier **Classify** of this vendor and month created, if any. */
export function classificationOf(request: ChatRequest, vendor: string, period: string): Promise<StoredContract | undefined> {
  return storedClassification(request.store, vendor, period);
}

/** Shows a vendor's classification in the alert it was clicked in: who, which category, contract, GL account and cost center. */
export async function showClassification(request: ChatRequest, origin: ClickedMessage | undefined, vendor: string, period: string, contract: StoredContract): Promise<void> {
  const d: ContractDefinition = contract.definition;
  const outcome = spendClassificationOutcome({
    by: contract.appliedBy,
    contractId: d.id,
    category: d.category,
    glAccount: d.glAccount,
    costCenter: d.attribution.cost_center ?? '?',
  });
  await reviseClickedMessage(request, origin, `classified:${d.id}`, (current) =>
    withEntryDecided(current, (b) => b.actionId === actionIds.classifySpend && b.payload.vendor === vendor && b.payload.period === period, outcome),
  );
}
