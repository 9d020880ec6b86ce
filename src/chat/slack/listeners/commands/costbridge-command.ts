import type { App } from '@slack/bolt';
import { queueChatMessage } from '../../../../app/queue-chat-message.js';
import { dispatchCommand } from '../../../../server/commands/dispatch-command.js';
import { slackRequest, type SlackDeps } from '../../slack-deps.js';

/** The slash command costbridge answers. */
export const slashCommand = '/costbridge';

/** `/costbridge <words>`: acknowledged at once (by the middleware), then the neutral command runs and its reply is shown privately. */
export function register(app: App, deps: SlackDeps): void {
  app.command(slashCommand, async ({ command, client }) => {
    // Already acknowledged by the once-per-request middleware.
    const request = await slackRequest(deps, client, { id: command.user_id, name: command.user_name }, command.trigger_id);
    const reply = await dispatchCommand(deps.commands, command.text ?? '', request);
    await queueChatMessage(deps.store, {
      platform: 'slack',
      operation: 'ephemeral',
      purpose: `command-reply:${command.trigger_id}`,
      target: command.channel_id,
      recipient: command.user_id,
      payload: reply,
    });
    deps.nudgeOutbox();
  });
}
