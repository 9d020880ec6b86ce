import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCadence } from '../../src/app/cadence-add.js';
import { listUnattributedSpend } from '../../src/app/list-unattributed-spend.js';
import { loadDemoData } from '../../src/app/load-demo-data.js';
import { deliverReviewRuns } from '../../src/app/review-deliver.js';
import { runReview } from '../../src/app/review-run.js';
import { reviewSettings } from '../../src/app/review-settings.js';
import { parseBillingMonth } from '../../src/domain/billing-month.js';
import { Money } from '../../src/domain/money.js';
import { grantRole } from '../../src/store/people.js';
import { runDeliveries } from '../../src/store/review-runs.js';
import { saveTeamsConversation } from '../../src/store/teams-conversations.js';
import type { SchedulerLog } from '../../src/scheduler/review-scheduler.js';
import { blockActionsBody, postSlack, viewSubmissionBody } from '../support/signed-slack-request.js';
import { deliverPending } from '../../src/app/deliver-pending.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/test-stores.js';
import { eventually, signedTeams, signingSecret, startChatHarness, type ChatHarness } from './chat-harness.js';
import { postTeamsActivity, teamsChannelActivity, teamsUser } from './teams-activity.js';

const quiet: SchedulerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const channel = 'CVIEWALL';
const teamsConversation = '19:viewall@thread.tacv2';

/** A Bot Framework activity from a Teams user in the digest's conversation. */
const teamsActivity = (serviceUrl: string, aad: string, fields: Record<string, unknown>) => teamsChannelActivity(serviceUrl, teamsConversation, teamsUser(aad), fields);


type CardAction = { type: string; verb?: string; title?: string; data?: Record<string, string> };
type SubmitAction = { type: 'Action.Submit'; title: string; data: { verb: string; payload?: Record<string, string>; msteams?: { type: string } } };
/** Every object of `card`, at any depth, whose `type` is `type`. */
function actionsOfType<A>(card: unknown, type: string): A[] {
  const out: A[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o.type === type) out.push(o as A);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}
/** The Action.Submit buttons of a card (a dialog's buttons, or one that opens a dialog). */
const submitActions = (card: unknown) => actionsOfType<SubmitAction>(card, 'Action.Submit');
type TaskResponse = { task: { type: 'continue' | 'message'; value: { title: string; width: string; height: string; card: { contentType: string; content: unknown } } | string } };
const cardActions = (card: unknown) => actionsOfType<CardAction>(card, 'Action.Execute');

type SlackBlock = { type: string; elements?: { type: string; action_id?: string; value?: string; text?: { text: string } }[] };
const buttonsOf = (blocks: readonly SlackBlock[]) => blocks.flatMap((b) => (b.type === 'actions' ? b.elements ?? [] : []));

