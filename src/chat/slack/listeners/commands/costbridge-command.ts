import type { App } from '@slack/bolt';
import { queueChatMessage } from '../../../../app/queue-chat-message.js';
import { dispatchCommandAnswer } from '../../../../server/commands/dispatch-command.js';
import { slackRequest, type SlackDeps } from '../../slack-deps.js';

/** The slash command costbridge answers. */
export const slashCommand = '/costbridge';

/** `/costbridge <words>`: acknowledged at once (by the middleware), then the neutral command runs; its reply is shown privately, its channel posts to everyone. */
export function register(app: App, deps: SlackDeps): void {
  app.command(slashCommand, async ({ command, client }) => {
    // Already acknowledged by the once-per-request middleware.
    const request = { ...(await slackRequest(deps, client, { id: command.user_id, name: command.user_name }, command.trigger_id, command.team_id)), channel: command.channel_id };
    const answer = await dispatchCommandAnswer(deps.commands, command.text ?? '', request);
    // Alerts with decision buttons are posted for everyone: only a posted message can be updated in place.
    for (const [i, post] of answer.posts.entries()) {
      await queueChatMessage(deps.store, { platform: 'slack', operation: 'post', purpose: `command-post:${command.trigger_id}:${i}`, target: command.channel_id, payload: post });
    }
    if (answer.reply) {
      await queueChatMessage(deps.store, {
        platform: 'slack',
        operation: 'ephemeral',
        purpose: `command-reply:${command.trigger_id}`,
        target: command.channel_id,
        recipient: command.user_id,
        payload: answer.reply,
      });
    }
    deps.nudgeOutbox();
  });
}
