import type { Store } from '../store/database.js';
import { saveTeamsConversation } from '../store/teams-conversations.js';

/** The parts of a Bot Framework ConversationReference costbridge reads (the rest is kept as is). */
export interface TeamsConversationReference {
  readonly serviceUrl: string;
  readonly conversation: { readonly id: string; readonly conversationType?: string; readonly tenantId?: string };
  readonly [key: string]: unknown;
}

/**
 * Stores (or refreshes) where the bot can reach a Teams conversation, so later issues can post to it
 * proactively; `installed: false` when the bot was removed from it. The reference is stored without
 * the activity it came from, so a proactive post starts a new message rather than a reply.
 */
export async function rememberTeamsConversation(
  store: Store,
  request: { reference: TeamsConversationReference; teamId: string | undefined; installed: boolean },
): Promise<void> {
  const { activityId: _activityId, ...reference } = request.reference;
  await saveTeamsConversation(store.db, {
    conversationId: request.reference.conversation.id,
    conversationType: request.reference.conversation.conversationType ?? null,
    tenantId: request.reference.conversation.tenantId ?? null,
    teamId: request.teamId ?? null,
    serviceUrl: request.reference.serviceUrl,
    reference,
    installed: request.installed,
  });
}
