import type { App, ViewStateValue } from '@slack/bolt';
import { queueChatMessage } from '../../../../app/queue-chat-message.js';
import type { FormSubmission } from '../../../../server/forms/chat-form.js';
import { submitChatForm } from '../../../../server/forms/submit-form.js';
import { usableResponseUrl } from '../../response-url.js';
import { slackRequest, type SlackDeps } from '../../slack-deps.js';
import { requestTeamIds } from '../../workspace-gate.js';
import { claimSubmissionOnce } from '../middleware/once-per-request.js';

/** A modal's state as input id -> value; the renderer makes each input's block_id and action_id its id. */
export function submittedValues(state: Record<string, Record<string, ViewStateValue>>): FormSubmission['values'] {
  const values: Record<string, string | readonly string[] | undefined> = {};
  for (const block of Object.values(state)) {
    for (const [id, v] of Object.entries(block)) {
      if (v.selected_options) values[id] = v.selected_options.map((o) => o.value ?? '');
      else if (v.selected_option) values[id] = v.selected_option.value ?? undefined;
      else values[id] = typeof v.value === 'string' ? v.value : undefined;
    }
  }
  return values;
}

/**
 * Every costbridge modal's submission: validated at once (errors are shown beside the inputs), then
 * acknowledged, then claimed once (a retry stops here), then submitted through its form session to the neutral form handler. Its reply is
 * shown to the user privately in the channel the form was opened from (through that click's
 * `response_url` when there was one, so it arrives where the bot is not a member), else in their DM.
 */
export function register(app: App, deps: SlackDeps): void {
  app.view({ callback_id: /.*/, type: 'view_submission' }, async ({ ack, body, view, client, context }) => {
    const form = deps.forms.find((f) => f.callbackId === view.callback_id);
    if (!form) {
      await ack();
      deps.log.warn({ callbackId: view.callback_id }, 'no handler for this Slack form');
      return;
    }
    const submission: FormSubmission = { values: submittedValues(view.state.values), privateMetadata: view.private_metadata };
    const errors = form.validate(submission);
    if (errors) {
      await ack({ response_action: 'errors', errors: { ...errors } });
      return;
    }
    await ack();
    if (!(await claimSubmissionOnce(context))) return;
    // A view submission carries a trigger_id (Slack's docs); the view id is the fallback key.
    const requestKey = (body as { trigger_id?: string }).trigger_id ?? view.id;
    const request = await slackRequest(deps, client, { id: body.user.id, name: body.user.name }, requestKey, requestTeamIds(body as never)[0]);
    const outcome = await submitChatForm(form, submission, request);
    if (outcome.reply) {
      const purpose = `form-reply:${requestKey}`;
      const responseUrl = deps.config.chat.slack && outcome.replyResponseUrl ? usableResponseUrl(outcome.replyResponseUrl, deps.config.chat.slack.apiUrl) : undefined;
      await queueChatMessage(
        deps.store,
        // A form opened from the person's App Home (its origin target is their user id) answers in their DM.
        'replyIn' in outcome && outcome.replyIn && outcome.replyIn !== body.user.id
          ? { platform: 'slack', operation: 'ephemeral', purpose, target: outcome.replyIn, recipient: body.user.id, payload: outcome.reply, ...(responseUrl ? { responseUrl } : outcome.replyThread ? { replyTo: outcome.replyThread } : {}) }
          : // chat.postMessage to a user id posts in the app's DM with them.
            { platform: 'slack', operation: 'post', purpose, target: body.user.id, payload: outcome.reply },
      );
    }
    deps.nudgeOutbox();
    if (outcome.afterReply) {
      await outcome.afterReply();
      deps.nudgeOutbox();
    }
  });
}
