import { formatInstant } from '../../messages/cost-bases.js';
import type { ContentBlock, Message } from '../../messages/message-model.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { unattributedItemOutcome } from '../../messages/views/unattributed-spend-alert.js';
import type { ItemRow } from '../../store/unattributed-items.js';
import { unattributedAlertWithOutcome } from '../view-inputs/decided-entry.js';
import type { ChatRequest } from '../chat-request.js';
import type { ClickedMessage } from './chat-action.js';
import { reviseClickedMessage } from '../revise-clicked-message.js';

/** The line a stored item shows once decided; undefined while open. */
export function storedItemOutcome(row: ItemRow): ContentBlock | undefined {
  return unattributedItemOutcome({
    status: row.status,
    ...(row.claimed_by !== null ? { claimedBy: row.claimed_by } : {}),
    ...(row.claim_cost_center !== null ? { claimedCostCenter: row.claim_cost_center } : {}),
    ...(row.dismissed_by !== null ? { dismissedBy: row.dismissed_by } : {}),
    ...(row.dismiss_reason !== null ? { dismissReason: row.dismiss_reason } : {}),
  });
}

/** Shows a decided item's decision in the alert it was clicked in (once per item and message). */
export async function showItemDecision(request: ChatRequest, origin: ClickedMessage | undefined, row: ItemRow): Promise<void> {
  const outcome = storedItemOutcome(row);
  if (!outcome) return;
  await reviseClickedMessage(request, origin, `unattributed-item:${row.id}:${row.status}`, (current) => unattributedAlertWithOutcome(current, String(row.id), outcome));
}

/** The private note to someone who clicked an item somebody else already decided: who, when, what. */
export function alreadyDecidedNote(row: ItemRow, timeZone: string): Message {
  if (row.status === 'claimed') {
    const when = row.claimed_at ? ` on ${formatInstant(row.claimed_at.toISOString(), timeZone)}` : '';
    return errorMessage({ code: 'ALREADY_DECIDED', message: `@${row.claimed_by} claimed item ${row.id} for ${row.claim_cost_center}${when}.` });
  }
  const when = row.dismissed_at ? ` on ${formatInstant(row.dismissed_at.toISOString(), timeZone)}` : '';
  return errorMessage({ code: 'ALREADY_DECIDED', message: `@${row.dismissed_by} sent item ${row.id} back to FinOps${when}: ${row.dismiss_reason ?? ''}` });
}
