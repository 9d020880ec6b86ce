import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import type { Config } from '../../config.js';
import { createLogger } from '../../log.js';
import { startServer } from '../../server/http-server.js';
import { ensureDefaultReviewCadence } from '../../app/cadence-default.js';
import { listCadenceSchedule, type CadenceListing } from '../../app/cadence-list.js';
import { reviewSettings } from '../../app/review-settings.js';
import { startReviewScheduler } from '../../scheduler/review-scheduler.js';
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

/** `costbridge serve`: the chat server until SIGINT/SIGTERM, then a graceful shutdown. */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description(
      'run the Slack and Teams bot: one HTTP server on PORT with POST /slack/events, POST /api/messages and GET /healthz, the outbox delivery worker and the review scheduler (cadences printed at start); stops cleanly on SIGINT/SIGTERM',
    )
    .action(async () => {
      const { config, io } = ctx;
      for (const line of platformStatus(config)) io.err(`costbridge serve: ${line}`);
      const log = createLogger(config);
      const store = await ctx.store();
      await shareEmbeddedDatabase(store, 'costbridge serve', io.err);
      const server = await startServer(config, store, { log });
      io.err(`costbridge serve: listening on port ${server.port}; GET /healthz for status`);
      const now = new Date();
      await ensureDefaultReviewCadence(store, { timezone: config.timezone, now });
      for (const line of cadenceLines(await listCadenceSchedule(store, { now }))) io.err(`costbridge serve: ${line}`);
      // No transports: the scheduler queues each run's messages and the server's outbox worker delivers them.
      const scheduler = startReviewScheduler(store, { settings: reviewSettings(config), log });
      io.err(`costbridge serve: review scheduler running (catch-up window ${config.review.catchupHours} h, COSTBRIDGE_CATCHUP_HOURS)`);
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
