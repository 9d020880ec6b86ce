import type { App } from '@slack/bolt';
import { slackRequest, type SlackDeps } from '../../slack-deps.js';
import { requestTeamIds } from '../../workspace-gate.js';

const maxOptions = 100;
const maxOptionText = 75;

/**
 * Searchable selects (external_select): the neutral options source of the input answers as the user
 * types — only to people costbridge knows (anyone else gets no options: master data is not public).
 */
export function register(app: App, deps: SlackDeps): void {
  app.options<'block_suggestion'>({ type: 'block_suggestion' }, async ({ ack, body, client }) => {
    const form = deps.forms.find((f) => f.callbackId === body.view?.callback_id);
    const sourceId = form?.searchInputs?.[body.action_id] ?? body.action_id;
    const source = deps.optionsSources.find((s) => s.id === sourceId);
    if (!source) {
      deps.log.warn({ actionId: body.action_id, callbackId: body.view?.callback_id }, 'no options source for this Slack select');
      await ack({ options: [] });
      return;
    }
    const request = await slackRequest(deps, client, { id: body.user.id }, '', requestTeamIds(body as never)[0]);
    if (!request.requester.person) {
      deps.log.info({ userId: body.user.id }, 'options search refused: not a known person');
      await ack({ options: [] });
      return;
    }
    const found = await source.search(body.value ?? '', request);
    const options = found.slice(0, maxOptions).map((o) => ({
        text: { type: 'plain_text' as const, text: [...o.label].length > maxOptionText ? `${[...o.label].slice(0, maxOptionText - 1).join('')}…` : o.label },
        value: o.value,
      }));
    await ack({ options });
  });
}
