import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { eventCallbackBody, postSlack } from '../support/signed-slack-request.js';
import { queueChatMessage } from '../../src/app/queue-chat-message.js';
import { header, message, text } from '../../src/messages/message-blocks.js';
import { surfaceLines } from '../../src/cli/commands/serve.js';
import { saveTeamsConversation } from '../../src/store/teams-conversations.js';
import type { SurfaceHealth } from '../../src/server/surface-status.js';
import { eventually, signedTeams, signingSecret, startChatHarness, type ChatHarness } from './chat-harness.js';

const note = (t: string) => message(t, [header('Note'), text(t)]);
const fast = { slackConnect: { initialDelayMs: 40, maxDelayMs: 200 } };

describe.each(storeKinds)('Slack connection and installation on %s', (kind) => {
  let tdb: TestDatabase;
  const count = async (h: ChatHarness, where: ReturnType<typeof sql>) =>
    Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM chat_outbox WHERE ${where}`.execute(h.store.db)).rows[0]!.n);

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('retries auth.test through 500s with capped exponential backoff, then is ready and names its workspace', async () => {
    const printed: string[] = [];
    const print = surfaceLines((l) => printed.push(l));
    let h: ChatHarness | undefined;
    try {
      h = await startChatHarness(tdb, signedTeams(), { ...fast, onSurfaceChange: print }, ({ slack }) => {
        slack.failNextOf('auth.test', 3, { status: 500 });
      });
      expect(h.server.surfaces.slack!.state).toBe('ok');
      expect(h.slack.callsOf('auth.test').map((c) => c.status)).toEqual([500, 500, 500, 200]);
      const retries = h.log.lines.map((l) => JSON.parse(l) as { msg: string; attempt?: number; retryInMs?: number }).filter((l) => l.msg === 'Slack not reachable; retrying in the background');
      expect(retries.map((r) => [r.attempt, r.retryInMs])).toEqual([[1, 40], [2, 80], [3, 160]]);
      // The terminal hears about the state changes, not about every attempt.
      expect(printed).toEqual([
        'Slack not reachable yet (HTTP 500 (attempt 1; next in 0 s)); retrying in the background, everything else runs',
        'Slack ready (workspace Fake, T0FAKE)',
      ]);
      expect(h.server.surfaces.slack!.workspace).toMatchObject({ teamId: 'T0FAKE', botUserId: 'UBOT' });
    } finally {
      await h?.close();
    }
  });

  it('a bot token Slack rejects: one log line naming the variable, no retry, Slack degraded, its rows wait, Teams delivers', async () => {
    const printed: string[] = [];
    let h: ChatHarness | undefined;
    try {
      h = await startChatHarness(tdb, { ...signedTeams(), SLACK_BOT_TOKEN: 'xoxb-revoked-or-mistyped' }, { ...fast, onSurfaceChange: surfaceLines((l) => printed.push(l)) });
      expect(h.server.surfaces.slack!.health()).toMatchObject({ state: 'degraded', reason: 'Slack rejected SLACK_BOT_TOKEN: invalid_auth' });
      expect(printed).toEqual(['Slack rejected SLACK_BOT_TOKEN: invalid_auth; Slack stays off until that is fixed, everything else keeps running']);
      const errors = h.log.lines.filter((l) => l.includes('Slack rejected SLACK_BOT_TOKEN: invalid_auth'));
      expect(errors).toHaveLength(1);
      expect(JSON.parse(errors[0]!)).toMatchObject({ level: 50, variable: 'SLACK_BOT_TOKEN', error: 'invalid_auth' });
      expect(errors[0]).not.toMatch(/stack|\\n\s+at /);
      await new Promise((r) => setTimeout(r, 300));
      expect(h.slack.callsOf('auth.test')).toHaveLength(1);

      const slackRow = await queueChatMessage(h.store, { platform: 'slack', operation: 'post', purpose: `bad-token:${kind}`, target: 'C1', payload: note('waits') });
      const conversation = '19:bad-token@thread.tacv2';
      await saveTeamsConversation(h.store.db, {
        conversationId: conversation,
        conversationType: 'channel',
        tenantId: 't',
        teamId: null,
        serviceUrl: h.connector.serviceUrl,
        reference: { channelId: 'msteams', serviceUrl: h.connector.serviceUrl, conversation: { id: conversation }, bot: { id: '28:bot' } },
        installed: true,
      });
      const teamsRow = await queueChatMessage(h.store, { platform: 'teams', operation: 'post', purpose: `bad-token:${kind}`, target: conversation, payload: note('goes') });
      await eventually(async () => (await h!.store.db.selectFrom('chat_outbox').select('status').where('id', '=', teamsRow.id).executeTakeFirstOrThrow()).status === 'sent');
      expect((await h.store.db.selectFrom('chat_outbox').select('status').where('id', '=', slackRow.id).executeTakeFirstOrThrow()).status).toBe('pending');
      expect(h.slack.callsOf('chat.postMessage')).toHaveLength(0);
      const health = await (await fetch(`${h.server.url}/healthz`)).json();
      expect(health).toMatchObject({ status: 'degraded', slack: { state: 'degraded' }, teams: { state: 'ok' }, outbox: { pending: 1 } });
      expect((await fetch(`${h.server.url}/readyz`)).status).toBe(503);
      await sql`UPDATE chat_outbox SET status = 'failed', last_error = 'test over' WHERE id = ${slackRow.id}`.execute(h.store.db);
    } finally {
      await h?.close();
    }
  });

  it('app_uninstalled parks the workspace\'s deliveries and says so once; after reinstalling, a restart releases them', async () => {
    let h: ChatHarness | undefined;
    try {
      h = await startChatHarness(tdb, {}, { ...fast, outbox: { pollMs: 50 } });
      h.slack.unreachableChannels.clear();
      // Hold deliveries back with a platform pause, so rows are pending when the event arrives.
      await sql`INSERT INTO chat_platform_pause (platform, until) VALUES ('slack', now() + interval '1 hour')`.execute(h.store.db);
      const ids: number[] = [];
      for (const i of [1, 2, 3]) ids.push((await queueChatMessage(h.store, { platform: 'slack', operation: 'post', purpose: `parked:${kind}:${i}`, target: 'CPARK', payload: note(`parked ${i}`) })).id);

      expect((await postSlack(h.server.url, eventCallbackBody(`Ev-uninstall-${kind}`, { type: 'app_uninstalled' }), { secret: signingSecret, json: true })).status).toBe(200);
      await eventually(async () => (await count(h!, sql`status = 'parked'`)) === 3);
      // Slack sends tokens_revoked too (for the bot user): already recorded, so nothing more is said.
      expect((await postSlack(h.server.url, eventCallbackBody(`Ev-revoked-${kind}`, { type: 'tokens_revoked', tokens: { oauth: [], bot: ['UBOT'] } }), { secret: signingSecret, json: true })).status).toBe(200);
      await eventually(async () => (await h!.store.db.selectFrom('chat_inbound').select('request_key').where('request_key', '=', `event:Ev-revoked-${kind}`).executeTakeFirst()) !== undefined);
      await new Promise((r) => setTimeout(r, 200));
      const said = h.log.lines.filter((l) => l.includes('removed costbridge'));
      expect(said).toHaveLength(1);
      expect(JSON.parse(said[0]!)).toMatchObject({ level: 40, team: 'T0FAKE', event: 'app_uninstalled', parked: 3 });
      expect(h.server.surfaces.slack!.state).toBe('degraded');
      const health = await (await fetch(`${h.server.url}/healthz`)).json();
      expect(health).toMatchObject({ slack: { state: 'degraded', reason: expect.stringContaining('uninstalled costbridge') }, outbox: { parked: 3 } });
      expect(await h.store.db.selectFrom('chat_workspace').selectAll().where('workspace', '=', 'T0FAKE').executeTakeFirstOrThrow()).toMatchObject({ state: 'uninstalled', reason: 'app_uninstalled' });
      expect(Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log WHERE action = 'chat.workspace.uninstalled'`.execute(h.store.db)).rows[0]!.n)).toBe(1);

      // Nothing goes out while uninstalled, even once the pause is over and new rows are queued.
      await sql`DELETE FROM chat_platform_pause`.execute(h.store.db);
      const later = await queueChatMessage(h.store, { platform: 'slack', operation: 'post', purpose: `after-uninstall:${kind}`, target: 'CPARK', payload: note('later') });
      await new Promise((r) => setTimeout(r, 300));
      expect(h.slack.callsOf('chat.postMessage')).toHaveLength(0);
      await h.close();
      h = undefined;

      // Reinstalled (here: the same token works again) and restarted: auth.test releases the rows.
      h = await startChatHarness(tdb, {}, fast);
      await eventually(async () => (await count(h!, sql`id IN (${sql.join([...ids, later.id])}) AND status = 'sent'`)) === 4);
      expect(h.slack.callsOf('chat.postMessage').filter((c) => c.ok).map((c) => (c.args.blocks as { text?: { text: string } }[])[1]!.text!.text)).toEqual(['parked 1', 'parked 2', 'parked 3', 'later']);
      expect(h.log.text).toContain('Slack workspace T0FAKE authorized costbridge again: 3 parked deliveries resume');
      expect(await h.store.db.selectFrom('chat_workspace').select('state').where('workspace', '=', 'T0FAKE').executeTakeFirstOrThrow()).toEqual({ state: 'installed' });
      expect(h.server.surfaces.slack!.state).toBe('ok');
    } finally {
      await h?.close();
    }
  });

  it('tokens_revoked for people\'s tokens only leaves the bot working', async () => {
    let h: ChatHarness | undefined;
    try {
      h = await startChatHarness(tdb, {}, fast);
      expect((await postSlack(h.server.url, eventCallbackBody(`Ev-user-revoked-${kind}`, { type: 'tokens_revoked', tokens: { oauth: ['U123'], bot: [] } }), { secret: signingSecret, json: true })).status).toBe(200);
      await eventually(async () => (await h!.store.db.selectFrom('chat_inbound').select('request_key').where('request_key', '=', `event:Ev-user-revoked-${kind}`).executeTakeFirst()) !== undefined);
      await new Promise((r) => setTimeout(r, 200));
      expect(h.server.surfaces.slack!.state).toBe('ok');
      expect(await h.store.db.selectFrom('chat_workspace').select('state').where('workspace', '=', 'T0FAKE').executeTakeFirstOrThrow()).toEqual({ state: 'installed' });
    } finally {
      await h?.close();
    }
  });
});

// The printer is what `serve` writes on stderr: one line per state, not per attempt.
describe('surfaceLines', () => {
  it('prints a line when a surface changes state, and nothing for retries in between', () => {
    const out: string[] = [];
    const print = surfaceLines((l) => out.push(l));
    const h = (state: SurfaceHealth['state'], reason?: string): SurfaceHealth => ({ state, since: '', mode: 'http', ...(reason ? { reason } : {}) });
    print('slack', h('connecting', 'cannot reach Slack: ECONNREFUSED (attempt 1; next in 1 s)'));
    print('slack', h('connecting', 'cannot reach Slack: ECONNREFUSED (attempt 2; next in 2 s)'));
    print('slack', { ...h('ok'), workspace: { id: 'T1' } });
    print('slack', h('degraded', 'Slack rejected SLACK_APP_TOKEN: invalid_auth'));
    expect(out).toEqual([
      'Slack not reachable yet (cannot reach Slack: ECONNREFUSED (attempt 1; next in 1 s)); retrying in the background, everything else runs',
      'Slack ready (workspace T1)',
      'Slack rejected SLACK_APP_TOKEN: invalid_auth; Slack stays off until that is fixed, everything else keeps running',
    ]);
  });
});
