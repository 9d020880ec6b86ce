import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { blockActionsBody, postSlack, slashCommandBody, viewSubmissionBody } from '../support/signed-slack-request.js';
import type { ChatForm } from '../../src/server/forms/chat-form.js';
import { startServer } from '../../src/main/start-server.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { costCenterOptions } from '../../src/server/forms/cost-center-options.js';
import { grantRole } from '../../src/store/people.js';
import { queueChatMessage } from '../../src/app/queue-chat-message.js';
import { openFormSession } from '../../src/app/form-session.js';
import { acknowledgeButton } from '../../src/server/actions/acknowledge-action.js';
import { actions, header, message, text } from '../../src/messages/message-blocks.js';
import { botToken, eventually, signingSecret, startChatHarness, type ChatHarness } from './chat-harness.js';

// A form registered only in this test, to drive the modal plumbing the claim/approve forms will use.
const submitted: { values: unknown; actor: string | undefined }[] = [];
const reasonForm: ChatForm = {
  callbackId: 'test-reason',
  requiresPerson: true,
  searchInputs: { 'cost-center': 'cost-centers' },
  validate: (s) => (typeof s.values.reason === 'string' && s.values.reason.trim().length >= 3 ? undefined : { reason: 'Say why in a few words.' }),
  async submit(s, request) {
    submitted.push({ values: s.values, actor: request.requester.person?.id });
    return { reply: message('Noted.', [text('Noted.')]) };
  },
};

