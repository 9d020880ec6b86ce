import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { ErrorCode, WebClient, type WebAPICallError } from '@slack/web-api';
import type { SlackConfig } from '../../config.js';
import { queueChatMessage } from '../../app/queue-chat-message.js';
import { recordWorkspaceAuthorized } from '../../app/chat-workspace-authorized.js';
import { context, header, message } from '../../messages/message-blocks.js';
import { uninstalledWorkspaces } from '../../store/chat-workspaces.js';
import { SurfaceStatus, type SlackWorkspaceIdentity } from '../../server/surface-status.js';
import { AcksFirst } from './acks-first.js';
import { boltLogger } from './bolt-logger.js';
import { registerListeners } from './listeners/index.js';
import { slackRequestKey } from './listeners/middleware/once-per-request.js';
import { usableResponseUrl } from './response-url.js';
import type { SlackDeps } from './slack-deps.js';
import { timestampRefusal } from './request-timestamp.js';
import { registerWorkspaceGate, SlackWorkspaceGate } from './workspace-gate.js';

/** The Slack side of `serve`: Bolt over our HTTP server, or over Socket Mode, connected in the background. */
export interface SlackBot {
  readonly mode: 'http' | 'socket';
  /** ok / connecting / degraded with the reason, and the workspace once `auth.test` answered. */
  readonly status: SurfaceStatus;
  /** Handles `POST /slack/events` (HTTP mode only): 503 until the token is verified, then Bolt (signature and timestamp checked). */
  readonly handleRequest: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /**
   * Whether outbox rows may go to Slack now: the token was accepted and the workspace has not
   * uninstalled the app (read from the store, so an uninstall seen by another replica counts).
   */
  deliverable(): Promise<boolean>;
  /** Starts connecting in the background (auth.test, then Socket Mode) and returns at once. */
  start(): void;
  /** Stops retrying and disconnects Socket Mode. */
  stop(): Promise<void>;
}

/** Retry timing of the background connection (defaults: 1 s, doubling, capped at 60 s). */
export interface SlackConnectOptions {
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

// Errors with which Slack refuses a credential for good: retrying cannot help, a new token can.
const rejectedCredentialErrors = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'team_disabled',
  'user_removed_from_team',
  'missing_scope',
  'no_permission',
  'ekm_access_denied',
  'org_login_required',
]);

/** Slack's error when it refuses a credential for good (`invalid_auth` ...), else undefined. */
export function rejectedCredential(e: unknown): string | undefined {
  const err = e as Partial<WebAPICallError> & { data?: { error?: string } };
  if (err?.code !== ErrorCode.PlatformError) return undefined;
  const error = String(err.data?.error ?? '');
  return rejectedCredentialErrors.has(error) ? error : undefined;
}

/** A failure in one line, without a stack: what to put in the log and in `/healthz`. */
export function describeSlackFailure(e: unknown): string {
  const err = e as Partial<WebAPICallError> & { data?: { error?: string }; original?: Error & { cause?: { code?: string; message?: string } } };
  switch (err?.code) {
    case ErrorCode.PlatformError:
      return String(err.data?.error ?? 'unknown_error');
    case ErrorCode.HTTPError:
      return `HTTP ${(err as { statusCode?: number }).statusCode ?? '?'}`;
    case ErrorCode.RateLimitedError:
      return `rate limited (Retry-After ${(err as { retryAfter?: number }).retryAfter ?? '?'}s)`;
    case ErrorCode.RequestError: {
      const cause = err.original?.cause;
      return `cannot reach Slack: ${cause?.code ?? cause?.message ?? err.original?.message ?? 'request failed'}`;
    }
    default:
      return (e as Error)?.message ?? String(e);
  }
}

/**
 * Builds the Slack side without touching the network. `start()` then connects in the background:
 * `auth.test` with the bot token (who the app is, in which workspace), the Bolt app with the
 * listeners and the one error handler, and in Socket Mode the WebSocket (`apps.connections.open`
 * with the app token). A network failure is retried with exponential backoff (logged, capped); a
 * credential Slack refuses is one log line naming the variable and leaves Slack `degraded` while the
 * rest of `serve` runs. A dropped Socket Mode connection is reconnected the same way (auth.test
 * again first, so a token revoked meanwhile is noticed). Requests pass the workspace gate (only the
 * allowed teams, learned from auth.test unless configured) before any listener, and in HTTP mode a
 * request whose timestamp is more than 5 minutes off either way gets 401 before Bolt checks the
 * v0 HMAC-SHA256 signature.
 */
