import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { SlackConfig } from '../../config.js';
import { queueChatMessage } from '../../app/queue-chat-message.js';
import { context, header, message } from '../../messages/message-blocks.js';
import { boltLogger } from './bolt-logger.js';
import { registerListeners } from './listeners/index.js';
import { slackRequestKey } from './listeners/middleware/once-per-request.js';
import type { SlackDeps } from './slack-deps.js';
import { timestampRefusal } from './request-timestamp.js';
import { registerWorkspaceGate, SlackWorkspaceGate, type SlackTokenOwner } from './workspace-gate.js';

/** The Slack side of `serve`: Bolt over our HTTP server, or over Socket Mode. */
export interface SlackBot {
  readonly mode: 'http' | 'socket';
  /** Handles `POST /slack/events` (HTTP mode only): timestamp (±5 minutes) checked here, signature by Bolt. */
  readonly handleRequest: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** Connects Socket Mode (no-op in HTTP mode). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the Bolt app: verifies the bot token (auth.test, which also names the workspace requests
 * are accepted from), registers the workspace gate, the listeners and the one error handler. In HTTP
 * mode a request whose timestamp is more than 5 minutes off either way gets 401, then Bolt verifies
 * the v0 HMAC-SHA256 signature; requests are answered as soon as a listener acknowledges (slow work
 * continues after).
 */
export async function createSlackBot(config: SlackConfig, deps: SlackDeps): Promise<SlackBot> {
  const logger = boltLogger(deps.log);
  const clientOptions = { slackApiUrl: config.apiUrl, retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1000 }, timeout: 10_000 };
  const socket = config.appToken !== undefined;
  const receiver = socket
    ? undefined
    : new HTTPReceiver({ signingSecret: config.signingSecret!, endpoints: '/slack/events', logger, processBeforeResponse: false });
  const app = new App({
    token: config.botToken,
    ...(socket ? { appToken: config.appToken, socketMode: true } : { receiver }),
    logger,
    clientOptions,
    deferInitialization: true,
    extendedErrorHandler: true,
  });
  const gate = new SlackWorkspaceGate(config.allowedTeamIds, deps.log);
  registerWorkspaceGate(app, gate, deps.log);
  registerListeners(app, deps);
  const onError = async ({ error, body, context: ctx }: { error: Error; body: unknown; context?: { retryNum?: number } }) => {
    const b = (body ?? {}) as Record<string, unknown>;
    const key = slackRequestKey(b)?.key ?? `unkeyed:${Date.now()}`;
    deps.log.error({ err: error, requestKey: key, retryNum: ctx?.retryNum }, 'slack listener failed');
    await tellUserSomethingWentWrong(deps, b, key).catch((e: unknown) => deps.log.error({ err: e }, 'could not tell the user about the failure'));
  };
  // extendedErrorHandler: true makes Bolt call it with { error, logger, body, context }.
  app.error(onError as unknown as Parameters<typeof app.error>[0]);
  await app.init();
  await gate.learnIfNeeded(() => app.client.auth.test() as Promise<SlackTokenOwner>);
  return {
    mode: socket ? 'socket' : 'http',
    handleRequest: receiver
      ? (req, res) => {
          const refused = timestampRefusal(req, deps.now().getTime());
          if (refused) {
            deps.log.warn({ reason: refused }, 'slack request refused: timestamp outside the 5-minute window');
            req.resume();
            res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'request timestamp outside the 5-minute window' }));
            return;
          }
          receiver.requestListener(req, res);
        }
      : undefined,
    start: async () => {
      if (socket) await app.start();
    },
    stop: async () => {
      if (socket) await app.stop();
    },
  };
}

async function tellUserSomethingWentWrong(deps: SlackDeps, body: Record<string, unknown>, key: string): Promise<void> {
  const user = (body.user_id as string | undefined) ?? (body.user as { id?: string } | undefined)?.id;
  if (!user) return;
  const channel = (body.channel_id as string | undefined) ?? (body.channel as { id?: string } | undefined)?.id;
  const text = `Something went wrong on costbridge's side; it has been logged (reference ${key}). Please try again.`;
  await queueChatMessage(deps.store, {
    platform: 'slack',
    ...(channel ? { operation: 'ephemeral' as const, target: channel, recipient: user } : { operation: 'post' as const, target: user }),
    purpose: `error:${key}`,
    payload: message(text, [header('Something went wrong'), context(text)]),
  });
  deps.nudgeOutbox();
}
