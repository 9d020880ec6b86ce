import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCadence } from '../../src/app/cadence-add.js';
import { deliverPending } from '../../src/app/deliver-pending.js';
import { loadDemoData } from '../../src/app/load-demo-data.js';
import { queueChatMessage } from '../../src/app/queue-chat-message.js';
import { digestChartAttachments } from '../../src/app/review-produce.js';
import { runReview } from '../../src/app/review-run.js';
import { reviewSettings, type ReviewSettings } from '../../src/app/review-settings.js';
import { digestChartData } from '../../src/charts/digest-chart-data.js';
import { digestChartOption, renderDigestChartPng } from '../../src/charts/digest-chart.js';
import { activityWithImages } from '../../src/chat/teams/teams-transport.js';
import { teamsLimits, utf16Bytes } from '../../src/chat/teams/limits.js';
import { runCli } from '../../src/cli.js';
import { loadConfig } from '../../src/config.js';
import type { WeeklyDigest } from '../../src/domain/digest.js';
import { Money } from '../../src/domain/money.js';
import { weeklyDigestMessages } from '../../src/messages/views/weekly-digest.js';

/** The digest reply that carries the chart (budget, forecast and what moved). */
const chartReply = (d: WeeklyDigest) => weeklyDigestMessages(d, { chart: true }).thread[0]!;
import { outboxRow } from '../../src/store/chat-outbox.js';
import type { Store } from '../../src/store/database.js';
import { runDeliveries } from '../../src/store/review-runs.js';
import { saveTeamsConversation } from '../../src/store/teams-conversations.js';
import { startReviewScheduler, type SchedulerLog } from '../../src/scheduler/review-scheduler.js';
import { signedTeams, startChatHarness, type ChatHarness } from '../chat/chat-harness.js';
import { reportFailedReviewDeliveries } from '../../src/app/review-delivery-failures.js';
import { deliverReviewRuns } from '../../src/app/review-deliver.js';
import { cli } from '../support/run-cli.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/test-stores.js';

const quiet: SchedulerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const who = { actor: 'ana', surface: 'cli' as const };