describe.each(storeKinds)('Slack over HTTP on %s', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  let trigger = 0;
  const nextTrigger = () => `${kind}-trigger-${++trigger}`;
  const count = async (table: string, where = sql`true`) =>
    Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)} WHERE ${where}`.execute(h.store.db)).rows[0]!.n);

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    h = await startChatHarness(tdb, {}, { forms: [reasonForm], optionsSources: [costCenterOptions] });
    await grantRole(h.store.db, { id: 'ana', details: { name: 'Ana Ito', slackUserId: 'UANA' }, role: 'itfm', costCenter: null }, { actor: 'test', surface: 'cli' });
    await grantRole(h.store.db, { id: 'bo', details: { name: 'Bo Chen', email: 'bo@example.com' }, role: 'owner', costCenter: null }, { actor: 'test', surface: 'cli' });
    h.slack.emails.set('UBO', 'BO@example.com');
  });
  afterAll(async () => {
    await h?.close();
    await tdb?.drop();
  });
  beforeEach(() => {
    h.slack.calls.length = 0;
  });

  it('rejects a bad signature with 401 and stores nothing', async () => {
    const before = await count('chat_inbound');
    const body = slashCommandBody({ text: 'help', userId: 'UANA', channelId: 'C1', triggerId: nextTrigger() });
    const r = await postSlack(h.server.url, body, { secret: 'not-the-secret' });
    expect(r.status).toBe(401);
    expect(await count('chat_inbound')).toBe(before);
    expect(await count('chat_outbox')).toBe(0);
    await new Promise((res) => setTimeout(res, 200));
    expect(h.slack.calls).toEqual([]);
  });

  it('rejects a correctly signed request older than five minutes with 401', async () => {
    const body = slashCommandBody({ text: 'help', userId: 'UANA', channelId: 'C1', triggerId: nextTrigger() });
    const r = await postSlack(h.server.url, body, { secret: signingSecret, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(r.status).toBe(401);
    expect(await count('chat_outbox')).toBe(0);
  });

  it('answers /costbridge help privately, acknowledged at once', async () => {
    const triggerId = nextTrigger();
    const r = await postSlack(h.server.url, slashCommandBody({ text: 'help', userId: 'UANA', channelId: 'C1', triggerId }), { secret: signingSecret });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral' && c.ok));
    const [call] = h.slack.callsOf('chat.postEphemeral');
    expect(call!.args.channel).toBe('C1');
    expect(call!.args.user).toBe('UANA');
    const blocks = JSON.stringify(call!.args.blocks);
    expect(blocks).toContain('whoami');
    expect(blocks).toContain('help');
    // The worker records the delivery just after Slack answers: wait for it rather than race it.
    await vi.waitFor(
      async () => {
        const row = await h.store.db.selectFrom('chat_outbox').selectAll().where('purpose', '=', `command-reply:${triggerId}`).executeTakeFirstOrThrow();
        expect(row.status).toBe('sent');
        expect(row.delivered_id).toMatch(/^1700000000\./);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('whoami maps a Slack id to the person and lists their roles', async () => {
    await postSlack(h.server.url, slashCommandBody({ text: 'whoami', userId: 'UANA', channelId: 'C1', triggerId: nextTrigger() }), { secret: signingSecret });
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral' && c.ok));
    const blocks = JSON.stringify(h.slack.callsOf('chat.postEphemeral')[0]!.args.blocks);
    expect(blocks).toContain('ana');
    expect(blocks).toContain('Ana Ito');
    expect(blocks).toContain('itfm');
  });

  it('whoami finds a person by the email users.info returns', async () => {
    await postSlack(h.server.url, slashCommandBody({ text: 'whoami', userId: 'UBO', channelId: 'C1', triggerId: nextTrigger() }), { secret: signingSecret });
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral' && c.ok));
    expect(h.slack.callsOf('users.info')[0]!.args.user).toBe('UBO');
    const blocks = JSON.stringify(h.slack.callsOf('chat.postEphemeral')[0]!.args.blocks);
    expect(blocks).toContain('Bo Chen');
    expect(blocks).toContain('owner');
  });

  it('tells an unknown user how to get access', async () => {
    await postSlack(h.server.url, slashCommandBody({ text: 'whoami', userId: 'UNOBODY', channelId: 'C1', triggerId: nextTrigger() }), { secret: signingSecret });
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral' && c.ok));
    const call = h.slack.callsOf('chat.postEphemeral')[0]!;
    expect(String(call.args.text)).toContain('does not know you yet');
    expect(JSON.stringify(call.args.blocks)).toContain('npx costbridge people add &lt;your-name&gt; --slack-id UNOBODY');
  });

  it('processes a request once when Slack retries it (X-Slack-Retry-Num)', async () => {
    const triggerId = nextTrigger();
    const body = slashCommandBody({ text: 'help', userId: 'UANA', channelId: 'C2', triggerId });
    const first = await postSlack(h.server.url, body, { secret: signingSecret });
    const retry = await postSlack(h.server.url, body, { secret: signingSecret, retryNum: 1 });
    const again = await postSlack(h.server.url, body, { secret: signingSecret, retryNum: 2 });
    expect([first.status, retry.status, again.status]).toEqual([200, 200, 200]);
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral' && c.ok));
    await new Promise((res) => setTimeout(res, 300));
    expect(h.slack.callsOf('chat.postEphemeral')).toHaveLength(1);
    expect(await count('chat_outbox', sql`purpose = ${`command-reply:${triggerId}`}`)).toBe(1);
    expect(await count('chat_inbound', sql`request_key = ${`trigger:${triggerId}`}`)).toBe(1);
  });

  it('Acknowledge records one decision with an audit row and updates the message in place', async () => {
    const alert = message('Unowned spend in October', [header('Unowned spend'), text('CC-9999 has 1,200.00 USD without an owner.'), actions(acknowledgeButton())]);
    const { id } = await queueChatMessage(h.store, { platform: 'slack', operation: 'post', purpose: 'test-alert:1', target: 'C9', payload: alert });
    h.server.transports.slack && (await eventually(async () => (await h.store.db.selectFrom('chat_outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status === 'sent'));
    const ts = (await h.store.db.selectFrom('chat_outbox').select('delivered_id').where('id', '=', id).executeTakeFirstOrThrow()).delivered_id!;
    const posted = h.slack.callsOf('chat.postMessage')[0]!;
    expect(JSON.stringify(posted.args.blocks)).toContain('"action_id":"acknowledge"');

    const click = (triggerId: string) =>
      postSlack(h.server.url, blockActionsBody({ actionId: 'acknowledge', value: '{}', userId: 'UANA', channelId: 'C9', messageTs: ts, triggerId }), { secret: signingSecret });
    const results = await Promise.all([click(nextTrigger()), click(nextTrigger()), click(nextTrigger())]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.update' && c.ok));
    await eventually(async () => (await count('chat_outbox', sql`status <> 'sent'`)) === 0);
    expect(await count('chat_acknowledgement', sql`outbox_id = ${id}`)).toBe(1);
    expect(await count('audit_log', sql`action = 'message.acknowledge' AND subject_id = ${String(id)}`)).toBe(1);
    const audit = await h.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'message.acknowledge').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'ana', surface: 'slack', subject_type: 'chat_message' });
    const updates = h.slack.callsOf('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.args).toMatchObject({ channel: 'C9', ts });
    expect(JSON.stringify(updates[0]!.args.blocks)).toContain('Acknowledged by Ana Ito');
    // The two repeated clicks were told privately that it was already done.
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'chat.postEphemeral' && c.ok).length === 2);
    expect(String(h.slack.callsOf('chat.postEphemeral')[0]!.args.text)).toContain('already acknowledged');
  });

  it('refuses a button press from an unknown user without recording anything', async () => {
    const before = await count('audit_log');
    await postSlack(h.server.url, blockActionsBody({ actionId: 'acknowledge', value: '{}', userId: 'UNOBODY', channelId: 'C9', messageTs: '1.2', triggerId: nextTrigger() }), { secret: signingSecret });
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral' && c.ok));
    expect(String(h.slack.callsOf('chat.postEphemeral')[0]!.args.text)).toContain('does not know you yet');
    expect(await count('audit_log')).toBe(before);
  });

  it('answers a modal submission with field errors at once, and submits a valid one', async () => {
    submitted.length = 0;
    // As a button would have opened it: a form session for Ana, from a message in C1.
    const session = await openFormSession(h.store, { kind: 'test-reason', platform: 'slack', subject: { itemId: 'item-1' }, origin: { target: 'C1', messageId: '1.1' }, personId: 'ana', platformUserId: 'UANA', now: new Date() });
    const invalid = await postSlack(h.server.url, viewSubmissionBody({ callbackId: 'test-reason', privateMetadata: session, userId: 'UANA', triggerId: nextTrigger(), values: { reason: 'x' } }), { secret: signingSecret });
    expect(invalid.status).toBe(200);
    expect(JSON.parse(invalid.text)).toEqual({ response_action: 'errors', errors: { reason: 'Say why in a few words.' } });
    const valid = await postSlack(h.server.url, viewSubmissionBody({ callbackId: 'test-reason', privateMetadata: session, userId: 'UANA', triggerId: nextTrigger(), values: { reason: 'not our team' } }), { secret: signingSecret });
    expect(valid.status).toBe(200);
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral' && c.ok));
    expect(submitted).toEqual([{ values: { reason: 'not our team' }, actor: 'ana' }]);
    // The answer is shown privately where the form was opened.
    expect(h.slack.callsOf('chat.postEphemeral')[0]!.args).toMatchObject({ channel: 'C1', user: 'UANA' });
  });

  it('answers a searchable select from the cost-center master data', async () => {
    await sql`INSERT INTO cost_center (code, name) VALUES ('CC-1200', 'Platform'), ('CC-3400', 'Data platform'), ('CC-5000', 'Sales') ON CONFLICT DO NOTHING`.execute(h.store.db);
    const payload = { type: 'block_suggestion', user: { id: 'UANA' }, team: { id: 'T0FAKE' }, action_id: 'cost-center', block_id: 'cost-center', value: 'platf', view: { id: 'V1', callback_id: 'test-reason' } };
    const r = await postSlack(h.server.url, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { secret: signingSecret });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({
      options: [
        { text: { type: 'plain_text', text: 'CC-1200 Platform' }, value: 'CC-1200' },
        { text: { type: 'plain_text', text: 'CC-3400 Data platform' }, value: 'CC-3400' },
      ],
    });
  });

  it('serves /healthz (each surface, the outbox backlog) and /readyz, and 404s anything else', async () => {
    const health = await fetch(`${h.server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      database: 'ok',
      slack: { state: 'ok', since: expect.any(String), mode: 'http', workspace: { id: 'T0FAKE', name: 'Fake' } },
      teams: { state: 'off', reason: 'MICROSOFT_APP_ID is not set' },
      outbox: { pending: expect.any(Number), oldestPendingAgeSeconds: expect.toSatisfy((v: unknown) => v === null || typeof v === 'number'), parked: 0 },
      scheduler: { state: 'off' },
    });
    const ready = await fetch(`${h.server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
    expect((await fetch(`${h.server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${h.server.url}/slack/events`)).status).toBe(404);
    expect((await fetch(`${h.server.url}/api/messages`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it.runIf(kind === 'postgres')('reports 503 on /healthz when the database is gone', async () => {
    const own = await tdb.open();
    const server = await startServer(loadConfig({ ...tdb.env, PORT: '0' }), own, { host: '127.0.0.1', log: createLogger(loadConfig({ LOG_LEVEL: 'silent' })), outbox: false });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await own.close();
      const r = await fetch(`${server.url}/healthz`);
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ status: 'unavailable', slack: { state: 'off' }, teams: { state: 'off' }, outbox: null });
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    } finally {
      await server.close();
    }
  });

  it('never writes the bot token or the signing secret to the log', async () => {
    expect(h.log.lines.length).toBeGreaterThan(5);
    expect(h.log.text).not.toContain(botToken);
    expect(h.log.text).not.toContain(signingSecret);
    for (const line of h.log.lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
