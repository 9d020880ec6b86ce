import { listUnclassifiedSpend, type UnclassifiedVendor } from '../../app/list-unclassified-spend.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import type { ContractDefinition } from '../../domain/contract-document.js';
import { actionIds } from '../../messages/views/interaction-ids.js';
import { spendClassificationOutcome } from '../../messages/views/unclassified-new-spend-alert.js';
import { listContracts, type StoredContract } from '../../store/contracts.js';
import type { ChatRequest } from '../chat-request.js';
import { reviseClickedMessage } from '../revise-clicked-message.js';
import { classificationContractId } from '../forms/classified-contract.js';
import { withEntryDecided } from '../view-inputs/decided-entry.js';
import type { ClickedMessage } from './chat-action.js';

/** The vendor's unclassified new spend in a month, or undefined when none is left. */
export async function unclassifiedVendor(request: ChatRequest, vendor: string, period: string): Promise<UnclassifiedVendor | undefined> {
  const spend = await listUnclassifiedSpend(request.store, { period: parseBillingMonth(period), governedCategories: request.config.attribution.governedCategories });
  return spend.vendors.find((v) => v.vendor === vendor);
}

/** The contract an earlier **Classify** of this vendor and month created, if any. */
export async function classificationOf(request: ChatRequest, vendor: string, period: string): Promise<StoredContract | undefined> {
  const id = classificationContractId(vendor, period);
  return (await listContracts(request.store.db)).find((c) => c.definition.id === id);
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