/** A block_actions payload for a button inside a modal (container type view), as Slack sends it. */
function viewActionsBody(f: { actionId: string; value: string; userId: string; viewId: string; privateMetadata: string; triggerId: string }): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: f.userId, username: 'someone', name: 'someone', team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: f.viewId },
    trigger_id: f.triggerId,
    view: { id: f.viewId, type: 'modal', callback_id: 'digest.view-all', private_metadata: f.privateMetadata, hash: '1700000000.abc', blocks: [] },
    actions: [{ type: 'button', action_id: f.actionId, block_id: 'b1', value: f.value, text: { type: 'plain_text', text: 'x' }, action_ts: '1700000000.1' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

describe.each(storeKinds)('View all on a digest, Slack and Teams (%s)', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  let demoDir: string;
  let parentTs: string;
  let teamsParent: string;
  let viewAll: { action_id: string; value: string };
  let n = 0;
  const trigger = () => `${kind}-va-${++n}`;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    const store = await tdb.shared();
    demoDir = await mkdtemp(join(tmpdir(), 'costbridge-view-all-'));
    await loadDemoData(store, { dir: demoDir, asOf: '2026-12-03', actor: 'demo', surface: 'cli' });
    await store.db.updateTable('cost_center').set({ chat_channel: null }).execute();
    const by = { actor: 'test', surface: 'cli' as const };
    await grantRole(store.db, { id: 'ana', details: { name: 'Ana Ito', slackUserId: 'UANA' }, role: 'finops', costCenter: null }, by);
    await grantRole(store.db, { id: 'bo', details: { name: 'Bo Chen', slackUserId: 'UBO' }, role: 'finops', costCenter: null }, by);
    h = await startChatHarness(tdb, signedTeams(), { outbox: false });
    await saveTeamsConversation(store.db, {
      conversationId: teamsConversation,
      conversationType: 'channel',
      tenantId: 'tenant-1',
      teamId: '19:team@thread.tacv2',
      serviceUrl: h.connector.serviceUrl,
      reference: { channelId: 'msteams', serviceUrl: h.connector.serviceUrl, conversation: { id: teamsConversation, conversationType: 'channel' }, bot: { id: '28:bot' } },
      installed: true,
    });
    await grantRole(store.db, { id: 'ana', details: { teamsAadId: 'aad-ana' }, role: 'finops', costCenter: null }, by);
    await grantRole(store.db, { id: 'bo', details: { teamsAadId: 'aad-bo' }, role: 'finops', costCenter: null }, by);
    await addCadence(store, { name: 'va', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC', channels: [`slack:${channel}`, `teams:${teamsConversation}`], costCenters: [], actor: 'ana', surface: 'cli', now: new Date('2026-11-01T00:00:00Z') });
    const r = await runReview(store, { cadence: 'va', at: new Date('2026-11-30T09:00:00Z'), now: new Date(), trigger: 'manual', actor: 'ana', surface: 'cli', runner: 't', settings: reviewSettings(h.config) });
    if (!r.ok) throw new Error(r.message);
    await deliverReviewRuns(store, h.server.transports, [r.run!.id], { log: quiet });
    const deliveries = await runDeliveries(store.db, [r.run!.id]);
    parentTs = deliveries.find((d) => d.channel === `slack:${channel}`)!.messageId!;
    teamsParent = deliveries.find((d) => d.channel.startsWith('teams:'))!.messageId!;
    const parent = h.slack.callsOf('chat.postMessage').find((c) => c.ok && c.args.channel === channel && c.args.thread_ts === undefined)!;
    viewAll = buttonsOf(parent.args.blocks as SlackBlock[]).find((b) => b.action_id === 'digest.view-all.unattributed') as { action_id: string; value: string };
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    await tdb.drop();
    await rm(demoDir, { recursive: true, force: true });
  });

  async function openList(user: string) {
    const before = h.slack.callsOf('views.open').length;
    const t = trigger();
    const r = await postSlack(h.server.url, blockActionsBody({ actionId: viewAll.action_id, value: viewAll.value, userId: user, channelId: channel, messageTs: parentTs, triggerId: t }), { secret: signingSecret });
    expect(r.status).toBe(200);
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'views.open' && c.ok).length > before);
    const call = h.slack.callsOf('views.open')[before]!;
    expect(call.args.trigger_id).toBe(t);
    return call.args.view as { callback_id: string; private_metadata: string; title: { text: string }; blocks: SlackBlock[] };
  }
  async function clickInList(user: string, viewId: string, session: string, actionId: string, value: Record<string, string>) {
    const r = await postSlack(h.server.url, viewActionsBody({ actionId, value: JSON.stringify(value), userId: user, viewId, privateMetadata: session, triggerId: trigger() }), { secret: signingSecret });
    expect(r.status).toBe(200);
  }

  it('View all opens the full list, paged, each item with its buttons; Next turns the page with views.update', async () => {
    expect(viewAll).toBeDefined();
    const view = await openList('UANA');
    expect(view.callback_id).toBe('digest.view-all');
    expect(view.private_metadata).toMatch(/^vl_/);
    expect(view.title.text).toBe('Unattributed spend');
    const claims = (blocks: readonly SlackBlock[]) => buttonsOf(blocks).filter((b) => b.action_id === 'unattributed.claim').map((b) => (JSON.parse(b.value!) as { itemId: string }).itemId);
    const first = claims(view.blocks);
    expect(first).toHaveLength(10);
    expect(buttonsOf(view.blocks).filter((b) => b.action_id === 'unattributed.not-mine')).toHaveLength(10);
    const next = buttonsOf(view.blocks).find((b) => b.action_id === 'digest.view-all.page')!;
    expect(next.text!.text).toBe('Next');

    const updates = h.slack.callsOf('views.update').length;
    await clickInList('UANA', 'VLIST1', view.private_metadata, 'digest.view-all.page', JSON.parse(next.value!) as Record<string, string>);
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'views.update' && c.ok).length > updates);
    const update = h.slack.callsOf('views.update')[updates]!;
    expect(update.args.view_id).toBe('VLIST1');
    const page2 = (update.args.view as { blocks: SlackBlock[]; private_metadata: string });
    expect(page2.private_metadata).toBe(view.private_metadata);
    const second = claims(page2.blocks);
    // Both pages together are every open item above the threshold for the digest's cut (through 2026-11-29), none twice.
    const all = [...first, ...second];
    expect(new Set(all).size).toBe(all.length);
    const { items } = await listUnattributedSpend(h.store, { period: parseBillingMonth('2026-11'), basis: 'effective', requiredFields: h.config.attribution.requiredFields, thresholds: { minAmount: h.config.attribution.minAmount, minShare: h.config.attribution.minShare } });
    const open = items.filter((i) => i.status === 'open' && i.alert && new Money(i.effectiveCost).isPos()).map((i) => String(i.id));
    expect(all.length).toBe(open.length);
    expect(all.every((id) => open.includes(id))).toBe(true);
  });

  it('an item\'s button in the list opens its form over the list; a forged button or another person\'s list does nothing and is audited', async () => {
    const view = await openList('UANA');
    const item = buttonsOf(view.blocks).find((b) => b.action_id === 'unattributed.claim')!;
    const pushes = h.slack.callsOf('views.push').length;
    await clickInList('UANA', 'VLIST2', view.private_metadata, 'unattributed.claim', JSON.parse(item.value!) as Record<string, string>);
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'views.push' && c.ok).length > pushes);
    const form = h.slack.callsOf('views.push')[pushes]!.args.view as { callback_id: string; private_metadata: string };
    expect(form.callback_id).toBe('unattributed.claim.submit');
    // Submitting it decides on the item, and the confirmation goes into the digest's thread.
    const ephemerals = h.slack.callsOf('chat.postEphemeral').length;
    const submitted = await postSlack(h.server.url, viewSubmissionBody({ callbackId: form.callback_id, privateMetadata: form.private_metadata, userId: 'UANA', triggerId: trigger(), values: { costCenter: 'CC-1100', scope: 'item' } }), { secret: signingSecret });
    expect(submitted.status).toBe(200);
    await eventually(async () => {
      await deliverPending(h.store, h.server.transports, new Date());
      return h.slack.callsOf('chat.postEphemeral').length > ephemerals;
    });
    const confirmation = h.slack.callsOf('chat.postEphemeral')[ephemerals]!;
    expect(confirmation.args).toMatchObject({ channel, user: 'UANA', thread_ts: parentTs });
    expect(String(confirmation.args.text)).toContain('Claimed');

    const refusals = async () => Number((await h.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'chat.list-click').where('outcome', '=', 'refused').executeTakeFirstOrThrow()).n);
    const before = await refusals();
    const updates = h.slack.callsOf('views.update').length;
    await clickInList('UANA', 'VLIST2', view.private_metadata, 'unattributed.claim', { itemId: '999999' });
    await clickInList('UBO', 'VLIST2', view.private_metadata, 'digest.view-all.page', { page: '2' });
    await clickInList('UANA', 'VLIST2', 'vl_not-a-session-of-ours', 'digest.view-all.page', { page: '2' });
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'views.update' && c.ok).length >= updates + 3);
    for (const u of h.slack.callsOf('views.update').slice(updates)) expect((u.args.view as { title: { text: string } }).title.text).toBe('Not done');
    expect(await refusals()).toBe(before + 3);
    expect(h.slack.callsOf('views.push')).toHaveLength(pushes + 1);
  });

  it('on Teams, View all opens a dialog (task/fetch) with the first page; Next (task/submit) turns the page; an item opens its form in the dialog', async () => {
    const post = h.connector.activityCalls().find((c) => c.conversationId === teamsConversation && c.activityId === undefined)!;
    expect(cardActions(post.body).find((a) => a.verb === 'digest.view-all.unattributed')).toBeUndefined();
    const button = submitActions(post.body).find((a) => a.data.verb === 'digest.view-all.unattributed')!;
    expect(button.data.msteams).toEqual({ type: 'task/fetch' });
    expect(button.data.payload).toMatchObject({ period: '2026-11', asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const invoke = async (name: 'task/fetch' | 'task/submit', id: string, aad: string, data: Record<string, unknown>) => {
      const r = await postTeamsActivity(h, teamsActivity(h.connector.serviceUrl, aad, { type: 'invoke', name, id, replyToId: teamsParent, value: { data, context: { theme: 'default' } } }));
      expect(r.status).toBe(200);
      return (r.body as unknown as TaskResponse).task;
    };
    const dialog = (t: TaskResponse['task']) => {
      expect(t.type).toBe('continue');
      const v = t.value as Exclude<TaskResponse['task']['value'], string>;
      expect(v.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
      return v;
    };

    const opened = dialog(await invoke('task/fetch', `${kind}-td-1`, 'aad-ana', button.data));
    expect(opened).toMatchObject({ title: 'Unattributed spend', width: 'large', height: 'large' });
    // Universal Actions do not run in a dialog: every button in it is an Action.Submit.
    expect(cardActions(opened.card.content)).toHaveLength(0);
    const buttons = submitActions(opened.card.content);
    const claims = buttons.filter((a) => a.data.verb === 'unattributed.claim');
    expect(claims).toHaveLength(10);
    const session = claims[0]!.data.payload!.listSession!;
    expect(session).toMatch(/^vl_/);
    expect(buttons.every((a) => a.data.payload?.listSession === session)).toBe(true);
    expect(JSON.stringify(opened.card.content)).toContain('Page 1 of 2');

    const next = buttons.find((a) => a.data.verb === 'digest.view-all.page')!;
    expect(next.title).toBe('Next');
    const page2 = dialog(await invoke('task/submit', `${kind}-td-2`, 'aad-ana', next.data));
    expect(JSON.stringify(page2.card.content)).toContain('Page 2 of 2');
    const ids = (card: unknown) => submitActions(card).filter((a) => a.data.verb === 'unattributed.claim').map((a) => a.data.payload!.itemId);
    const second = ids(page2.card.content);
    expect(second.length).toBeGreaterThan(0);
    expect(second.some((id) => ids(opened.card.content).includes(id))).toBe(false);

    // An item's button opens its form in the dialog; submitting it claims the item and closes the dialog.
    const item = claims[5]!;
    const form = dialog(await invoke('task/submit', `${kind}-td-3`, 'aad-ana', item.data));
    const submit = submitActions(form.card.content).find((a) => a.data.verb === 'unattributed.claim.submit')!;
    expect(submit).toBeDefined();
    const done = await invoke('task/submit', `${kind}-td-4`, 'aad-ana', { ...submit.data, costCenter: 'CC-1100', scope: 'item' });
    expect(done.type).toBe('message');
    expect(String(done.value)).toContain('Claimed');
    // The claimed item is gone from the list as the server builds it now.
    const again = dialog(await invoke('task/submit', `${kind}-td-5`, 'aad-ana', { verb: 'digest.view-all.page', payload: { page: '1', listSession: session } }));
    expect(ids(again.card.content)).not.toContain(item.data.payload!.itemId);
  });

  it('on Teams, a forged button, a forged list id or another person\'s list is refused in the dialog and audited', async () => {
    const post = h.connector.activityCalls().find((c) => c.conversationId === teamsConversation && c.activityId === undefined)!;
    const button = submitActions(post.body).find((a) => a.data.verb === 'digest.view-all.unattributed')!;
    const invoke = async (name: 'task/fetch' | 'task/submit', id: string, aad: string, data: Record<string, unknown>) => {
      const r = await postTeamsActivity(h, teamsActivity(h.connector.serviceUrl, aad, { type: 'invoke', name, id, replyToId: teamsParent, value: { data, context: { theme: 'default' } } }));
      expect(r.status).toBe(200);
      return (r.body as unknown as TaskResponse).task;
    };
    const opened = await invoke('task/fetch', `${kind}-tr-1`, 'aad-ana', button.data);
    const session = submitActions((opened.value as { card: { content: unknown } }).card.content)[0]!.data.payload!.listSession!;
    const refusals = async () => Number((await h.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'chat.list-click').where('outcome', '=', 'refused').executeTakeFirstOrThrow()).n);
    const before = await refusals();
    const refused = [
      await invoke('task/submit', `${kind}-tr-2`, 'aad-ana', { verb: 'unattributed.claim', payload: { itemId: '999999', listSession: session } }),
      await invoke('task/submit', `${kind}-tr-3`, 'aad-bo', { verb: 'digest.view-all.page', payload: { page: '2', listSession: session } }),
      await invoke('task/submit', `${kind}-tr-4`, 'aad-ana', { verb: 'digest.view-all.page', payload: { page: '2', listSession: 'vl_not-a-session-of-ours' } }),
    ];
    for (const t of refused) {
      expect(t.type).toBe('continue');
      expect((t.value as { title: string }).title).toBe('Not done');
      expect(submitActions((t.value as { card: { content: unknown } }).card.content)).toHaveLength(0);
    }
    expect(JSON.stringify(refused[1])).toContain('opened for someone else');
    expect(await refusals()).toBe(before + 3);
    // A View all button that is not on the digest message is refused before any list opens.
    const forgedFetch = await invoke('task/fetch', `${kind}-tr-5`, 'aad-ana', { ...button.data, payload: { ...button.data.payload, scope: 'CC-9999' } });
    expect(forgedFetch.type).toBe('message');
    expect(String(forgedFetch.value)).toContain('not on a message costbridge posted');
  });

  it('on Teams, a View all Action.Execute of a card posted before the dialog existed still answers with the list card in place', async () => {
    const post = h.connector.activityCalls().find((c) => c.conversationId === teamsConversation && c.activityId === undefined)!;
    const button = submitActions(post.body).find((a) => a.data.verb === 'digest.view-all.unattributed')!;
    const invoke = (id: string, verb: string, data: Record<string, string>) =>
      postTeamsActivity(h, teamsActivity(h.connector.serviceUrl, 'aad-ana', { type: 'invoke', name: 'adaptiveCard/action', id, replyToId: teamsParent, value: { action: { type: 'Action.Execute', verb, data } } }));
    const opened = await invoke(`${kind}-va-t1`, button.data.verb, button.data.payload!);
    expect(opened.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const actions = cardActions(opened.body!.value);
    const session = actions.find((a) => a.verb === 'unattributed.claim')!.data!.listSession!;
    expect(actions.every((a) => a.data?.listSession === session)).toBe(true);
    const forged = await invoke(`${kind}-va-t4`, 'unattributed.claim', { itemId: '999999', listSession: session });
    expect(forged.body).toMatchObject({ statusCode: 403 });
  });
});
