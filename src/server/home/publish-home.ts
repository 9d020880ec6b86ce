import { queueChatMessage } from '../../app/queue-chat-message.js';
import type { Person } from '../../domain/people.js';
import { currentHome, homePurpose } from '../../store/chat-homes.js';
import type { ChatPlatform } from '../../store/chat-outbox.js';
import type { ChatRequest } from '../chat-request.js';
import { homeMessage } from './home-message.js';

/**
 * Shows a person their home: published as their Slack App Home (`target` their user id), or posted
 * in their Teams personal chat (`target` that conversation). With `fresh` false an existing home is
 * updated in place (Slack re-publishes; Teams updates the card) instead of a new one being posted.
 */
export async function showHome(
  request: Pick<ChatRequest, 'store' | 'config' | 'requester' | 'now' | 'requestKey'>,
  where: { platform: ChatPlatform; target: string; fresh: boolean },
): Promise<void> {
  const payload = await homeMessage(request);
  const existing = where.fresh ? undefined : await currentHome(request.store.db, where.platform, request.requester.userId);
  if (existing) {
    await queueChatMessage(request.store, { platform: where.platform, operation: 'update', purpose: `home-refresh:${request.requestKey}`, target: existing.target, updateOf: existing.id, payload });
    return;
  }
  await queueChatMessage(request.store, {
    platform: where.platform,
    operation: where.platform === 'slack' ? 'home' : 'post',
    purpose: homePurpose(request.requester.userId, request.requestKey),
    target: where.target,
    payload,
  });
}

/**
 * After a decision: re-publishes the person's home on each platform where they have one (their
 * open decisions changed), wherever the decision was taken. Nothing for a person without a home.
 */
export async function refreshHomes(request: Pick<ChatRequest, 'store' | 'config' | 'requester' | 'now' | 'requestKey' | 'log'>, person: Person): Promise<void> {
  const ids: [ChatPlatform, string | null][] = [
    ['slack', person.slackUserId],
    ['teams', person.teamsAadId],
  ];
  for (const [platform, userId] of ids) {
    if (!userId) continue;
    const home = await currentHome(request.store.db, platform, userId);
    if (!home) continue;
    const requester = { surface: platform, userId, displayName: undefined, person };
    await queueChatMessage(request.store, {
      platform,
      operation: 'update',
      purpose: `home-refresh:${request.requestKey}`,
      target: home.target,
      updateOf: home.id,
      payload: await homeMessage({ ...request, requester }, person),
    });
    request.log.debug({ platform, userId, person: person.id }, 'home refreshed after a decision');
  }
}