export function createSlackBot(config: SlackConfig, deps: SlackDeps, options: SlackConnectOptions = {}): SlackBot {
  const logger = boltLogger(deps.log);
  const log = deps.log.child({ component: 'slack' });
  const socket = config.appToken !== undefined;
  const status = new SurfaceStatus('slack', socket ? 'socket' : 'http');
  const gate = new SlackWorkspaceGate(config.allowedTeamIds, deps.log);
  const timeout = 10_000;
  const acks = new AcksFirst();
  // The outbox retries deliveries and this loop retries connecting: the SDK itself never retries.
  const clientOptions = { slackApiUrl: config.apiUrl, retryConfig: { retries: 0 }, timeout };
  const authClient = new WebClient(config.botToken, { ...clientOptions, logger });
  const initialDelay = options.initialDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 60_000;

  let receiver: HTTPReceiver | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  let app: App | undefined;
  let authorized = false;
  let stopped = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  const build = (identity: SlackWorkspaceIdentity): App => {
    if (socket) {
      socketReceiver = new SocketModeReceiver({
        appToken: config.appToken!,
        logger,
        // Reconnecting is this loop's job: the client's own reconnect retries forever without telling anyone.
        autoReconnectEnabled: false,
        installerOptions: { clientOptions },
      });
    } else {
      receiver = new HTTPReceiver({ signingSecret: config.signingSecret!, endpoints: '/slack/events', logger, processBeforeResponse: false });
    }
    const built = new App({
      token: config.botToken,
      botId: identity.botId,
      botUserId: identity.botUserId,
      receiver: (socketReceiver ?? receiver)!,
      logger,
      clientOptions,
      // auth.test already answered (above); Bolt must not call it again behind our back.
      tokenVerificationEnabled: false,
      // No listener keeps conversation state; Bolt's default in-memory store would run ahead of the
      // acknowledgement on every request (and throw "Conversation not found" for each new channel).
      convoStore: false,
      extendedErrorHandler: true,
    });
    registerWorkspaceGate(built, gate, deps.log);
    registerListeners(built, { ...deps, slackStatus: status, acksFirst: () => acks.turn() });
    const onError = async ({ error, body, context: ctx }: { error: Error; body: unknown; context?: { retryNum?: number } }) => {
      const b = (body ?? {}) as Record<string, unknown>;
      const key = slackRequestKey(b)?.key ?? `unkeyed:${Date.now()}`;
      deps.log.error({ err: error, requestKey: key, retryNum: ctx?.retryNum }, 'slack listener failed');
      await tellUserSomethingWentWrong(deps, config, b, key).catch((e: unknown) => deps.log.error({ err: e }, 'could not tell the user about the failure'));
    };
    // extendedErrorHandler: true makes Bolt call it with { error, logger, body, context }.
    built.error(onError as unknown as Parameters<typeof built.error>[0]);
    return built;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const connect = async (): Promise<void> => {
    let failures = 0;
    while (!stopped) {
      let variable = 'SLACK_BOT_TOKEN';
      try {
        const r = await authClient.auth.test();
        const identity: SlackWorkspaceIdentity = {
          teamId: String(r.team_id),
          teamName: r.team ?? undefined,
          botUserId: String(r.user_id),
          botId: r.bot_id ?? undefined,
          enterpriseId: r.enterprise_id ?? undefined,
        };
        status.identify(identity);
        gate.learn({ team_id: identity.teamId, app_id: typeof (r as { app_id?: unknown }).app_id === 'string' ? (r as { app_id: string }).app_id : undefined });
        authorized = true;
        const back = await recordWorkspaceAuthorized(deps.store, { platform: 'slack', workspace: identity.teamId, now: deps.now() });
        if (back.reinstalled) {
          log.warn({ team: identity.teamId, released: back.released }, `Slack workspace ${identity.teamId} authorized costbridge again: ${back.released} parked deliveries resume`);
          deps.nudgeOutbox();
        }
        app ??= build(identity);
        if (socketReceiver) {
          variable = 'SLACK_APP_TOKEN';
          if (!stopped) await socketReceiver.start();
        }
        if (stopped) return;
        failures = 0;
        status.set('ok');
        log.info({ team: identity.teamId, teamName: identity.teamName, botUserId: identity.botUserId, mode: status.mode }, 'Slack connected');
        if (!socketReceiver) return;
        await new Promise<void>((resolve) => {
          socketReceiver!.client.once('disconnected', () => resolve());
          wake = resolve;
        });
        if (stopped) return;
        status.set('connecting', 'Socket Mode connection closed; reconnecting');
        log.warn('Slack Socket Mode connection closed; reconnecting');
      } catch (e) {
        if (stopped) return;
        const refused = rejectedCredential(e);
        if (refused) {
          // A refused app token only stops Socket Mode: the bot token still delivers scheduled messages.
          if (variable === 'SLACK_BOT_TOKEN') authorized = false;
          const line = `Slack rejected ${variable}: ${refused}`;
          status.set('degraded', line);
          log.error({ variable, error: refused }, `${line} (Slack stays off until the credential is fixed and serve restarted; Teams, the scheduler and the outbox keep running)`);
          return;
        }
        failures++;
        const delay = Math.min(maxDelay, initialDelay * 2 ** Math.min(failures - 1, 20));
        const why = describeSlackFailure(e);
        status.set('connecting', `${why} (attempt ${failures}; next in ${Math.round(delay / 1000)} s)`);
        log.warn({ attempt: failures, retryInMs: delay, error: why, variable }, 'Slack not reachable; retrying in the background');
        await sleep(delay);
      }
    }
  };

  return {
    mode: socket ? 'socket' : 'http',
    status,
    handleRequest: socket
      ? undefined
      : (req, res) => {
          if (!receiver) {
            req.resume();
            const text = JSON.stringify({ error: `Slack is ${status.state}: ${status.reason ?? 'verifying the bot token'}` });
            res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '5', 'content-length': Buffer.byteLength(text) }).end(text);
            return;
          }
          const refused = timestampRefusal(req, deps.now().getTime());
          if (refused) {
            deps.log.warn({ reason: refused }, 'slack request refused: timestamp outside the 5-minute window');
            req.resume();
            res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'request timestamp outside the 5-minute window' }));
            return;
          }
          const answered = acks.received();
          res.once('finish', answered);
          res.once('close', answered);
          receiver.requestListener(req, res);
        },
    async deliverable() {
      const identity = status.workspace;
      if (!authorized || !identity) return false;
      const gone = (await uninstalledWorkspaces(deps.store.db, 'slack')).find((w) => w.workspace === identity.teamId);
      if (gone) {
        status.set('degraded', `the workspace ${identity.teamId} uninstalled costbridge (${gone.reason}); deliveries are parked until it is reinstalled`);
        return false;
      }
      return true;
    },
    start() {
      loop ??= connect().catch((e: unknown) => {
        status.set('degraded', describeSlackFailure(e));
        log.error({ error: describeSlackFailure(e) }, 'Slack connection loop stopped');
      });
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      if (socketReceiver) await socketReceiver.stop().catch(() => undefined);
    },
  };
}

async function tellUserSomethingWentWrong(deps: SlackDeps, config: SlackConfig, body: Record<string, unknown>, key: string): Promise<void> {
  const user = (body.user_id as string | undefined) ?? (body.user as { id?: string } | undefined)?.id;
  if (!user) return;
  const channel = (body.channel_id as string | undefined) ?? (body.channel as { id?: string } | undefined)?.id;
  const responseUrl = usableResponseUrl(body.response_url, config.apiUrl);
  const text = `Something went wrong on costbridge's side; it has been logged (reference ${key}). Please try again.`;
  await queueChatMessage(deps.store, {
    platform: 'slack',
    ...(channel
      ? { operation: 'ephemeral' as const, target: channel, recipient: user, ...(responseUrl ? { responseUrl } : {}) }
      : { operation: 'post' as const, target: user }),
    purpose: `error:${key}`,
    payload: message(text, [header('Something went wrong'), context(text)]),
  });
  deps.nudgeOutbox();
}
