import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { grantRole } from '../../src/store/people.js';
import { queueChatMessage } from '../../src/app/queue-chat-message.js';
import { acknowledgeButton } from '../../src/server/actions/acknowledge-action.js';
import { actions, header, message } from '../../src/messages/message-blocks.js';
import { FakeBotFrameworkIssuer, newSigningKey } from '../support/fake-bot-framework-issuer.js';
import { eventually, signedTeams, startChatHarness, type ChatHarness } from './chat-harness.js';
import { postTeamsActivity, teamsChannelActivity, type TeamsEndpoint } from './teams-activity.js';

const conversationId = '19:finops-channel@thread.tacv2';

const ana = { id: '29:teams-user-ana', name: 'Ana Ito', aadObjectId: 'aad-ana' };
const activity = (serviceUrl: string, fields: Record<string, unknown>) => teamsChannelActivity(serviceUrl, conversationId, ana, fields);

const postActivity = (to: TeamsEndpoint, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  postTeamsActivity<Record<string, unknown>>(to, body, headers);

/** A forger's key pair: not in the issuer's JWKS. */
const forgerKey = newSigningKey();
const nowS = () => Math.floor(Date.now() / 1000);

describe.each(storeKinds)('Teams on %s', (kind) => {
  let tdb: TestDatabase;
  const count = async (h: ChatHarness, table: string, where = sql`true`) =>
    Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)} WHERE ${where}`.execute(h.store.db)).rows[0]!.n);

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    const store = await tdb.shared();
    await grantRole(store.db, { id: 'ana', details: { name: 'Ana Ito', teamsAadId: 'aad-ana' }, role: 'finops', costCenter: null }, { actor: 'test', surface: 'cli' });
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  describe('with Bot Framework authentication (activities signed by a local issuer)', () => {
    let h: ChatHarness;
    beforeAll(async () => {
      h = await startChatHarness(tdb, signedTeams());
    });
    afterAll(async () => h?.close());
    beforeEach(() => {
      h.connector.calls.length = 0;
    });

    it('rejects an activity without a token with 401 and stores nothing', async () => {
      const r = await postActivity(h, activity(h.connector.serviceUrl, { type: 'message', id: 'm-unauth', text: 'help' }), { authorization: '' });
      expect(r.status).toBe(401);
      expect(await count(h, 'teams_conversation')).toBe(0);
      expect(await count(h, 'chat_outbox')).toBe(0);
      expect(h.connector.calls).toEqual([]);
      expect(h.log.text).not.toMatch(/FetchError|login\.botframework\.com|login\.microsoftonline\.com/);
    });

    // Each with the reason botframework-connector gives, so a token refused for some other reason fails the case.
    const forgeries: [string, (issuer: FakeBotFrameworkIssuer, serviceUrl: string) => string, string][] = [
      ['signed with a key the issuer does not publish (same key id)', (i, url) => i.channelToken(url, { key: forgerKey.privateKey }), 'invalid signature'],
      ['signed with a key id the issuer does not publish', (i, url) => i.channelToken(url, { key: forgerKey.privateKey, kid: forgerKey.kid }), 'Signing Key could not be retrieved'],
      ['signed with a published key endorsed only for another channel', (i, url) => i.channelToken(url, { key: i.webChatKey.privateKey, kid: i.webChatKey.kid }), 'Could not validate endorsement'],
      ['for another bot (audience)', (i, url) => i.channelToken(url, { claims: { aud: '00000000-0000-0000-0000-00000000beef' } }), 'Invalid AppId passed on token'],
      ['from another issuer', (i, url) => i.channelToken(url, { claims: { iss: 'https://api.botframework.example' } }), 'No valid identity'],
      ['expired an hour ago', (i, url) => i.channelToken(url, { claims: { iat: nowS() - 7200, nbf: nowS() - 7200, exp: nowS() - 3600 } }), 'The token has expired'],
      ['not valid for another hour', (i, url) => i.channelToken(url, { claims: { nbf: nowS() + 3600 } }), 'jwt not active'],
      ['for another serviceUrl', (i) => i.channelToken('https://smba.trafficmanager.net/emea/'), 'ServiceUrl claim do not match'],
      ['without a serviceUrl claim', (i, url) => i.channelToken(url, { claims: { serviceurl: undefined } }), 'ServiceUrl claim do not match'],
    ];
    for (const [what, forge, reason] of forgeries) {
      it(`rejects a token ${what} with 401 and stores nothing`, async () => {
        const token = forge(h.issuer!, h.connector.serviceUrl);
        const logged = h.log.lines.length;
        const message = await postActivity(h, activity(h.connector.serviceUrl, { type: 'message', id: `m-forged-${what}`, text: 'help' }), { authorization: `Bearer ${token}` });
        const invoke = await postActivity(h, activity(h.connector.serviceUrl, { type: 'invoke', name: 'adaptiveCard/action', id: `inv-forged-${what}`, replyToId: 'a1', value: { action: { type: 'Action.Execute', verb: 'acknowledge', data: {} } } }), { authorization: `Bearer ${token}` });
        expect([message.status, invoke.status]).toEqual([401, 401]);
        expect(await count(h, 'teams_conversation')).toBe(0);
        expect(await count(h, 'chat_outbox')).toBe(0);
        expect(await count(h, 'audit_log', sql`surface = 'teams'`)).toBe(0);
        expect(h.connector.calls).toEqual([]);
        const rejections = h.log.lines.slice(logged).map((l) => JSON.parse(l) as { msg: string; reason?: string }).filter((l) => l.msg === 'teams activity rejected: not authenticated');
        expect(rejections).toHaveLength(2);
        for (const r of rejections) expect(r.reason).toContain(reason);
      });
    }

    it('refuses a correctly signed activity from a tenant that is not allowed: the invoke gets 403, nothing is stored', async () => {
      const foreign = (fields: Record<string, unknown>) => ({ ...teamsChannelActivity(h.connector.serviceUrl, '19:elsewhere@thread.tacv2', ana, fields, 'tenant-2') });
      const invoke = await postActivity(h, foreign({ type: 'invoke', name: 'adaptiveCard/action', id: 'inv-foreign', replyToId: 'a1', value: { action: { type: 'Action.Execute', verb: 'acknowledge', data: {} } } }));
      expect(invoke.status).toBe(200);
      expect(invoke.body).toMatchObject({ statusCode: 403 });
      expect((await postActivity(h, foreign({ type: 'message', id: 'm-foreign', text: 'help' }))).status).toBe(200);
      expect(await count(h, 'teams_conversation')).toBe(0);
      expect(await count(h, 'chat_outbox')).toBe(0);
      expect(h.connector.calls).toEqual([]);
      expect(h.log.text).toContain('teams activity refused: not from an allowed tenant');
    });

    it('stores the conversation reference on installationUpdate', async () => {
      const r = await postActivity(h, activity(h.connector.serviceUrl, { type: 'installationUpdate', action: 'add', id: 'install-1' }));
      expect(r.status).toBe(200);
      const row = await h.store.db.selectFrom('teams_conversation').selectAll().where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ service_url: h.connector.serviceUrl, tenant_id: 'tenant-1', team_id: '19:team@thread.tacv2', conversation_type: 'channel', installed: true });
      expect((row.reference as { conversation: { id: string } }).conversation.id).toBe(conversationId);
      expect((row.reference as { activityId?: string }).activityId).toBeUndefined();
    });

    it('answers help sent to the bot with a reply card', async () => {
      const r = await postActivity(h, activity(h.connector.serviceUrl, { type: 'message', id: 'msg-help', text: '<at>costbridge</at> help', entities: [{ type: 'mention', text: '<at>costbridge</at>', mentioned: { id: '28:costbridge-bot', name: 'costbridge' } }] }));
      expect(r.status).toBe(200);
      await h.connector.waitFor((calls) => calls.some((c) => c.method === 'POST' && c.status === 200));
      const reply = h.connector.activityCalls()[0]!;
      expect(reply.conversationId).toBe(conversationId);
      expect(reply.activityId).toBe('msg-help');
      const attachments = reply.body.attachments as { contentType: string; content: unknown }[];
      expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(JSON.stringify(attachments[0]!.content)).toContain('whoami');
    });

    it('whoami maps the AAD object id to the person', async () => {
      await postActivity(h, activity(h.connector.serviceUrl, { type: 'message', id: 'msg-whoami', text: 'whoami' }));
      await h.connector.waitFor((calls) => calls.some((c) => c.method === 'POST' && c.status === 200));
      const card = JSON.stringify(h.connector.activityCalls()[0]!.body.attachments);
      expect(card).toContain('Ana Ito');
      expect(card).toContain('finops');
    });

    it('tells an unknown Teams user how to get access', async () => {
      await postActivity(h, activity(h.connector.serviceUrl, { type: 'message', id: 'msg-unknown', text: 'whoami', from: { id: '29:stranger', name: 'Stranger', aadObjectId: 'aad-stranger' } }));
      await h.connector.waitFor((calls) => calls.some((c) => c.method === 'POST' && c.status === 200));
      expect(JSON.stringify(h.connector.activityCalls()[0]!.body)).toContain('--teams-id aad-stranger');
    });

    it('processes a redelivered message activity once', async () => {
      const a = activity(h.connector.serviceUrl, { type: 'message', id: 'msg-twice', text: 'help' });
      await postActivity(h, a);
      await postActivity(h, a);
      await h.connector.waitFor((calls) => calls.some((c) => c.method === 'POST' && c.status === 200));
      await new Promise((r) => setTimeout(r, 300));
      expect(h.connector.activityCalls()).toHaveLength(1);
    });

    it('Acknowledge from an adaptiveCard/action invoke records one decision and updates the card', async () => {
      const alert = message('Unclassified AI spend', [header('Unclassified AI spend'), actions(acknowledgeButton())]);
      const { id } = await queueChatMessage(h.store, { platform: 'teams', operation: 'post', purpose: 'test-alert:teams', target: conversationId, payload: alert });
      await eventually(async () => (await h.store.db.selectFrom('chat_outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status === 'sent');
      const posted = (await h.store.db.selectFrom('chat_outbox').select('delivered_id').where('id', '=', id).executeTakeFirstOrThrow()).delivered_id!;
      const card = JSON.stringify(h.connector.activityCalls()[0]!.body.attachments);
      expect(card).toContain('"verb":"acknowledge"');
      const invoke = (invokeId: string) =>
        postActivity(h, activity(h.connector.serviceUrl, { type: 'invoke', name: 'adaptiveCard/action', id: invokeId, replyToId: posted, value: { action: { type: 'Action.Execute', verb: 'acknowledge', data: {} } } }));
      const first = await invoke('inv-1');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
      const second = await invoke('inv-2');
      expect(second.body).toMatchObject({ statusCode: 200, value: 'You had already acknowledged this message.' });
      await h.connector.waitFor((calls) => calls.some((c) => c.method === 'PUT' && c.status === 200));
      const put = h.connector.calls.find((c) => c.method === 'PUT')!;
      expect(put.activityId).toBe(posted);
      expect(JSON.stringify(put.body.attachments)).toContain('Acknowledged by Ana Ito');
      expect(await count(h, 'chat_acknowledgement', sql`outbox_id = ${id}`)).toBe(1);
      expect(await count(h, 'audit_log', sql`action = 'message.acknowledge' AND subject_id = ${String(id)} AND surface = 'teams'`)).toBe(1);
    });

    it('answers an unknown card verb with a Universal Actions error', async () => {
      const r = await postActivity(h, activity(h.connector.serviceUrl, { type: 'invoke', name: 'adaptiveCard/action', id: 'inv-x', replyToId: 'a1', value: { action: { type: 'Action.Execute', verb: 'no-such-thing', data: {} } } }));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    });

    it('rejects a body that is not an activity with 400', async () => {
      const res = await fetch(`${h.server.url}/api/messages`, { method: 'POST', body: 'not json' });
      expect(res.status).toBe(400);
    });

    it('gets its Bot Connector token from the configured login with the app credentials, and the connector accepted it', async () => {
      // The replies above reached the fake connector, which answers 401 to a call without a valid token from this issuer.
      expect(h.issuer!.tokenRequests.length).toBeGreaterThan(0);
      expect(h.issuer!.tokenRequests.every((t) => t.granted && t.tenant === 'botframework.com' && t.clientId === h.config.chat.teams!.appId)).toBe(true);
      expect(h.log.text).not.toMatch(/login\.microsoftonline\.com|login\.botframework\.com/);
    });
  });

  describe('with the public Bot Framework endpoints (the defaults)', () => {
    let h: ChatHarness;
    beforeAll(async () => {
      h = await startChatHarness(tdb, { ...signedTeams(), BOTFRAMEWORK_OPENID_METADATA_URL: '', BOTFRAMEWORK_LOGIN_URL: '' });
    });
    afterAll(async () => h?.close());

    it('is configured with them, and refuses an activity without a token with 401 before fetching any key', async () => {
      expect(h.config.chat.teams).toMatchObject({ openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration', loginUrl: 'https://login.microsoftonline.com' });
      const stored = await count(h, 'teams_conversation');
      const r = await postActivity(h, activity(h.connector.serviceUrl, { type: 'message', id: 'm-public-unauth', text: 'help' }), { authorization: '' });
      expect(r.status).toBe(401);
      expect(await count(h, 'teams_conversation')).toBe(stored);
      expect(h.connector.calls).toEqual([]);
      expect(h.log.text).not.toMatch(/FetchError|ENOTFOUND|ECONNREFUSED/);
    });
  });

  describe('with TEAMS_ALLOW_UNAUTHENTICATED=true', () => {
    let h: ChatHarness;
    beforeAll(async () => {
      h = await startChatHarness(tdb, { TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
    });
    afterAll(async () => h?.close());

    it('warns at start that authentication is off', () => {
      expect(h.log.text).toContain('TEAMS_ALLOW_UNAUTHENTICATED=true');
      expect(h.server.teams).toBe('unauthenticated');
    });

    it('answers help sent to the bot with a reply card', async () => {
      const r = await postActivity(h, activity(h.connector.serviceUrl, { type: 'message', id: 'msg-help-unsigned', text: '<at>costbridge</at> help', entities: [{ type: 'mention', text: '<at>costbridge</at>', mentioned: { id: '28:costbridge-bot', name: 'costbridge' } }] }));
      expect(r.status).toBe(200);
      await h.connector.waitFor((calls) => calls.some((c) => c.method === 'POST' && c.status === 200));
      const reply = h.connector.activityCalls()[0]!;
      expect(reply.conversationId).toBe(conversationId);
      expect(reply.activityId).toBe('msg-help-unsigned');
      const attachments = reply.body.attachments as { contentType: string; content: unknown }[];
      expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(JSON.stringify(attachments[0]!.content)).toContain('whoami');
    });

  });
});
