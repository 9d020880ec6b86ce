import { authorize } from '../../app/authorization-policy.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { actionIds } from '../../messages/views/interaction-ids.js';
import { notMineForm } from '../../messages/views/not-mine-form.js';
import { findUnattributedItem } from '../../store/unattributed-item-lookup.js';
import type { ChatAction } from './chat-action.js';
import { itemIdOf } from './claim-item-action.js';
import { alreadyDecidedNote, showItemDecision } from './unattributed-item-state.js';

/**
 * **Not mine** on an unattributed-spend item: opens the reason form for anyone holding a role (the
 * `not-mine` policy row); an item already decided gets a private note instead.
 */
export const notMineAction: ChatAction = {
  actionId: actionIds.notMineItem,
  requiresPerson: true,
  async run(payload, request) {
    const id = itemIdOf(payload);
    const row = id === undefined ? undefined : await findUnattributedItem(request.store.db, id);
    if (!row) return { reply: errorMessage({ code: 'NOT_FOUND', message: `There is no unattributed item ${payload.itemId ?? ''}.` }) };
    if (row.status !== 'open') {
      await showItemDecision(request, request.clicked, row);
      return { reply: alreadyDecidedNote(row, request.config.timezone) };
    }
    const allowed = await authorize(request.store.db, {
      action: 'not-mine',
      actor: request.requester.person!.id,
      surface: request.requester.surface,
      auditAction: 'unattributed.not-mine',
      subjectType: 'unattributed_item',
      subjectId: String(row.id),
    });
    if (!allowed.ok) return { reply: errorMessage({ code: 'FORBIDDEN', message: allowed.message }) };
    const f = notMineForm({ itemId: String(row.id), provider: row.provider_name || '(no provider)', service: row.service_name || '(no service)', period: String(row.period).slice(0, 7) });
    return { openForm: f };
  },
};
