import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import type { Config } from '../../config.js';
import { createLogger } from '../../log.js';
import type { SurfaceHealth } from '../../server/surface-status.js';
import { ensureDefaultReviewCadence } from '../../app/cadence-default.js';
import { listCadenceSchedule, type CadenceListing } from '../../app/cadence-list.js';
import { reviewSettings } from '../../app/review-settings.js';
import { startReviewScheduler } from '../../scheduler/review-scheduler.js';
import { needsFirstAdmin } from '../../app/authorization-policy.js';
import { firstAdminCommand } from '../../app/add-person-role.js';
import { shareEmbeddedDatabase } from '../share-embedded.js';

/** One line per platform saying whether it is on, and if not, what turns it on. */
export function platformStatus(config: Config): string[] {
  const { slack, teams } = config.chat;
  return [
    slack
      ? slack.appToken
        ? 'Slack: on, over Socket Mode (SLACK_APP_TOKEN)'
        : 'Slack: on, HTTP endpoint POST /slack/events'
      : 'Slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN for Socket Mode)',
    teams
      ? teams.allowUnauthenticated
        ? 'Teams: on, POST /api/messages WITHOUT authentication (TEAMS_ALLOW_UNAUTHENTICATED=true: local emulators and tests only)'
        : `Teams: on, POST /api/messages (${teams.appType} app ${teams.appId})`
      : 'Teams: off (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD)',
  ];
}

/** One line per review cadence: what it posts, when it runs next, and where. */
export function cadenceLines(listings: readonly CadenceListing[]): string[] {
  if (listings.length === 0) return ['review cadences: none (npx costbridge cadence add ...)'];
  return listings.map(({ cadence: c, next }) => {
    const when = c.paused ? 'paused' : next ? `next ${next.toISOString()}` : 'no next occurrence';
    const where = c.channels.length > 0 ? c.channels.join(', ') : 'subscribed channels only';
    return `review cadence ${c.name}: ${c.kind}, "${c.cron}" ${c.timezone}, ${when}, to ${where}`;
  });
}

/**
 * A printer of surface transitions for the terminal: one line when a surface becomes ready, starts
 * retrying, or gives up (a rejected credential names its variable); retries in between only go to the log.
 */
export function surfaceLines(print: (line: string) => void): (surface: 'slack' | 'teams', health: SurfaceHealth) => void {
  const last = new Map<string, string>();
  return (surface, h) => {
    if (last.get(surface) === h.state) return;
    last.set(surface, h.state);
    const name = surface === 'slack' ? 'Slack' : 'Teams';
    if (h.state === 'ok') print(`${name} ready${h.workspace ? ` (workspace ${h.workspace.name ? `${h.workspace.name}, ` : ''}${h.workspace.id})` : ''}`);
    else if (h.state === 'connecting') print(`${name} not reachable yet (${h.reason ?? 'connecting'}); retrying in the background, everything else runs`);
    else print(`${h.reason ?? `${name} is degraded`}; ${name} stays off until that is fixed, everything else keeps running`);
  };
}

/** `costbridge serve`: the chat server until SIGINT/SIGTERM, then a graceful shutdown. */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description(
      'run the Slack and Teams bot: one HTTP server on PORT with POST /slack/events, POST /api/messages, GET /healthz and GET /readyz, the outbox delivery worker and the review scheduler (cadences printed at start); Slack connects in the background and is retried while unreachable; stops cleanly on SIGINT/SIGTERM',
    )
    .action(async () => {
      const { config, io } = ctx;
      for (const line of platformStatus(config)) io.err(`costbridge serve: ${line}`);
      const log = createLogger(config);
      const store = await ctx.store();
      if (await needsFirstAdmin(store.db)) io.err(`costbridge serve: nobody is admin yet; make the first admin with: ${firstAdminCommand}`);
      await shareEmbeddedDatabase(store, 'costbridge serve', io.err);
      // Connections open before the first request: the first burst of clicks after a start would
      // otherwise each wait for one (part of the cold acks the chat benchmark measured).
      await store.keepWarm?.(10);
      const now = new Date();
      await ensureDefaultReviewCadence(store, { timezone: config.timezone, now });
      const { startServer } = await import('../../main/start-server.js');
      // The scheduler first: a chat platform that cannot be reached must not hold the reviews back.
      // No transports: it queues each run's messages and the server's outbox worker delivers them.
      const scheduler = startReviewScheduler(store, { settings: reviewSettings(config), log });
      io.err(`costbridge serve: review scheduler running (catch-up window ${config.review.catchupHours} h, COSTBRIDGE_CATCHUP_HOURS)`);
      const server = await startServer(config, store, { log, scheduler, onSurfaceChange: surfaceLines((line) => io.err(`costbridge serve: ${line}`)) });
      io.err(`costbridge serve: listening on port ${server.port} of ${server.host}${config.chat.teams?.allowUnauthenticated ? ' (loopback only: Teams authentication is off)' : ''}; GET /healthz for status, GET /readyz for readiness`);
      for (const line of cadenceLines(await listCadenceSchedule(store, { now }))) io.err(`costbridge serve: ${line}`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      io.err(`costbridge serve: ${signal} received; finishing in-flight requests`);
      await scheduler.stop();
      await server.close();
      log.flush();
      io.err('costbridge serve: stopped');
    });
}
