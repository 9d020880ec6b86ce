import type { WebClient } from '@slack/web-api';
import type { ChatAdapterDeps } from '../../server/chat-adapter-deps.js';
import type { ChatRequest, ChatRequester } from '../../server/chat-request.js';
import type { SurfaceStatus } from '../../server/surface-status.js';
import { identifyChatUser } from '../../app/identify-chat-user.js';
import { slackEmailLookup } from './slack-email-lookup.js';

/** What the Slack listeners need: what every chat adapter needs, plus request tracking and Slack's connection state. */
export interface SlackDeps extends ChatAdapterDeps {
  /** Counts a request's processing (which goes on after the acknowledgement) for graceful shutdown. */
  readonly track: <T>(work: () => Promise<T>) => Promise<T>;
  /** Slack's connection state and the workspace `auth.test` named (set by the bot when it registers the listeners). */
  readonly slackStatus?: SurfaceStatus;
  /** Resolves when the requests still waiting for their acknowledgement have been answered (work after an ack waits on it). */
  readonly acksFirst?: () => Promise<void>;
}

/** The neutral request for a Slack user's interaction, with the costbridge person they map to. */
export async function slackRequest(
  deps: SlackDeps,
  client: WebClient,
  user: { id: string; name?: string | undefined },
  requestKey: string,
  /** The request's team (already checked by the workspace gate). */
  teamId: string | undefined,
): Promise<ChatRequest> {
  const person = await identifyChatUser(
    deps.store,
    { surface: 'slack', userId: user.id, workspace: teamId, email: () => slackEmailLookup(client, user.id, deps.log) },
    (note, detail) => deps.log.info({ userId: user.id, teamId, note, ...detail }, 'slack user identified by email'),
  );
  const requester: ChatRequester = { surface: 'slack', userId: user.id, displayName: user.name, person };
  return { store: deps.store, config: deps.config, log: deps.log, requester, requestKey, now: deps.now() };
}
