import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../log.js';
import type { Store } from '../store/database.js';
import { checkDatabase } from '../store/database-health.js';
import { outboxBacklog } from '../store/chat-outbox.js';
import { findTeamsConversation } from '../store/teams-conversations.js';
import type { DeliveryTransports } from '../app/deliver-pending.js';
import { createSlackBot, type SlackBot, type SlackConnectOptions } from '../chat/slack/slack-bot.js';
import { slackTransport } from '../chat/slack/slack-transport.js';
import { createTeamsBot, type TeamsBot } from '../chat/teams/teams-bot.js';
import { teamsTransport } from '../chat/teams/teams-transport.js';
import type { ChatAction } from '../server/actions/chat-action.js';
import { chatActions } from '../server/actions/index.js';
import type { ChatCommand } from '../server/commands/chat-command.js';
import { chatCommands } from '../server/commands/index.js';
import type { ChatForm } from '../server/forms/chat-form.js';
import type { OptionsSource } from '../server/forms/options-source.js';
import { chatForms, optionsSources } from '../server/forms/index.js';
import { InFlight } from '../server/in-flight.js';
import { answerChartRequest, chartUrlSigner } from '../server/chart-route.js';
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from '../server/outbox-worker.js';
import { SurfaceStatus, type SurfaceHealth } from '../server/surface-status.js';

/** What `/healthz` reads from the review scheduler this process runs. */
export interface SchedulerHealthSource {
  health(): { lastTickAt: Date | undefined; lastTickOk: boolean | undefined; lastError: string | undefined; pollMs: number };
}

/** Overrides for tests and benchmarks; production uses the defaults. */
export interface ServerOptions {
  readonly log?: Logger;
  /** Interface to listen on (default: `HOST` from the configuration). */
  readonly host?: string;
  readonly commands?: readonly ChatCommand[];
  readonly actions?: readonly ChatAction[];
  readonly forms?: readonly ChatForm[];
  readonly optionsSources?: readonly OptionsSource[];
  /** Outbox worker settings, or false to run no worker (the caller delivers with `deliverPending`). */
  readonly outbox?: OutboxWorkerOptions | false;
  /** How long shutdown waits for in-flight work before closing anyway. */
  readonly shutdownTimeoutMs?: number;
  /** The review scheduler running beside the server, so `/healthz` reports its last pass. */
  readonly scheduler?: SchedulerHealthSource;
  /** Retry timing of Slack's background connection. */
  readonly slackConnect?: SlackConnectOptions;
  /** Called on every change of a surface's state (`serve` prints them). */
  readonly onSurfaceChange?: (surface: 'slack' | 'teams', health: SurfaceHealth) => void;
}

/** A running `serve`. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** The interface it listens on. */
  readonly host: string;
  readonly slack: 'http' | 'socket' | 'off';
  readonly teams: 'on' | 'unauthenticated' | 'off';
  /** The transports of the platforms that are on (for `deliverPending`). */
  readonly transports: DeliveryTransports;
  /** Each configured surface's live state (Slack's also names its workspace once `auth.test` answered). */
  readonly surfaces: { readonly slack?: SurfaceStatus; readonly teams?: SurfaceStatus };
  /** Stops accepting, finishes in-flight requests and their after-ack work, stops the outbox worker. The store stays open. */
  close(): Promise<void>;
}

/**
 * Starts the chat server as `costbridge serve` runs it: one HTTP server with `POST /slack/events`
 * (Bolt), `POST /api/messages` (Bot Framework), `GET /healthz`, `GET /readyz`, `GET /charts/ID.png`
 * (a message's chart, for a signed unexpired token), 404 otherwise; Slack
 * over Socket Mode instead when an app token is configured; and the outbox worker. Nothing waits for
 * Slack: Teams and the outbox run at once, and Slack connects in the background (see
 * `createSlackBot`), its deliveries waiting in the outbox until it is ready.
 */
