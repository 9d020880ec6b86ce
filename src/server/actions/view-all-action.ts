import { decisionListPage, decisionListSpec } from '../../app/decision-list.js';
import { reviewSettings } from '../../app/review-settings.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { viewAllActionIds, type DigestListKind } from '../../messages/views/weekly-digest.js';
import type { ChatAction } from './chat-action.js';

/**
 * **View all** under one of a digest's short lists: opens the full list (paged, each entry with its
 * buttons) for the digest's own data cut and cost centers, as carried by the button and checked to
 * be on the digest message. Anyone costbridge knows may look; each entry's buttons check their own
 * permission when pressed.
 */
function viewAllAction(kind: DigestListKind): ChatAction {
  return {
    actionId: viewAllActionIds[kind],
    requiresPerson: true,
    async run(payload, request) {
      const spec = decisionListSpec(kind, payload);
      if (!spec) return { reply: errorMessage({ code: 'INPUT_INVALID', message: 'This View all button does not name a digest.' }) };
      const page = await decisionListPage(request.store, reviewSettings(request.config), spec, 1, request.now);
      return { openList: { title: page.title, page: page.message, spec } };
    },
  };
}

/** The View all actions, one per list of the digest. */
export const viewAllActions: readonly ChatAction[] = (Object.keys(viewAllActionIds) as DigestListKind[]).map(viewAllAction);
