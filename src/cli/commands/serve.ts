import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import type { Config } from '../../config.js';
import { createLogger } from '../../log.js';
import { startServer } from '../../server/http-server.js';

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

/** `costbridge serve`: the chat server until SIGINT/SIGTERM, then a graceful shutdown. */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description(
      'run the Slack and Teams bot: one HTTP server on PORT with POST /slack/events, POST /api/messages and GET /healthz, plus the outbox delivery worker; stops cleanly on SIGINT/SIGTERM',
    )
    .action(async () => {
      const { config, io } = ctx;
      for (const line of platformStatus(config)) io.err(`costbridge serve: ${line}`);
      const log = createLogger(config);
      const store = await ctx.store();
      const server = await startServer(config, store, { log });
      io.err(`costbridge serve: listening on port ${server.port}; GET /healthz for status`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      io.err(`costbridge serve: ${signal} received; finishing in-flight requests`);
      await server.close();
      log.flush();
      io.err('costbridge serve: stopped');
    });
}
