import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { deliverPending, type DeliveryLog } from '../../src/app/deliver-pending.js';
import { queueChatMessage } from '../../src/app/queue-chat-message.js';
import { claimDueDeliveries, outboxRow } from '../../src/store/chat-outbox.js';
import { saveTeamsConversation } from '../../src/store/teams-conversations.js';
import { header, message, text } from '../../src/messages/message-blocks.js';
import type { Store } from '../../src/store/database.js';
import { signedTeams, startChatHarness, type ChatHarness } from './chat-harness.js';

const note = (t: string) => message(t, [header('Note'), text(t)]);
const at = (t0: Date, seconds: number) => new Date(t0.getTime() + seconds * 1000);

class MemoryLog implements DeliveryLog {
  readonly lines: { level: string; msg: string; obj: object }[] = [];
  info = (obj: object, msg: string) => void this.lines.push({ level: 'info', msg, obj });
  warn = (obj: object, msg: string) => void this.lines.push({ level: 'warn', msg, obj });
  error = (obj: object, msg: string) => void this.lines.push({ level: 'error', msg, obj });
}

describe.each(storeKinds)('outbox delivery on %s', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  let store: Store;
  let n = 0;
  const purpose = () => `test:${kind}:${++n}`;
  const okCalls = (method: string) => h.slack.callsOf(method).filter((c) => c.ok);

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    h = await startChatHarness(tdb, signedTeams(), { outbox: false });
    store = h.store;
  });
  afterAll(async () => {
    await h?.close();
    await tdb?.drop();
  });
  beforeEach(async () => {
    // Each case starts from an outbox with nothing due, so passes only see its own rows.
    await sql`UPDATE chat_outbox SET status = 'failed', last_error = 'earlier test' WHERE status IN ('pending', 'sending')`.execute(store.db);
    await sql`DELETE FROM chat_platform_pause`.execute(store.db);
    h.slack.calls.length = 0;
    h.connector.calls.length = 0;
  });

  it('honours a 429 Retry-After: nothing is sent before it, then exactly one delivery is stored', async () => {
    const t0 = new Date(Date.now() + 1000);
    const first = await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: purpose(), target: 'C1', payload: note('one') });
    h.slack.failNext(1, { status: 429, retryAfter: 30 });
    const pass1 = await deliverPending(store, h.server.transports, t0);
    expect(pass1.rateLimited.slack?.toISOString()).toBe(at(t0, 30).toISOString());
    const second = await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: purpose(), target: 'C2', payload: note('two') });
    // The platform is paused: a message queued meanwhile waits too.
    const early = await deliverPending(store, h.server.transports, at(t0, 29));
    expect(early.claimed).toBe(0);
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(1);
    const pass2 = await deliverPending(store, h.server.transports, at(t0, 30));
    expect(pass2.delivered).toBe(2);
    expect(h.slack.callsOf('chat.postMessage').map((c) => c.status)).toEqual([429, 200, 200]);
    const row = await outboxRow(store.db, first.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(row!.delivered_id).toMatch(/^1700000000\./);
    expect((await outboxRow(store.db, second.id))!.status).toBe('sent');
    expect(await deliverPending(store, h.server.transports, at(t0, 3600))).toMatchObject({ claimed: 0 });
    expect(okCalls('chat.postMessage')).toHaveLength(2);
  });

  it('backs off exponentially on 500s and delivers once', async () => {
    const t0 = new Date(Date.now() + 1000);
    const { id } = await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: purpose(), target: 'C3', payload: note('three') });
    h.slack.failNext(2, { status: 500 });
    const log = new MemoryLog();
    expect(await deliverPending(store, h.server.transports, t0, { log })).toMatchObject({ retrying: 1 });
    expect((await outboxRow(store.db, id))!.next_attempt_at.toISOString()).toBe(at(t0, 2).toISOString());
    expect((await deliverPending(store, h.server.transports, at(t0, 1.9))).claimed).toBe(0);
    await deliverPending(store, h.server.transports, at(t0, 2), { log });
    expect((await outboxRow(store.db, id))!.next_attempt_at.toISOString()).toBe(at(t0, 6).toISOString());
    expect((await deliverPending(store, h.server.transports, at(t0, 5.9))).claimed).toBe(0);
    expect(await deliverPending(store, h.server.transports, at(t0, 6))).toMatchObject({ delivered: 1 });
    expect(h.slack.callsOf('chat.postMessage').map((c) => c.status)).toEqual([500, 500, 200]);
    expect(await outboxRow(store.db, id)).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(log.lines.filter((l) => l.msg.includes('will retry'))).toHaveLength(2);
  });

  it('gives a row up after its retries, as failed with the last reason', async () => {
    const t0 = new Date(Date.now() + 1000);
    const { id } = await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: purpose(), target: 'C5', payload: note('never') });
    h.slack.failNext(3, { status: 500 });
    const log = new MemoryLog();
    const o = { log, maxAttempts: 3, backoffBaseMs: 1000 };
    expect(await deliverPending(store, h.server.transports, t0, o)).toMatchObject({ retrying: 1 });
    expect(await deliverPending(store, h.server.transports, at(t0, 1), o)).toMatchObject({ retrying: 1 });
    expect(await deliverPending(store, h.server.transports, at(t0, 3), o)).toMatchObject({ failed: 1 });
    expect(await outboxRow(store.db, id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'gave up after 3 attempts: HTTP 500' });
    expect(log.lines.filter((l) => l.msg === 'delivery given up after its retries')).toHaveLength(1);
    expect((await deliverPending(store, h.server.transports, at(t0, 86400), o)).claimed).toBe(0);
  });

  it('keeps a message Slack refuses for good as failed, with the reason, and does not retry it', async () => {
    const t0 = new Date(Date.now() + 1000);
    const { id } = await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: purpose(), target: 'CGONE', payload: note('lost channel') });
    h.slack.failNext(1, { error: 'channel_not_found' });
    expect(await deliverPending(store, h.server.transports, t0)).toMatchObject({ failed: 1 });
    expect(await outboxRow(store.db, id)).toMatchObject({ status: 'failed', last_error: 'channel_not_found', delivered_id: null });
    expect((await deliverPending(store, h.server.transports, at(t0, 86400))).claimed).toBe(0);
  });

  it('stores a message once per purpose and target, and updates wait for the message they replace', async () => {
    const t0 = new Date(Date.now() + 1000);
    const p = purpose();
    const post = await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: p, target: 'C4', payload: note('original') });
    expect((await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: p, target: 'C4', payload: note('again') })).created).toBe(false);
    await queueChatMessage(store, { platform: 'slack', operation: 'update', purpose: `${p}:edit`, target: 'C4', updateOf: post.id, payload: note('edited') });
    const pass1 = await deliverPending(store, h.server.transports, t0);
    expect(pass1).toMatchObject({ claimed: 1, delivered: 1 });
    const pass2 = await deliverPending(store, h.server.transports, t0);
    expect(pass2).toMatchObject({ claimed: 1, delivered: 1 });
    const ts = (await outboxRow(store.db, post.id))!.delivered_id;
    expect(h.slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update']);
    expect(h.slack.callsOf('chat.update')[0]!.args).toMatchObject({ channel: 'C4', ts, text: 'edited' });
  });

  it('resends a message whose sender died mid-send once its lease lapses, and says so', async () => {
    const t0 = new Date(Date.now() + 1000);
    const { id } = await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: purpose(), target: 'C5', payload: note('interrupted') });
    const claimed = await claimDueDeliveries(store.db, { now: t0, limit: 10, leaseMs: 60_000, platforms: ['slack'] });
    expect(claimed.map((c) => c.id)).toEqual([id]);
    expect((await deliverPending(store, h.server.transports, at(t0, 59))).claimed).toBe(0);
    const log = new MemoryLog();
    expect(await deliverPending(store, h.server.transports, at(t0, 60), { log })).toMatchObject({ delivered: 1 });
    expect(log.lines.some((l) => l.level === 'warn' && l.msg.includes('may appear twice'))).toBe(true);
    expect(await outboxRow(store.db, id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('delivers to Teams through the stored conversation reference, honouring 429 and retrying 500', async () => {
    await saveTeamsConversation(store.db, {
      conversationId: 'conv-1',
      conversationType: 'personal',
      tenantId: 't',
      teamId: null,
      serviceUrl: h.connector.serviceUrl,
      reference: { channelId: 'msteams', serviceUrl: h.connector.serviceUrl, conversation: { id: 'conv-1' }, bot: { id: '28:bot' }, user: { id: '29:u' } },
      installed: true,
    });
    const t0 = new Date(Date.now() + 1000);
    const { id } = await queueChatMessage(store, { platform: 'teams', operation: 'post', purpose: purpose(), target: 'conv-1', payload: note('to teams') });
    h.connector.failNext(1, { status: 429, retryAfter: 7 });
    h.connector.failNext(1, { status: 500 });
    const first = await deliverPending(store, h.server.transports, t0);
    expect(h.connector.calls.map((c) => c.status)).toEqual([429]);
    expect(first.rateLimited.teams?.toISOString()).toBe(at(t0, 7).toISOString());
    expect((await deliverPending(store, h.server.transports, at(t0, 6))).claimed).toBe(0);
    expect(await deliverPending(store, h.server.transports, at(t0, 7))).toMatchObject({ retrying: 1 });
    expect(await deliverPending(store, h.server.transports, at(t0, 7 + 4))).toMatchObject({ delivered: 1 });
    // One connector call per attempt: the SDK's own retries are off, the outbox decides.
    expect(h.connector.calls.map((c) => c.status)).toEqual([429, 500, 200]);
    const row = await outboxRow(store.db, id);
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
    expect(row!.delivered_id).toBe(h.connector.calls[2]!.status === 200 ? 'activity-1' : undefined);

    const missing = await queueChatMessage(store, { platform: 'teams', operation: 'post', purpose: purpose(), target: 'conv-never-installed', payload: note('nowhere') });
    await deliverPending(store, h.server.transports, at(t0, 20));
    expect(await outboxRow(store.db, missing.id)).toMatchObject({ status: 'failed' });
  });

  it.runIf(kind === 'postgres')('two workers on separate connections deliver every message exactly once', async () => {
    const t0 = new Date(Date.now() + 1000);
    for (let i = 0; i < 40; i++) await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: purpose(), target: `CC${i}`, payload: note(`m${i}`) });
    const other = await tdb.open();
    const reports = await Promise.all([
      deliverPending(store, h.server.transports, t0, { limit: 25 }),
      deliverPending(other, h.server.transports, t0, { limit: 25 }),
      deliverPending(store, h.server.transports, t0, { limit: 25 }),
      deliverPending(other, h.server.transports, t0, { limit: 25 }),
    ]);
    expect(reports.reduce((s, r) => s + r.delivered, 0)).toBe(40);
    const channels = okCalls('chat.postMessage').map((c) => c.args.channel);
    expect(channels).toHaveLength(40);
    expect(new Set(channels).size).toBe(40);
  });
});
