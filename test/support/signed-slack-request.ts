import { createHmac } from 'node:crypto';

/** Slack's v0 request signature: HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** A slash command as Slack posts it (form-encoded); `responseUrl` defaults to one nothing listens on. */
export function slashCommandBody(fields: { text: string; userId: string; channelId: string; triggerId: string; userName?: string; command?: string; responseUrl?: string; teamId?: string; apiAppId?: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.teamId ?? 'T0FAKE',
    team_domain: 'fake',
    channel_id: fields.channelId,
    channel_name: 'finops',
    user_id: fields.userId,
    user_name: fields.userName ?? 'someone',
    command: fields.command ?? '/costbridge',
    text: fields.text,
    api_app_id: fields.apiAppId ?? 'A0FAKE',
    response_url: fields.responseUrl ?? 'https://hooks.slack.invalid/commands/1',
    trigger_id: fields.triggerId,
  }).toString();
}

/**
 * A block_actions payload for a button click on a message in a channel. With `ephemeral`, the click
 * is on an ephemeral message: Slack sends no `message` then, only the container (and `blockId`, the
 * clicked actions block's id, is how the app recognizes it).
 */
export function blockActionsBody(fields: {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
  messageTs: string;
  triggerId: string;
  responseUrl?: string;
  ephemeral?: boolean;
  blockId?: string;
  teamId?: string;
  userTeamId?: string;
  apiAppId?: string;
}): string {
  const team = fields.teamId ?? 'T0FAKE';
  const payload = {
    type: 'block_actions',
    team: { id: team, domain: 'fake' },
    user: { id: fields.userId, username: 'someone', name: 'someone', team_id: fields.userTeamId ?? team },
    api_app_id: fields.apiAppId ?? 'A0FAKE',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: fields.messageTs, channel_id: fields.channelId, is_ephemeral: fields.ephemeral === true },
    trigger_id: fields.triggerId,
    channel: { id: fields.channelId, name: 'finops' },
    ...(fields.ephemeral ? {} : { message: { type: 'message', ts: fields.messageTs, text: 'costbridge', blocks: [] } }),
    response_url: fields.responseUrl ?? 'https://hooks.slack.invalid/actions/1',
    actions: [{ type: 'button', action_id: fields.actionId, block_id: fields.blockId ?? 'b1', value: fields.value, text: { type: 'plain_text', text: 'x' }, action_ts: '1700000000.1' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/**
 * A block_actions payload for a button on a person's App Home (Slack's documented shape: a `view`
 * container and the home view, no channel, no message, no response_url).
 */
export function homeBlockActionsBody(fields: { actionId: string; value: string; userId: string; viewId: string; triggerId: string; teamId?: string }): string {
  const team = fields.teamId ?? 'T0FAKE';
  const payload = {
    type: 'block_actions',
    team: { id: team, domain: 'fake' },
    user: { id: fields.userId, username: 'someone', name: 'someone', team_id: team },
    api_app_id: 'A0FAKE',
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: fields.viewId },
    trigger_id: fields.triggerId,
    view: { id: fields.viewId, team_id: team, type: 'home', blocks: [], private_metadata: '', callback_id: '', hash: 'h', app_id: 'A0FAKE', bot_id: 'BBOT' },
    actions: [{ type: 'button', action_id: fields.actionId, block_id: 'b', value: fields.value, text: { type: 'plain_text', text: 'x' }, action_ts: '1700000000.000200' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A view_submission payload for a modal with the given state values (block id = action id = input id). */
export function viewSubmissionBody(fields: { callbackId: string; privateMetadata: string; userId: string; triggerId: string; values: Record<string, string>; teamId?: string; apiAppId?: string }): string {
  const state: Record<string, Record<string, unknown>> = {};
  for (const [id, value] of Object.entries(fields.values)) state[id] = { [id]: { type: 'plain_text_input', value } };
  const team = fields.teamId ?? 'T0FAKE';
  const payload = {
    type: 'view_submission',
    team: { id: team, domain: 'fake' },
    user: { id: fields.userId, username: 'someone', name: 'someone', team_id: team },
    api_app_id: fields.apiAppId ?? 'A0FAKE',
    token: 'deprecated-verification-token',
    trigger_id: fields.triggerId,
    view: {
      id: 'V0FAKE',
      type: 'modal',
      callback_id: fields.callbackId,
      private_metadata: fields.privateMetadata,
      state: { values: state },
      hash: 'h',
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** An Events API callback (JSON, as Slack posts events) for `event` in workspace T0FAKE. */
export function eventCallbackBody(eventId: string, event: Record<string, unknown>): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0FAKE',
    api_app_id: 'A0FAKE',
    event: { event_ts: '1700000000.000100', ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: 1700000000,
    authorizations: [{ enterprise_id: null, team_id: 'T0FAKE', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  });
}

/** A block_suggestion payload: a searchable select asking for options as the user types. */
export function blockSuggestionBody(fields: { userId: string; value: string; callbackId: string; actionId: string; teamId?: string }): string {
  const team = fields.teamId ?? 'T0FAKE';
  const payload = {
    type: 'block_suggestion',
    user: { id: fields.userId, team_id: team },
    team: { id: team },
    api_app_id: 'A0FAKE',
    action_id: fields.actionId,
    block_id: fields.actionId,
    value: fields.value,
    view: { id: 'V0FAKE', callback_id: fields.callbackId },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Posts a body to /slack/events signed with `secret` (a wrong secret or an old timestamp to test refusals). */
export async function postSlack(
  serverUrl: string,
  body: string,
  options: { secret: string; timestamp?: number; retryNum?: number; signature?: string; json?: boolean },
): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(`${serverUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.json ? 'application/json' : 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(options.secret, timestamp, body),
      ...(options.retryNum !== undefined ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}
