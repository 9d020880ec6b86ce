import type { App } from '@slack/bolt';
import { queueChatMessage } from '../../../../app/queue-chat-message.js';
import { dispatchCommandAnswer } from '../../../../server/commands/dispatch-command.js';
import { usableResponseUrl } from '../../response-url.js';
import { slackRequest, type SlackDeps } from '../../slack-deps.js';

/** The slash command costbridge answers. */
export const slashCommand = '/costbridge';

/**
 * `/costbridge <words>`: acknowledged at once (by the middleware), then the neutral command runs.
 * Its private reply goes to the command's `response_url`, which reaches the user wherever they typed
 * it (a private channel or a DM the bot is not in). Its channel posts (alerts whose decisions update
 * them in place) are posted for everyone; where Slack refuses the channel, they come back to the user
 * through the same `response_url`.
 */
export function register(app: App, deps: SlackDeps): void {
  app.command(slashCommand, async ({ command, client }) => {
    // Already acknowledged by the once-per-request middleware.
    const request = { ...(await slackRequest(deps, client, { id: command.user_id, name: command.user_name }, command.trigger_id, command.team_id)), channel: command.channel_id };
    const answer = await dispatchCommandAnswer(deps.commands, command.text ?? '', request);
    const responseUrl = deps.config.chat.slack ? usableResponseUrl(command.response_url, deps.config.chat.slack.apiUrl) : undefined;
    const via = responseUrl ? { responseUrl } : {};
    for (const [i, post] of answer.posts.entries()) {
      await queueChatMessage(deps.store, {
        platform: 'slack',
        operation: 'post',
        purpose: `command-post:${command.trigger_id}:${i}`,
        target: command.channel_id,
        // Who typed the command: the one who sees the post when it falls back to the response_url.
        recipient: command.user_id,
        payload: post,
        ...via,
      });
    }
    if (answer.reply) {
      await queueChatMessage(deps.store, {
        platform: 'slack',
        operation: 'ephemeral',
        purpose: `command-reply:${command.trigger_id}`,
        target: command.channel_id,
        recipient: command.user_id,
        payload: answer.reply,
        ...via,
      });
    }
    deps.nudgeOutbox();
  });
}
