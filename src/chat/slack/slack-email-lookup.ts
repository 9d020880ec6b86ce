import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../log.js';

const ttlMs = 10 * 60_000;
const cache = new Map<string, { email: string | undefined; until: number }>();

/**
 * A Slack user's email from users.info (needs the users:read.email scope; without it Slack omits the
 * field and the user is matched by id only). Cached for ten minutes per user and API URL.
 */
export async function slackEmailLookup(client: WebClient, userId: string, log: Logger): Promise<string | undefined> {
  // Keyed by API URL too: one process may talk to several Slack endpoints (gov cloud, tests).
  const key = `${client.slackApiUrl}|${userId}`;
  const hit = cache.get(key);
  if (hit && hit.until > Date.now()) return hit.email;
  try {
    const r = await client.users.info({ user: userId });
    const email = r.user?.profile?.email || undefined;
    cache.set(key, { email, until: Date.now() + ttlMs });
    if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
    return email;
  } catch (e) {
    log.warn({ userId, error: (e as Error).message }, 'users.info failed; matching the user by id only');
    return undefined;
  }
}
