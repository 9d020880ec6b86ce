import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/database.js';
import type { DeliveryTransports } from '../app/deliver-pending.js';
import { slackTransport } from '../chat/slack/slack-transport.js';
import { createTeamsBot } from '../chat/teams/teams-bot.js';
import { teamsTransport } from '../chat/teams/teams-transport.js';
import { findTeamsConversation } from '../store/teams-conversations.js';
import { chatActions } from '../server/actions/index.js';
import { chatCommands } from '../server/commands/index.js';
import { chatForms, optionsSources } from '../server/forms/index.js';
import { chartUrlSigner } from '../server/chart-route.js';

/**
 * The outbox transports of the configured platforms, without an HTTP server: what `review run`
 * delivers its messages with when no `serve` is running. Built the way `serve` builds them.
 */
export function chatTransports(config: Config, store: Store, log: Logger): DeliveryTransports {
  const transports: { slack?: DeliveryTransports['slack']; teams?: DeliveryTransports['teams'] } = {};
  if (config.chat.slack) transports.slack = slackTransport(config.chat.slack, log);
  if (config.chat.teams) {
    const teams = createTeamsBot(config.chat.teams, {
      config,
      store,
      log,
      commands: chatCommands,
      actions: chatActions,
      forms: chatForms,
      optionsSources,
      nudgeOutbox: () => undefined,
      now: () => new Date(),
    });
    const chartUrl = chartUrlSigner(config.chat.publicUrl, config.chat.chartUrlKey, () => new Date());
    transports.teams = teamsTransport(teams.adapter, teams.appId, async (id) => (await findTeamsConversation(store.db, id))?.reference, chartUrl ? { chartUrl } : {});
  }
  return transports;
}