/** Width and height from a PNG's IHDR chunk (after the 8-byte signature and the chunk's length and type). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const sample: WeeklyDigest = {
  cadence: 'weekly-digest',
  period: '2026-09',
  asOf: '2026-09-14',
  dataThrough: '2026-09-13',
  generatedAt: '2026-09-14T09:00:00.000Z',
  timezone: 'UTC',
  scope: [],
  demo: false,
  freshness: [],
  staleAfterDays: 3,
  headline: [{ currency: 'USD', effective: '61000.125', billed: '60000', lines: 10 }],
  budgets: [],
  movers: [{ costCenter: 'CC-1', currency: 'USD', variance: '-1399.995', components: [{ component: 'volume', amount: '-3400.004' }, { component: 'rate', amount: '1200.009' }, { component: 'new', amount: '800' }] }],
  moversBasis: { comparedWith: '2026-08', through: '2026-08-13' },
  openVariances: [],
  unattributed: null,
  savingsAwaiting: [],
  savingsRecognized: [],
  newSpend: null,
  sinceLast: { previousReviewAt: null, decisionCount: 0, decisions: [], stillOpen: { unattributedItems: 0, openVariances: 0, savingsAwaiting: 0, newSpend: 0 } },
  trend: {
    currency: 'USD',
    points: [
      { period: '2026-07', actual: '120345.125', budget: '125000', projected: null },
      { period: '2026-08', actual: '130000.004', budget: '125000', projected: null },
      { period: '2026-09', actual: '61000.125', budget: '128000', projected: '131500.5' },
    ],
  },
};

describe('the digest chart', () => {
  it('draws the digest\'s own numbers: monthly spend, budget, projection, and the largest mover\'s waterfall', () => {
    const data = digestChartData(sample)!;
    expect(data.months).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(data.actual).toEqual([120345.13, 130000, 61000.13]);
    expect(data.budget).toEqual([125000, 125000, 128000]);
    expect(data.projected).toEqual([null, null, 131500.5]);
    expect(data.waterfall).toEqual({
      costCenter: 'CC-1',
      steps: [
        { label: 'volume', value: -3400, total: false },
        { label: 'rate', value: 1200.01, total: false },
        { label: 'new', value: 800, total: false },
        { label: 'total', value: -1400, total: true },
      ],
    });
    const option = digestChartOption(data) as { series: { name: string; data: unknown[] }[] };
    const series = Object.fromEntries(option.series.map((s) => [s.name, s.data]));
    expect(series.Actual).toEqual(data.actual);
    expect(series.Budget).toEqual(data.budget);
    expect(series.Projected).toEqual(['-', '-', 131500.5]);
    // Waterfall: invisible bases carry each bar from the running sum (0 → -3400 → -2199.99 → -1399.99).
    expect(series.base).toEqual([-3400, -3400, -2199.99, -1400]);
    expect((series.change as { value: number }[]).map((c) => c.value)).toEqual([3400, 1200.01, 800, 1400]);
    expect(digestChartData({ ...sample, trend: null })).toBeNull();
  });

  it('renders a PNG of the requested size', async () => {
    const chart = renderDigestChartPng(digestChartData(sample)!, { width: 640, height: 280 });
    expect(pngSize(chart.png)).toEqual({ width: 640, height: 280 });
    const attachment = (await digestChartAttachments(sample))[0]!;
    expect(pngSize(Buffer.from(attachment.base64, 'base64'))).toEqual({ width: 720, height: 300 });
    expect(attachment).toMatchObject({ name: 'digest-chart', mediaType: 'image/png', filename: 'costbridge-digest-2026-09.png' });
  });

  it('is inline in a Teams card only when the card budget holds it; otherwise the chart stays in words', async () => {
    const msg = chartReply(sample);
    const big = (await digestChartAttachments(sample))[0]!;
    const withBig = activityWithImages({ ...msg, attachments: [big] });
    expect(JSON.stringify(withBig)).not.toContain('data:image/png');
    expect(JSON.stringify(withBig)).toContain('Effective cost vs budget by month');
    const tiny = { ...big, base64: Buffer.from(renderDigestChartPng(digestChartData(sample)!, { width: 60, height: 25 }).png).toString('base64') };
    const withTiny = activityWithImages({ ...msg, attachments: [tiny] });
    expect(JSON.stringify(withTiny)).toContain(`data:image/png;base64,${tiny.base64}`);
    expect(utf16Bytes(withTiny.attachments[0]!.content)).toBeLessThanOrEqual(teamsLimits.cardBytes);
  });
});

describe.each(storeKinds)('the weekly digest end to end through the fake Slack Web API and Bot Connector on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let settings: ReviewSettings;
  let demoDir: string;
  let h: ChatHarness;
  const teamsConversation = '19:e2e-joint@thread.tacv2';

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    demoDir = await mkdtemp(join(tmpdir(), 'costbridge-e2e-'));
    await loadDemoData(store, { dir: demoDir, asOf: '2026-09-15', actor: 'demo', surface: 'cli' });
    // Master-data channels would add routes of their own; this test posts to the cadence's channels.
    await store.db.updateTable('cost_center').set({ chat_channel: null }).execute();
    settings = reviewSettings(loadConfig({ LOG_LEVEL: 'silent' }));
    h = await startChatHarness(tdb, signedTeams(), { outbox: false });
    await saveTeamsConversation(store.db, {
      conversationId: teamsConversation,
      conversationType: 'channel',
      tenantId: 't',
      teamId: '19:team@thread.tacv2',
      serviceUrl: h.connector.serviceUrl,
      reference: { channelId: 'msteams', serviceUrl: h.connector.serviceUrl, conversation: { id: teamsConversation, conversationType: 'channel' }, bot: { id: '28:bot' } },
      installed: true,
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await tdb.drop();
    await rm(demoDir, { recursive: true, force: true });
  });

  /** The harness's Teams settings (credentials, the fake issuer's endpoints), for the CLI run beside it. */
  const teamsSettings = (env: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(env).filter(([k]) => /^(MICROSOFT_APP_|TEAMS_|BOTFRAMEWORK_)/.test(k)));

  /** `costbridge review run` in-process with the chat settings pointing at the fakes. */
  async function reviewRun(...args: string[]) {
    let stdout = '';
    let stderr = '';
    const env = { ...tdb.env, LOG_LEVEL: 'silent', SLACK_BOT_TOKEN: h.slack.token, SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: h.slack.apiUrl, ...teamsSettings(h.env) };
    const code = await runCli(['node', 'costbridge', 'review', 'run', ...args], { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`) }, env, kind === 'pglite' ? store : undefined);
    return { code, stdout, stderr };
  }

  it('review run posts each channel one parent message and its details as replies in its thread (chart uploaded once each), and stores the parents\' ids', async () => {
    await addCadence(store, { name: 'e2e', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC', channels: ['slack:CE2E1', 'slack:CE2E2', `teams:${teamsConversation}`], costCenters: [], ...who, now: new Date('2026-09-01T00:00:00Z') });
    const r = await reviewRun('e2e', '--at', '2026-09-14T10:00:00Z', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { outcome: string; run: { id: number }; deliveries: { channel: string; status: string; messageId: string }[] };
    expect(out.outcome).toBe('posted');
    const posts = h.slack.callsOf('chat.postMessage').filter((c) => c.ok);
    const parents = posts.filter((c) => c.args.thread_ts === undefined);
    expect(parents.map((c) => c.args.channel).sort()).toEqual(['CE2E1', 'CE2E2']);
    const activities = h.connector.activityCalls().filter((c) => c.conversationId === teamsConversation);
    // Teams: one parent (as many cards as it needs, so every listed item keeps its buttons), the rest as replies.
    const teamsParents = activities.filter((c) => c.activityId === undefined);
    expect(teamsParents.length).toBeGreaterThanOrEqual(1);
    const teamsCards = JSON.stringify(activities.map((a) => a.body));
    const teamsButtons = new Set(activities.flatMap((a) => [...JSON.stringify(a.body).matchAll(/"verb":"([^"]+)","data":(\{[^}]*\})/g)].map((m) => `${m[1]} ${m[2]}`)));
    for (const post of posts.filter((c) => String(c.args.channel).startsWith('CE2E'))) {
      for (const b of (post.args.blocks as { type: string; elements?: { type: string; action_id: string; value: string }[] }[]).filter((x) => x.type === 'actions').flatMap((x) => x.elements ?? [])) {
        if (b.type !== 'button' || b.value === undefined) continue;
        // View all opens a Teams dialog (task module): an Action.Submit carrying the same verb and ids.
        if (b.action_id.startsWith('digest.view-all.')) expect(teamsCards).toContain(`"verb":"${b.action_id}","payload":${b.value}`);
        else expect(teamsButtons.has(`${b.action_id} ${b.value}`), `${b.action_id} ${b.value}`).toBe(true);
      }
    }
    // Stored ids are the platforms' own.
    const stored = await runDeliveries(store.db, [out.run.id]);
    expect(stored.map((d) => [d.channel, d.status])).toEqual([
      ['slack:CE2E1', 'sent'],
      ['slack:CE2E2', 'sent'],
      [`teams:${teamsConversation}`, 'sent'],
    ]);
    // The fake answers Slack ts 1700000000.NNNNNN and Teams ids activity-N.
    for (const d of stored.filter((x) => x.channel.startsWith('slack:'))) expect(d.messageId).toMatch(/^1700000000\.\d{6}$/);
    expect(stored.find((d) => d.channel.startsWith('teams:'))!.messageId).toMatch(/^activity-\d+$/);
    // The first card is the message's id; the others are recorded with it, so a click on any card finds the message.
    const teamsOutbox = await store.db.selectFrom('chat_outbox').select(['delivered_id', 'payload']).where('platform', '=', 'teams').where('target', '=', teamsConversation).where('reply_of', 'is', null).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const recordedCards = (teamsOutbox.payload as { uploads?: Record<string, string> }).uploads ?? {};
    if (teamsParents.length > 1) expect(recordedCards['card:0']).toBe(teamsOutbox.delivered_id);
    expect(Object.keys(recordedCards).filter((k) => k.startsWith('card:')).length).toBe(teamsParents.length > 1 ? teamsParents.length : 0);
    expect(new Set(stored.map((d) => d.messageId)).size).toBe(3);
    expect(out.deliveries.map((d) => d.messageId).sort()).toEqual(stored.map((d) => d.messageId).sort());

    // One parent per channel; every other post of the run is a reply in that parent's thread, in order.
    for (const d of stored) {
      const replies = d.channel.startsWith('slack:')
        ? posts.filter((c) => c.args.channel === d.channel.slice('slack:'.length) && c.args.thread_ts === d.messageId).map((c) => String(c.args.text))
        : activities.filter((c) => c.activityId === d.messageId).map((c) => String(c.body.text ?? (c.body.summary as string | undefined) ?? ''));
      expect(replies, d.channel).toHaveLength(3);
      if (d.channel.startsWith('slack:')) {
        expect(replies[0]).toContain('budget, forecast and what moved');
        expect(replies[2]).toContain('decisions since the last review');
      }
    }
    expect(posts.filter((c) => String(c.args.channel).startsWith('CE2E'))).toHaveLength(8);

    // The chart: uploaded once per Slack delivery, shown by the image block of the first thread reply.
    expect(h.slack.callsOf('files.getUploadURLExternal')).toHaveLength(2);
    expect(h.slack.callsOf('upload')).toHaveLength(2);
    expect(h.slack.callsOf('files.completeUploadExternal')).toHaveLength(2);
    for (const parent of parents) expect((parent.args.blocks as { type: string }[]).some((b) => b.type === 'image')).toBe(false);
    for (const post of posts.filter((c) => c.args.thread_ts !== undefined && String(c.args.text).includes('what moved'))) {
      const image = (post.args.blocks as { type: string; slack_file?: { id: string } }[]).find((b) => b.type === 'image')!;
      const file = h.slack.files.get(image.slack_file!.id)!;
      expect(file.completed).toBe(true);
      expect(pngSize(file.bytes!)).toEqual({ width: 720, height: 300 });
    }
    // Its numbers are the digest's: the same run built without posting has the same trend.
    const dry = await runReview(store, { cadence: 'e2e', at: new Date('2026-09-14T10:00:00Z'), now: new Date(), trigger: 'manual', dryRun: true, ...who, runner: 't', settings });
    if (!dry.ok) throw new Error(dry.message);
    const data = digestChartData(dry.digest!)!;
    expect(data.actual.at(-1)).toBe(Number(new Money(dry.digest!.headline[0]!.effective).toDecimalPlaces(2, Money.ROUND_HALF_UP).toFixed(2)));
    // Teams: the card carries the chart in words (a PNG does not fit the card budget).
    const card = JSON.stringify(activities.filter((c) => c.activityId !== undefined).map((c) => c.body));
    expect(card).toContain('Effective cost vs budget by month');
    expect(card).not.toContain('data:image/png');
  });

  it('a scheduler tick posts the next occurrence the same way, once', async () => {
    const before = { posts: h.slack.callsOf('chat.postMessage').length, activities: h.connector.activityCalls().length, uploads: h.slack.callsOf('upload').length };
    const at = () => new Date('2026-09-21T09:00:30Z');
    const a = startReviewScheduler(store, { settings, log: quiet, now: at, autoStart: false, transports: h.server.transports, runner: 'A' });
    const b = startReviewScheduler(store, { settings, log: quiet, now: at, autoStart: false, transports: h.server.transports, runner: 'B' });
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.stop(), b.stop()]);
    const run = await store.db.selectFrom('review_run').selectAll().where('cadence_name', '=', 'e2e').where('period_key', '=', '2026-09-21T09:00').execute();
    expect(run).toHaveLength(1);
    const deliveries = await runDeliveries(store.db, [Number(run[0]!.id)]);
    expect(deliveries.map((d) => [d.channel, d.status])).toEqual([
      ['slack:CE2E1', 'sent'],
      ['slack:CE2E2', 'sent'],
      [`teams:${teamsConversation}`, 'sent'],
    ]);
    const newPosts = h.slack.callsOf('chat.postMessage').slice(before.posts).filter((c) => c.ok && String(c.args.channel).startsWith('CE2E'));
    expect(newPosts.filter((c) => c.args.thread_ts === undefined).map((c) => c.args.channel).sort()).toEqual(['CE2E1', 'CE2E2']);
    expect(newPosts).toHaveLength(8);
    // A parent and three replies, each as many cards as it needs.
    expect(h.connector.activityCalls().length - before.activities).toBeGreaterThanOrEqual(4);
    expect(h.slack.callsOf('upload').length - before.uploads).toBe(2);
    for (const d of deliveries) expect(d.messageId).toBeTruthy();
  });

  it('a scheduled alert is a reply in the thread of the digest its channel got that week; without one it stands on its own', async () => {
    const [digestRun] = await store.db.selectFrom('review_run').select('id').where('cadence_name', '=', 'e2e').where('period_key', '=', '2026-09-21T09:00').execute();
    const digest = await runDeliveries(store.db, [Number(digestRun!.id)]);
    const digestId = (channel: string) => digest.find((d) => d.channel === channel)!.messageId;
    const alertPosts = (from: number, channel: string) =>
      h.slack.callsOf('chat.postMessage').slice(from).filter((c) => c.ok && c.args.channel === channel && String(c.args.text).includes('unattributed'));

    await addCadence(store, { name: 'e2e-unatt', kind: 'unattributed-alert', cron: '0 7 * * *', timezone: 'UTC', channels: ['slack:CE2E1', 'slack:CSOLO', `teams:${teamsConversation}`], costCenters: [], ...who, now: new Date('2026-09-01T00:00:00Z') });
    const before = { posts: h.slack.callsOf('chat.postMessage').length, activities: h.connector.activityCalls().length };
    const r = await reviewRun('e2e-unatt', '--at', '2026-09-22T07:30:00Z', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { outcome: string; run: { id: number } };
    expect(out.outcome).toBe('posted');
    // In the digest's thread where the channel got one on the 21st; on its own where it got none.
    const inThread = alertPosts(before.posts, 'CE2E1');
    expect(inThread).toHaveLength(1);
    expect(inThread[0]!.args.thread_ts).toBe(digestId('slack:CE2E1'));
    const alone = alertPosts(before.posts, 'CSOLO');
    expect(alone).toHaveLength(1);
    expect(alone[0]!.args.thread_ts ?? undefined).toBeUndefined();
    const teams = h.connector.activityCalls().slice(before.activities).filter((c) => c.conversationId === teamsConversation);
    expect(teams.length).toBeGreaterThanOrEqual(1);
    for (const a of teams) expect(a.activityId).toBe(digestId(`teams:${teamsConversation}`));
    // The alert's run records its own delivery (its message id is the reply's), and is done.
    const alert = await runDeliveries(store.db, [out.run.id]);
    expect(alert.map((d) => [d.channel, d.status])).toEqual([
      ['slack:CE2E1', 'sent'],
      ['slack:CSOLO', 'sent'],
      [`teams:${teamsConversation}`, 'sent'],
    ]);
    expect(alert.find((d) => d.channel === 'slack:CE2E1')!.messageId).toMatch(/^1700000000\.\d{6}$/);
    expect(alert.find((d) => d.channel === 'slack:CE2E1')!.messageId).not.toBe(digestId('slack:CE2E1'));

    // Nine days on, the last digest there is older than 7 days: the alert is a message of its own.
    await addCadence(store, { name: 'e2e-unatt-late', kind: 'unattributed-alert', cron: '0 7 * * *', timezone: 'UTC', channels: ['slack:CE2E1'], costCenters: [], ...who, now: new Date('2026-09-01T00:00:00Z') });
    const later = h.slack.callsOf('chat.postMessage').length;
    const late = await reviewRun('e2e-unatt-late', '--at', '2026-09-30T07:30:00Z', '--json');
    expect(late.code, late.stderr).toBe(0);
    const lonely = alertPosts(later, 'CE2E1');
    expect(lonely).toHaveLength(1);
    expect(lonely[0]!.args.thread_ts ?? undefined).toBeUndefined();
  });

  it('a retried delivery reuses its uploaded chart instead of uploading it again', async () => {
    const attachments = await digestChartAttachments(sample);
    const { id } = await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: 'retry-chart', target: 'CRETRY', payload: { ...chartReply(sample), attachments } as never });
    const uploads = h.slack.callsOf('upload').length;
    h.slack.failNextOf('chat.postMessage', 1, { status: 500 });
    const t0 = new Date(Date.now() + 1000);
    expect(await deliverPending(store, h.server.transports, t0)).toMatchObject({ retrying: 1 });
    expect(await deliverPending(store, h.server.transports, new Date(t0.getTime() + 3000))).toMatchObject({ delivered: 1 });
    expect(h.slack.callsOf('upload').length - uploads).toBe(1);
    const posts = h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CRETRY');
    expect(posts.map((c) => c.status)).toEqual([500, 200]);
    const fileIds = posts.map((c) => (c.args.blocks as { type: string; slack_file?: { id: string } }[]).find((b) => b.type === 'image')!.slack_file!.id);
    expect(fileIds[0]).toBe(fileIds[1]);
    const row = await outboxRow(store.db, id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect((row!.payload as { uploads: Record<string, string> }).uploads).toEqual({ 'digest-chart': fileIds[0] });
  });
  it('review run to a channel Slack refuses exits 3 and prints channel_not_found; history --json carries it; the joint channel gets one note in the digest\'s thread', async () => {
    h.slack.unreachableChannels.add('CGONE');
    await addCadence(store, { name: 'e2e-gone', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC', channels: ['slack:CJOINTOK', 'slack:CGONE'], costCenters: [], ...who, now: new Date('2026-09-01T00:00:00Z') });
    const r = await reviewRun('e2e-gone', '--at', '2026-09-14T10:00:00Z');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/slack:CGONE +failed +channel_not_found/);
    expect(r.stdout).toMatch(/slack:CJOINTOK +delivered +1700000000\.\d{6}/);
    expect(r.stderr).toContain('1 of 2 deliveries failed: slack:CGONE (channel_not_found)');

    const history = await cli(tdb, 'review', 'history', '--cadence', 'e2e-gone', '--json');
    expect(history.code).toBe(0);
    const [run] = (JSON.parse(history.stdout) as { runs: { status: string; deliveries: { channel: string; status: string; error: string | null; messageId: string | null }[] }[] }).runs;
    expect(run!.status).toBe('partial');
    expect(run!.deliveries).toEqual([
      expect.objectContaining({ channel: 'slack:CGONE', status: 'failed', error: 'channel_not_found', messageId: null }),
      expect.objectContaining({ channel: 'slack:CJOINTOK', status: 'sent', error: null }),
    ]);
    expect((await cli(tdb, 'review', 'history', '--cadence', 'e2e-gone')).stdout).toContain('slack:CGONE failed (channel_not_found)');

    // One note, in the thread of the digest the joint channel did get.
    const joint = run!.deliveries.find((d) => d.channel === 'slack:CJOINTOK')!;
    const notes = h.slack.callsOf('chat.postMessage').filter((c) => c.ok && c.args.channel === 'CJOINTOK' && String(c.args.text).includes('could not deliver'));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.args.thread_ts).toBe(joint.messageId);
    expect(String(notes[0]!.args.text)).toBe('costbridge could not deliver the e2e-gone review for 2026-09-14T09:00 to slack:CGONE: channel_not_found.');
    expect(await reportFailedReviewDeliveries(store, { now: new Date(), log: quiet })).toEqual({ noted: 0, logged: 0 });
  });

  it('a delivery failing in the joint channel itself is told to the log, once', async () => {
    await addCadence(store, { name: 'e2e-alone', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC', channels: ['slack:CGONE'], costCenters: [], ...who, now: new Date('2026-09-01T00:00:00Z') });
    const r = await runReview(store, { cadence: 'e2e-alone', at: new Date('2026-09-14T10:00:00Z'), now: new Date(), trigger: 'manual', ...who, runner: 't', settings });
    if (!r.ok) throw new Error(r.message);
    const delivered = await deliverReviewRuns(store, h.server.transports, [r.run!.id], { log: quiet });
    expect(delivered.deliveries.map((d) => [d.status, d.lastError])).toEqual([['failed', 'channel_not_found']]);
    const errors: { obj: object; msg: string }[] = [];
    const log: SchedulerLog = { ...quiet, error: (obj, msg) => void errors.push({ obj, msg }) };
    expect(await reportFailedReviewDeliveries(store, { now: new Date(), log })).toEqual({ noted: 0, logged: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toContain('review delivery of e2e-alone 2026-09-14T09:00 to slack:CGONE failed (channel_not_found), and that is the joint channel');
    expect(await reportFailedReviewDeliveries(store, { now: new Date(), log })).toEqual({ noted: 0, logged: 0 });
  });
});