export async function startServer(config: Config, store: Store, options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config);
  const inFlight = new InFlight();
  let worker: OutboxWorker | undefined;
  const nudgeOutbox = () => worker?.nudge();
  const now = () => new Date();
  const handlers = {
    commands: options.commands ?? chatCommands,
    actions: options.actions ?? chatActions,
    forms: options.forms ?? chatForms,
    optionsSources: options.optionsSources ?? optionsSources,
  };
  const transports: { slack?: DeliveryTransports['slack']; teams?: DeliveryTransports['teams'] } = {};

  let teams: TeamsBot | undefined;
  let teamsStatus: SurfaceStatus | undefined;
  if (config.chat.teams) {
    teams = createTeamsBot(config.chat.teams, { config, store, log, ...handlers, nudgeOutbox, now });
    const chartUrl = chartUrlSigner(config.chat.publicUrl, config.chat.chartUrlKey, now);
    transports.teams = teamsTransport(teams.adapter, teams.appId, async (id) => (await findTeamsConversation(store.db, id))?.reference, chartUrl ? { chartUrl } : {});
    // Bot Framework needs no connection: Teams is ready as soon as its endpoint is served.
    teamsStatus = new SurfaceStatus('teams', config.chat.teams.allowUnauthenticated ? 'unauthenticated' : 'bot-framework', 'ok');
    if (config.chat.teams.allowUnauthenticated) {
      log.warn('TEAMS_ALLOW_UNAUTHENTICATED=true: Teams activities are accepted without Bot Framework authentication; use only with local emulators and tests');
    }
  }
  let slack: SlackBot | undefined;
  if (config.chat.slack) {
    slack = createSlackBot(
      config.chat.slack,
      {
        config,
        store,
        log,
        ...handlers,
        nudgeOutbox,
        now,
        track: (work) => inFlight.track(work),
      },
      options.slackConnect,
    );
    transports.slack = slackTransport(config.chat.slack, log);
    if (options.onSurfaceChange) slack.status.onChange((h) => options.onSurfaceChange!('slack', h));
  }
  // Slack's rows wait (pending) until its token is verified and while its workspace has uninstalled the app.
  const deliverableTransports = async (): Promise<DeliveryTransports> => ({
    ...(transports.teams ? { teams: transports.teams } : {}),
    ...(transports.slack && slack && (await slack.deliverable()) ? { slack: transports.slack } : {}),
  });

  const surfaceHealth = (): Record<'slack' | 'teams', SurfaceHealth | { state: 'off'; reason: string }> => ({
    slack: slack?.status.health() ?? { state: 'off', reason: 'SLACK_BOT_TOKEN is not set' },
    teams: teamsStatus?.health() ?? { state: 'off', reason: 'MICROSOFT_APP_ID is not set' },
  });

  let closing = false;
  const server: Server = createServer((req, res) => {
    void inFlight.track(() => route(req, res)).catch((e: unknown) => {
      log.error({ err: e, path: req.url }, 'request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
    });
  });
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'POST' && path === '/slack/events' && slack?.handleRequest) {
      const handle = slack.handleRequest;
      // Bolt answers asynchronously: count the request until its response is finished (the work
      // after the acknowledgement is counted by the Slack middleware).
      return new Promise<void>((resolve) => {
        res.once('close', resolve);
        handle(req, res);
      });
    }
    if (req.method === 'POST' && path === '/api/messages' && teams) return teams.handleRequest(req, res);
    if ((req.method === 'GET' || req.method === 'HEAD') && path.startsWith('/charts/')) {
      req.resume();
      const answer = await answerChartRequest(store, config.chat.chartUrlKey, new URL(req.url ?? '/', 'http://localhost'), now());
      res.writeHead(answer.status, answer.headers).end(req.method === 'HEAD' ? undefined : answer.body);
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/healthz') {
      const db = await checkDatabase(store);
      const surfaces = surfaceHealth();
      const degraded = Object.values(surfaces).some((s) => s.state !== 'ok' && s.state !== 'off');
      const status = closing ? 'shutting-down' : !db.ok ? 'unavailable' : degraded ? 'degraded' : 'ok';
      const backlog = db.ok ? await outboxBacklog(store.db).catch(() => undefined) : undefined;
      const at = Date.now();
      const tick = options.scheduler?.health();
      // 503 only when this process cannot do its job at all: a platform still connecting is reported, not fatal.
      return json(res, closing || !db.ok ? 503 : 200, {
        status,
        database: db.ok ? 'ok' : db.error,
        ...surfaces,
        outbox: backlog
          ? {
              pending: backlog.pending,
              oldestPendingAgeSeconds: backlog.oldestPendingAt ? Math.max(0, Math.round((at - backlog.oldestPendingAt.getTime()) / 1000)) : null,
              parked: backlog.parked,
            }
          : null,
        scheduler: tick
          ? { lastTickAt: tick.lastTickAt?.toISOString() ?? null, lastTickOk: tick.lastTickOk ?? null, ...(tick.lastError ? { lastError: tick.lastError } : {}), pollSeconds: tick.pollMs / 1000 }
          : { state: 'off' },
      });
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/readyz') {
      const db = await checkDatabase(store);
      const waiting = Object.entries(surfaceHealth())
        .filter(([, s]) => s.state !== 'ok' && s.state !== 'off')
        .map(([name, s]) => `${name} ${s.state}${'reason' in s && s.reason ? `: ${s.reason}` : ''}`);
      if (closing) waiting.unshift('shutting down');
      if (!db.ok) waiting.unshift(`database: ${db.error}`);
      return json(res, waiting.length === 0 ? 200 : 503, waiting.length === 0 ? { ready: true } : { ready: false, waitingFor: waiting });
    }
    req.resume();
    json(res, 404, { error: 'not found' });
  }

  const listenHost = options.host ?? config.chat.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.chat.port, host: listenHost }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (options.outbox !== false) worker = startOutboxWorker(store, deliverableTransports, log, options.outbox ?? {});
  slack?.start();

  const address = server.address() as AddressInfo;
  const host = listenHost === '0.0.0.0' || listenHost === '::' ? '127.0.0.1' : listenHost;
  const slackMode = slack?.mode ?? 'off';
  const teamsMode = teams ? (config.chat.teams?.allowUnauthenticated ? 'unauthenticated' : 'on') : 'off';
  log.info({ host: address.address, port: address.port, slack: slackMode, teams: teamsMode, database: store.description }, 'costbridge serve listening');
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    host: address.address,
    slack: slackMode,
    teams: teamsMode,
    transports,
    surfaces: { ...(slack ? { slack: slack.status } : {}), ...(teamsStatus ? { teams: teamsStatus } : {}) },
    close: () =>
      (closed ??= (async () => {
        closing = true;
        const timeout = options.shutdownTimeoutMs ?? 15_000;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const drained = await inFlight.idle(timeout);
        if (!drained) log.warn({ inFlight: inFlight.size }, 'shutdown timed out waiting for in-flight requests');
        server.closeAllConnections();
        await stopped;
        await slack?.stop();
        await worker?.stop();
        log.info('costbridge serve stopped');
      })()),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}
