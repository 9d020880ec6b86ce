import type { WebClient } from '@slack/web-api';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/database.js';
import type { ChatAction } from '../../server/actions/chat-action.js';
import type { ChatCommand } from '../../server/commands/chat-command.js';
import type { ChatForm } from '../../server/forms/chat-form.js';
import type { OptionsSource } from '../../server/forms/options-source.js';
import type { ChatRequest, ChatRequester } from '../../server/chat-request.js';
import { identifyChatUser } from '../../app/identify-chat-user.js';
import { slackEmailLookup } from './slack-email-lookup.js';

/** What the Slack listeners need: the store, settings, the neutral handlers, and a way to wake the outbox. */
export interface SlackDeps {
  readonly config: Config;
  readonly store: Store;
  readonly log: Logger;
  readonly commands: readonly ChatCommand[];
  readonly actions: readonly ChatAction[];
  readonly forms: readonly ChatForm[];
  readonly optionsSources: readonly OptionsSource[];
  /** Called after queuing a message so the outbox worker delivers it now rather than at its next poll. */
  readonly nudgeOutbox: () => void;
  readonly now: () => Date;
  /** Counts a request's processing (which goes on after the acknowledgement) for graceful shutdown. */
  readonly track: <T>(work: () => Promise<T>) => Promise<T>;
}

/** The neutral request for a Slack user's interaction, with the costbridge person they map to. */
export async function slackRequest(
  deps: SlackDeps,
  client: WebClient,
  user: { id: string; name?: string | undefined },
  requestKey: string,
): Promise<ChatRequest> {
  const person = await identifyChatUser(deps.store, { surface: 'slack', userId: user.id, email: () => slackEmailLookup(client, user.id, deps.log) });
  const requester: ChatRequester = { surface: 'slack', userId: user.id, displayName: user.name, person };
  return { store: deps.store, config: deps.config, log: deps.log, requester, requestKey, now: deps.now() };
}
