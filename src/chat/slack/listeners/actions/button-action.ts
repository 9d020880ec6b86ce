import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { queueChatMessage } from '../../../../app/queue-chat-message.js';
import { outboxRow } from '../../../../store/chat-outbox.js';
import { runChatAction } from '../../../../server/actions/run-action.js';
import { renderSlackModal } from '../../render.js';
import { homeDeliveredId } from '../../home-view-ref.js';
import { responseDeliveredId, responseMessageOf } from '../../response-message-ref.js';
import { usableResponseUrl } from '../../response-url.js';
import { slackRequest, type SlackDeps } from '../../slack-deps.js';
import { requestTeamIds } from '../../workspace-gate.js';

const buttonPayload = z.record(z.string(), z.string());

/**
 * Every button on a costbridge message: acknowledged at once (by the middleware), then handed to the neutral action of
 * the same action id with the button's payload and the clicked message; a reply is shown privately
 * to the clicker through the click's `response_url`, a form opens as a modal. A click on an
 * ephemeral message carries that `response_url` on to the decision, which replaces the message
 * through it (an ephemeral message has no `ts` that chat.update could take). A click on the App Home
 * is checked against the home published to that person, and its replies go to the app's DM.
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
    // A click on the person's App Home names the view, not a channel: the home is found as published to them.
    const home = body.view?.type === 'home' && body.view.id ? { target: body.user.id, messageId: homeDeliveredId(body.view.id) } : undefined;
    const channel = home ? undefined : (body.channel?.id ?? body.container?.channel_id);
    const responseUrl = !home && deps.config.chat.slack ? usableResponseUrl(body.response_url, deps.config.chat.slack.apiUrl) : undefined;
    const ephemeral = body.container?.is_ephemeral === true;
    const messageTs = (await sentThroughResponseUrl(deps, action.block_id, channel, body.user.id)) ?? body.message?.ts ?? body.container?.message_ts;
    const request = await slackRequest(deps, client, { id: body.user.id, name: body.user.name }, body.trigger_id, requestTeamIds(body as never)[0]);
    const replyTo = async (payload: Parameters<typeof queueChatMessage>[1]['payload']) => {
      await queueChatMessage(
        deps.store,
        channel
          ? { platform: 'slack', operation: 'ephemeral', purpose: `action-reply:${body.trigger_id}`, target: channel, recipient: body.user.id, payload, ...(responseUrl ? { responseUrl } : {}) }
          : // From the Home tab: chat.postMessage to the user id answers in the app's DM with them.
            { platform: 'slack', operation: 'post', purpose: `action-reply:${body.trigger_id}`, target: body.user.id, payload },
      );
      deps.nudgeOutbox();
    };
    if (!home && (!channel || !messageTs)) throw new Error(`button ${action.action_id}: the click carries no channel or message`);
    const clicked = home ?? { target: channel!, messageId: messageTs!, ...(ephemeral && responseUrl ? { responseUrl } : {}) };
    const outcome = await runChatAction(handler, parsed.data, { ...request, clicked });
    if (outcome.openForm) await client.views.open({ trigger_id: body.trigger_id, view: renderSlackModal(outcome.openForm) as never });
    if (outcome.reply) await replyTo(outcome.reply);
    deps.nudgeOutbox();
  });
}

/**
 * The delivered id of the message clicked when costbridge sent it through a response_url (its block
 * ids name the outbox row): only when that row went to this channel and, being private, to this user.
 */
async function sentThroughResponseUrl(deps: SlackDeps, blockId: string | undefined, channel: string | undefined, user: string): Promise<string | undefined> {
  const id = responseMessageOf(blockId);
  if (id === undefined || !channel) return undefined;
  const row = await outboxRow(deps.store.db, id);
  if (!row || row.platform !== 'slack' || row.target !== channel || row.recipient !== user || row.delivered_id !== responseDeliveredId(id)) return undefined;
  return row.delivered_id;
}
