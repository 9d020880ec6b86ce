import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { queueChatMessage } from '../../../../app/queue-chat-message.js';
import { outboxRow } from '../../../../store/chat-outbox.js';
import { runChatAction } from '../../../../server/actions/run-action.js';
import { renderSlackListModal, renderSlackModal } from '../../render.js';
import { checkDecisionListClick, decisionListPageActionId } from '../../../../app/decision-list.js';
import { reviewSettings } from '../../../../app/review-settings.js';
import { errorMessage } from '../../../../messages/views/error-message.js';
import { slashCommand } from '../commands/costbridge-command.js';
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
    if (!handler && action.action_id !== decisionListPageActionId) {
      deps.log.warn({ actionId: action.action_id }, 'no handler for this Slack action');
      return;
    }
    const parsed = buttonPayload.safeParse(action.value ? JSON.parse(action.value) : {});
    if (!parsed.success) throw new Error(`button ${action.action_id}: payload is not an object of strings`);
    // A click on the person's App Home names the view, not a channel: the home is found as published to them.
    const home = body.view?.type === 'home' && body.view.id ? { target: body.user.id, messageId: homeDeliveredId(body.view.id) } : undefined;
    if (!home && (body.container?.type === 'view' || (body.view && !body.message))) {
      await listModalClick(deps, body, action.action_id, parsed.data, client);
      return;
    }
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
    if (!handler) throw new Error(`button ${action.action_id}: only inside a View all list`);
    const clicked = home ?? { target: channel!, messageId: messageTs!, ...(ephemeral && responseUrl ? { responseUrl } : {}) };
    const outcome = await runChatAction(handler, parsed.data, { ...request, clicked });
    if (outcome.openForm) await client.views.open({ trigger_id: body.trigger_id, view: renderSlackModal(outcome.openForm) as never });
    if (outcome.openList?.sessionId) await client.views.open({ trigger_id: body.trigger_id, view: renderSlackListModal(outcome.openList.title, outcome.openList.page, outcome.openList.sessionId, { slashCommand }) as never });
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

/**
 * A button inside a View all list modal: the modal carries only its session id, so the click is
 * checked against the session (this user, not expired) and the list as the server builds it now.
 * Previous / Next update the modal in place (views.update); an item's button runs its action as if
 * pressed on the digest message the list was opened from, and its form opens over the list
 * (views.push). A refused click is told to the clicker privately in the digest's channel.
 */
async function listModalClick(deps: SlackDeps, body: BlockAction<ButtonAction>, actionId: string, payload: Record<string, string>, client: Parameters<Parameters<App['action']>[1]>[0]['client']): Promise<void> {
  const view = body.view;
  if (!view) throw new Error(`button ${actionId}: a click in a modal without its view`);
  const request = await slackRequest(deps, client, { id: body.user.id, name: body.user.name }, body.trigger_id, requestTeamIds(body as never)[0]);
  const person = request.requester.person;
  const checked = await checkDecisionListClick(deps.store, reviewSettings(deps.config), {
    sessionId: view.private_metadata ?? '',
    platform: 'slack',
    platformUserId: body.user.id,
    actor: person?.id ?? `slack:${body.user.id}`,
    actionId,
    payload,
    now: request.now,
  });
  if (!checked.ok) {
    deps.log.warn({ actionId, user: body.user.id, viewId: view.id }, 'click in a list modal refused');
    await client.views.update({ view_id: view.id, ...(view.hash ? { hash: view.hash } : {}), view: renderSlackListModal('Not done', errorMessage({ code: 'NOT_FOUND', message: checked.message }), view.private_metadata ?? '', { slashCommand }) as never });
    return;
  }
  if (checked.kind === 'page') {
    await client.views.update({ view_id: view.id, ...(view.hash ? { hash: view.hash } : {}), view: renderSlackListModal(checked.page.title, checked.page.message, checked.session.id, { slashCommand }) as never });
    return;
  }
  const handler = deps.actions.find((a) => a.actionId === actionId)!;
  const clicked = checked.session.origin;
  const outcome = await runChatAction(handler, payload, { ...request, clicked }, { checkedOnList: true });
  if (outcome.openForm) await client.views.push({ trigger_id: body.trigger_id, view: renderSlackModal(outcome.openForm) as never });
  if (outcome.reply) {
    await queueChatMessage(deps.store, { platform: 'slack', operation: 'ephemeral', purpose: `action-reply:${body.trigger_id}`, target: clicked.target, recipient: body.user.id, payload: outcome.reply });
  }
  deps.nudgeOutbox();
}
