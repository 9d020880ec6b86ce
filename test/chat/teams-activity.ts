// Bot Framework activities as Teams sends them to the bot's endpoint, for the chat tests.
import type { FakeBotFrameworkIssuer } from '../support/fake-bot-framework-issuer.js';

/** Who sends a test activity: a Teams user's Bot Framework id, display name and Entra object id. */
export interface TeamsSender {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
}

/** A Teams user whose ids all derive from one Entra object id. */
export function teamsUser(aad: string): TeamsSender {
  return { id: `29:${aad}`, name: aad, aadObjectId: aad };
}

/** An activity from `from` in a team channel's conversation of `tenant`, with `fields` on top. */
export function teamsChannelActivity(
  serviceUrl: string,
  conversationId: string,
  from: TeamsSender,
  fields: Record<string, unknown>,
  tenant = 'tenant-1',
): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from,
    recipient: { id: '28:costbridge-bot', name: 'costbridge' },
    conversation: { id: conversationId, conversationType: 'channel', tenantId: tenant },
    channelData: { team: { id: '19:team@thread.tacv2' }, tenant: { id: tenant } },
    ...fields,
  };
}

/** An invoke response's body as the bot answers it. */
export interface InvokeAnswer {
  readonly statusCode: number;
  readonly type: string;
  readonly value: unknown;
}

/** Where a test activity goes: the bot's base URL and, when authentication is on, the issuer that signs for the channel. */
export interface TeamsEndpoint {
  readonly server: { readonly url: string };
  readonly issuer: FakeBotFrameworkIssuer | undefined;
}

/**
 * POSTs an activity to the bot's /api/messages as the channel does: with a token for its serviceUrl
 * from the harness's issuer, unless `headers` has its own `authorization` or authentication is off.
 * The answer's status and parsed body, if any.
 */
export async function postTeamsActivity<B = InvokeAnswer>(to: TeamsEndpoint, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const signed: Record<string, string> = to.issuer && !('authorization' in headers) ? { authorization: `Bearer ${to.issuer.channelToken(String(body.serviceUrl))}` } : {};
  const res = await fetch(`${to.server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...signed, ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as B) : undefined };
}
