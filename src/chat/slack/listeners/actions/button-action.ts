import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { queueChatMessage } from '../../../../app/queue-chat-message.js';
import { runChatAction } from '../../../../server/actions/run-action.js';
import { renderSlackModal } from '../../render.js';
import { slackRequest, type SlackDeps } from '../../slack-deps.js';
import { requestTeamIds } from '../../workspace-gate.js';

const buttonPayload = z.record(z.string(), z.string());

/**
 * Every button on a costbridge message: acknowledged at once (by the middleware), then handed to the neutral action of
 * the same action id with the button's payload and the clicked message; a reply is shown privately
 * to the clicker, a form opens as a modal.
 */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async ({ body, action, client }) => {
    // Already acknowledged by the once-per-request middleware.
    const handler = deps.actions.find((a) => a.actionId === action.action_id);
    if (!handler) {
      deps.log.warn({ actionId: action.action_id }, 'no handler for this Slack action');
      return;
    }
    const parsed = buttonPayload.safeParse(action.value ? JSON.parse(action.value) : {});
    if (!parsed.success) throw new Error(`button ${action.action_id}: payload is not an object of strings`);
    const channel = body.channel?.id ?? body.container?.channel_id;
    const messageTs = body.message?.ts ?? body.container?.message_ts;
    const request = await slackRequest(deps, client, { id: body.user.id, name: body.user.name }, body.trigger_id, requestTeamIds(body as never)[0]);
    const replyTo = async (payload: Parameters<typeof queueChatMessage>[1]['payload']) => {
      if (!channel) return;
      await queueChatMessage(deps.store, {
        platform: 'slack',
        operation: 'ephemeral',
        purpose: `action-reply:${body.trigger_id}`,
        target: channel,
        recipient: body.user.id,
        payload,
      });
      deps.nudgeOutbox();
    };
    if (!channel || !messageTs) throw new Error(`button ${action.action_id}: the click carries no channel or message`);
    const outcome = await runChatAction(handler, parsed.data, { ...request, clicked: { target: channel, messageId: messageTs } });
    if (outcome.openForm) await client.views.open({ trigger_id: body.trigger_id, view: renderSlackModal(outcome.openForm) as never });
    if (outcome.reply) await replyTo(outcome.reply);
    deps.nudgeOutbox();
  });
}
