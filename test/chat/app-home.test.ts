import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { blockSuggestionBody, eventCallbackBody, homeBlockActionsBody, postSlack, slashCommandBody, blockActionsBody, viewSubmissionBody } from '../support/signed-slack-request.js';
import { actionIds, formIds } from '../../src/messages/views/interaction-ids.js';
import { eventually, signedTeams, signingSecret, startChatHarness, type ChatHarness } from './chat-harness.js';
import { postTeamsActivity } from './teams-activity.js';
import { proposeTestSaving, seedOrganisation } from './interactions-seed.js';
import { cli } from '../support/run-cli.js';

const channel = 'CFINOPS';
const personalChat = 'a:personal-chat-bo';

/** The button values (action id -> payloads) in Slack blocks. */
function slackButtons(blocks: unknown): { actionId: string; value: Record<string, string> }[] {
  const out: { actionId: string; value: Record<string, string> }[] = [];
  for (const b of (blocks ?? []) as { type: string; elements?: { type: string; action_id: string; value: string }[] }[]) {
    if (b.type !== 'actions') continue;
    for (const e of b.elements ?? []) if (e.type === 'button') out.push({ actionId: e.action_id, value: JSON.parse(e.value) as Record<string, string> });
  }
  return out;
}

/** The Action.Execute actions (verb, data) anywhere in an Adaptive Card. */
function cardActions(card: unknown): { verb: string; data: Record<string, string> }[] {
  const out: { verb: string; data: Record<string, string> }[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.type === 'Action.Execute') out.push({ verb: String(o.verb), data: o.data as Record<string, string> });
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

describe.each(storeKinds)('Your open decisions (App Home, Teams personal chat) on %s', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  let n = 0;
  const trigger = () => `${kind}-home-${++n}`;
  const count = async (table: string, where = sql`true`) =>
    Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)} WHERE ${where}`.execute(h.store.db)).rows[0]!.n);
  const itemIds = async () =>
    Object.fromEntries((await h.store.db.selectFrom('unattributed_item').select(['id', 'service_name', 'billing_account_id']).execute()).map((r) => [`${r.billing_account_id}/${r.service_name}`, String(r.id)]));
  const publishesTo = (user: string) => h.slack.callsOf('views.publish').filter((c) => c.ok && c.args.user_id === user);
  const openHome = async (user: string) => {
    const before = publishesTo(user).length;
    expect((await postSlack(h.server.url, eventCallbackBody(`Ev-${trigger()}`, { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' }), { secret: signingSecret, json: true })).status).toBe(200);
    await h.slack.waitFor(() => publishesTo(user).length > before);
    return publishesTo(user).at(-1)!;
  };
  const teamsActivity = (aad: string, fields: Record<string, unknown>) => ({
    channelId: 'msteams',
    serviceUrl: h.connector.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:${aad}`, name: aad, aadObjectId: aad },
    recipient: { id: '28:costbridge-bot', name: 'costbridge' },
    conversation: { id: personalChat, conversationType: 'personal', tenantId: 'tenant-1' },
    channelData: { tenant: { id: 'tenant-1' } },
    ...fields,
  });
  const teamsPost = (body: Record<string, unknown>) => postTeamsActivity(h, body);

  let savingId = '';
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    const store = await tdb.shared();
    await seedOrganisation(tdb, store);
    savingId = await proposeTestSaving(store, 'Rightsize the VM fleet');
    h = await startChatHarness(tdb, signedTeams());
  });
  afterAll(async () => {
    await h?.close();
    await tdb?.drop();
  });

  it('publishes each person the decisions the policy lets them take, with the same buttons as the alerts', async () => {
    const bo = await openHome('UBO');
    // Items are numbered when first listed (by the home itself here).
    const ids = await itemIds();
    expect(bo.args.view).toMatchObject({ type: 'home' });
    const boView = JSON.stringify(bo.args.view);
    expect(boView).toContain('Your open decisions');
    const boButtons = slackButtons((bo.args.view as { blocks: unknown }).blocks);
    // Bo owns CC-100: he may claim every open item, and explain CC-100's variance, not CC-200's; no sign-off.
    expect(boButtons.filter((b) => b.actionId === actionIds.claimItem).map((b) => b.value.itemId).sort()).toEqual([ids['U-1/DB'], ids['U-2/Virtual Machines'], ids['U-3/Cache']].sort());
    expect(boButtons.filter((b) => b.actionId === actionIds.explainVariance).map((b) => b.value)).toEqual([{ period: '2024-10', scope: 'CC-100' }]);
    expect(boButtons.some((b) => b.actionId === actionIds.approveSaving)).toBe(false);
    expect(boView).toContain('Your cost centers');

    // Ana is itfm: the sign-off waits for her, and she may not claim.
    const ana = await openHome('UANA');
    const anaButtons = slackButtons((ana.args.view as { blocks: unknown }).blocks);
    expect(anaButtons.filter((b) => b.actionId === actionIds.approveSaving).map((b) => b.value)).toEqual([{ savingId }]);
    expect(anaButtons.some((b) => b.actionId === actionIds.claimItem)).toBe(false);
    // Fin proposed the saving: nobody signs off their own proposal, so it is not on his home.
    const fin = await openHome('UFIN');
    expect(slackButtons((fin.args.view as { blocks: unknown }).blocks).some((b) => b.actionId === actionIds.approveSaving)).toBe(false);
    // Opening the home again re-publishes the same home (an update of it in the outbox), not a second one.
    await openHome('UBO');
    expect(await count('chat_outbox', sql`operation = 'home' AND target = 'UBO'`)).toBe(1);
  });

  it('a claim from the App Home opens the form, is recorded, and the home is published again without the item', async () => {
    const ids = await itemIds();
    const cache = ids['U-3/Cache']!;
    await openHome('UBO');
    // The view id views.publish answered (the fake's, stable per user as Slack's is): what a click on the home carries.
    const published = 'VHOMEUBO';
    expect(await count('chat_outbox', sql`operation = 'home' AND target = 'UBO' AND delivered_id = ${`home:${published}`}`)).toBe(1);
    const before = h.slack.callsOf('views.open').length;
    const t = trigger();
    const r = await postSlack(h.server.url, homeBlockActionsBody({ actionId: actionIds.claimItem, value: JSON.stringify({ itemId: cache }), userId: 'UBO', viewId: published, triggerId: t }), { secret: signingSecret });
    expect(r.status).toBe(200);
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'views.open' && c.ok).length > before);
    const form = h.slack.callsOf('views.open')[before]!.args.view as { private_metadata: string };
    const session = await h.store.db.selectFrom('chat_form_session').selectAll().where('id', '=', form.private_metadata).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ origin_target: 'UBO', origin_message_id: `home:${published}`, person_id: 'bo' });

    const publishes = publishesTo('UBO').length;
    const dms = h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'UBO').length;
    await postSlack(h.server.url, viewSubmissionBody({ callbackId: formIds.claimItem, privateMetadata: form.private_metadata, userId: 'UBO', triggerId: trigger(), values: { costCenter: 'CC-100', scope: 'item' } }), { secret: signingSecret });
    await eventually(async () => (await count('unattributed_item', sql`id = ${Number(cache)} AND status = 'claimed' AND claimed_by = 'bo'`)) === 1);
    await h.slack.waitFor(() => !slackButtons((publishesTo('UBO').at(-1)!.args.view as { blocks: unknown }).blocks).some((b) => b.value.itemId === cache) && publishesTo('UBO').length > publishes);
    const latest = slackButtons((publishesTo('UBO').at(-1)!.args.view as { blocks: unknown }).blocks);
    expect(latest.filter((b) => b.actionId === actionIds.claimItem).map((b) => b.value.itemId)).not.toContain(cache);
    expect(latest.filter((b) => b.actionId === actionIds.claimItem)).toHaveLength(2);
    // The confirmation goes to the app's DM (a home has no channel to answer in privately).
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === 'UBO').length > dms);
    expect(await count('audit_log', sql`action = 'unattributed.claim' AND subject_id = ${cache} AND actor = 'bo' AND surface = 'slack' AND outcome = 'recorded'`)).toBe(1);
  });

  it('a button that is not on the published home is refused and audited; no form opens', async () => {
    await openHome('UCY');
    const before = h.slack.callsOf('views.open').length;
    // Cy's home offers no sign-off; a crafted Approve click on it names a saving anyway.
    await postSlack(h.server.url, homeBlockActionsBody({ actionId: actionIds.approveSaving, value: JSON.stringify({ savingId }), userId: 'UCY', viewId: 'VHOMEUCY', triggerId: trigger() }), { secret: signingSecret });
    await eventually(async () => (await count('audit_log', sql`action = 'chat.button' AND outcome = 'refused' AND subject_id = 'UCY:home:VHOMEUCY'`)) === 1);
    // Someone else's home is not Cy's either.
    await postSlack(h.server.url, homeBlockActionsBody({ actionId: actionIds.claimItem, value: JSON.stringify({ itemId: (await itemIds())['U-1/DB']! }), userId: 'UCY', viewId: 'VHOMEUBO', triggerId: trigger() }), { secret: signingSecret });
    await eventually(async () => (await count('audit_log', sql`action = 'chat.button' AND outcome = 'refused' AND subject_id = 'UCY:home:VHOMEUBO'`)) === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.slack.callsOf('views.open')).toHaveLength(before);
  });

  it('a claim taken on a channel alert re-publishes the claimer\'s home too', async () => {
    const t = trigger();
    await postSlack(h.server.url, slashCommandBody({ text: 'unattributed', userId: 'UANA', channelId: channel, triggerId: t }), { secret: signingSecret });
    await eventually(async () => (await count('chat_outbox', sql`purpose = ${`command-post:${t}:0`} AND status = 'sent'`)) === 1);
    const ts = (await h.store.db.selectFrom('chat_outbox').select('delivered_id').where('purpose', '=', `command-post:${t}:0`).executeTakeFirstOrThrow()).delivered_id!;
    const db = (await itemIds())['U-1/DB']!;
    const before = h.slack.callsOf('views.open').length;
    await postSlack(h.server.url, blockActionsBody({ actionId: actionIds.claimItem, value: JSON.stringify({ itemId: db }), userId: 'UBO', channelId: channel, messageTs: ts, triggerId: trigger() }), { secret: signingSecret });
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'views.open' && c.ok).length > before);
    const form = h.slack.callsOf('views.open')[before]!.args.view as { private_metadata: string };
    const publishes = publishesTo('UBO').length;
    await postSlack(h.server.url, viewSubmissionBody({ callbackId: formIds.claimItem, privateMetadata: form.private_metadata, userId: 'UBO', triggerId: trigger(), values: { costCenter: 'CC-100', scope: 'item' } }), { secret: signingSecret });
    await h.slack.waitFor(() => publishesTo('UBO').length > publishes);
    expect(slackButtons((publishesTo('UBO').at(-1)!.args.view as { blocks: unknown }).blocks).map((b) => b.value.itemId)).not.toContain(db);
  });

  it('a claim from the terminal re-publishes the claimer\'s home as well', async () => {
    await openHome('UBO');
    const vm = (await itemIds())['U-2/Virtual Machines']!;
    const publishes = publishesTo('UBO').length;
    const r = await cli(tdb, 'claim', vm, '--cost-center', 'CC-100', '--as', 'bo');
    expect(r.code, r.stderr).toBe(0);
    await h.slack.waitFor(() => publishesTo('UBO').length > publishes);
    expect(slackButtons((publishesTo('UBO').at(-1)!.args.view as { blocks: unknown }).blocks).map((b) => b.value.itemId)).not.toContain(vm);
  });

  it('Teams: installing in the personal scope posts the home card; `home` posts the same card; a decision there updates it', async () => {
    const installed = await teamsPost(teamsActivity('aad-ana', { type: 'conversationUpdate', id: `${kind}-install`, membersAdded: [{ id: '28:costbridge-bot' }] }));
    expect(installed.status).toBe(200);
    await h.connector.waitFor((calls) => calls.some((c) => c.method === 'POST' && c.conversationId === personalChat && c.status === 200));
    const first = h.connector.calls.find((c) => c.method === 'POST' && c.conversationId === personalChat)!;
    const card = (first.body.attachments as { content: unknown }[])[0]!.content;
    expect(JSON.stringify(card)).toContain('Your open decisions');
    expect(cardActions(card).filter((a) => a.verb === actionIds.approveSaving).map((a) => a.data)).toEqual([{ savingId }]);

    // Ana's Slack home shows the same decisions, with the same buttons.
    const slackHome = slackButtons(((await openHome('UANA')).args.view as { blocks: unknown }).blocks).map((b) => ({ verb: b.actionId, data: b.value }));
    expect(cardActions(card).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(slackHome.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));

    const posts = () => h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === personalChat && c.status === 200);
    const before = posts().length;
    expect((await teamsPost(teamsActivity('aad-ana', { type: 'message', id: `${kind}-home-msg`, text: 'home' }))).status).toBe(200);
    await h.connector.waitFor(() => posts().length > before);
    const again = posts().at(-1)!;
    const homeCard = (again.body.attachments as { content: unknown }[])[0]!.content;
    expect(cardActions(homeCard)).toEqual(cardActions(card));
    const homeId = (await h.store.db.selectFrom('chat_outbox').select('delivered_id').where('purpose', '=', `home:aad-ana:${kind}-home-msg`).executeTakeFirstOrThrow()).delivered_id!;

    // Approve from the home card: the form, then the decision; the home card is updated in place.
    const invoke = (id: string, verb: string, data: Record<string, unknown>) =>
      teamsPost(teamsActivity('aad-ana', { type: 'invoke', name: 'adaptiveCard/action', id, replyToId: homeId, value: { action: { type: 'Action.Execute', verb, data } } }));
    const opened = await invoke(`${kind}-approve-open`, actionIds.approveSaving, { savingId });
    expect(opened.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const metadata = JSON.stringify(opened.body!.value).match(/"metadata":"(fs_[A-Za-z0-9_-]+)"/)![1]!;
    const submitted = await invoke(`${kind}-approve-submit`, formIds.approveSaving, { metadata, amount: '400', fromPeriod: '2024-10' });
    expect(submitted.body).toMatchObject({ statusCode: 200 });
    await h.connector.waitFor((calls) =>
      calls.some((c) => c.method === 'PUT' && c.activityId === homeId && c.status === 200 && !cardActions(c.body.attachments).some((a) => a.verb === actionIds.approveSaving)),
    );
  });

  it('Teams: `home` in a channel does not show a person\'s decisions there', async () => {
    const r = await teamsPost({ ...teamsActivity('aad-bo', { type: 'message', id: `${kind}-home-channel`, text: 'home' }), conversation: { id: '19:finops@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1' } });
    expect(r.status).toBe(200);
    await eventually(async () => (await count('chat_outbox', sql`purpose = ${`command-reply:${kind}-home-channel`} AND status = 'sent'`)) === 1);
    const row = await h.store.db.selectFrom('chat_outbox').select('payload').where('purpose', '=', `command-reply:${kind}-home-channel`).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.payload)).toContain('personal chat');
    expect(JSON.stringify(row.payload)).not.toContain(actionIds.claimItem);
  });

  it('the claim form offers only the cost centers the person may claim for, on Slack and in the Teams typeahead (application/search)', async () => {
    const slackAsk = async (user: string) =>
      (JSON.parse((await postSlack(h.server.url, blockSuggestionBody({ userId: user, value: 'CC', callbackId: formIds.claimItem, actionId: 'costCenter' }), { secret: signingSecret })).text) as { options: { value: string }[] }).options.map((o) => o.value);
    // Bo owns CC-100 only; fin (finops) may claim for every cost center; nobody unknown gets anything.
    expect(await slackAsk('UBO')).toEqual(['CC-100']);
    expect(await slackAsk('UFIN')).toEqual(['CC-100', 'CC-200']);
    expect(await slackAsk('UNOBODY')).toEqual([]);

    const teamsAsk = async (aad: string, dataset = 'claimable-cost-centers', queryText = 'cc', queryOptions = { skip: 0, top: 15 }) => {
      const r = await teamsPost(teamsActivity(aad, { type: 'invoke', name: 'application/search', id: `${kind}-search-${aad}-${trigger()}`, value: { queryText, queryOptions, dataset } }));
      expect(r.status).toBe(200);
      return r.body as unknown as { type: string; value: { results: { title: string; value: string }[] } };
    };
    const bo = await teamsAsk('aad-bo');
    expect(bo.type).toBe('application/vnd.microsoft.search.searchResponse');
    expect(bo.value.results).toEqual([{ title: 'CC-100 Platform', value: 'CC-100' }]);
    expect((await teamsAsk('aad-cy')).value.results.map((r) => r.value)).toEqual(['CC-200']);
    expect((await teamsAsk('aad-stranger')).value.results).toEqual([]);
    // Ana is itfm, who may not claim: no cost center to offer; the plain master-data search still answers her.
    expect((await teamsAsk('aad-ana')).value.results).toEqual([]);
    expect((await teamsAsk('aad-ana', 'cost-centers')).value.results.map((r) => r.value)).toEqual(['CC-100', 'CC-200']);
    // Paging: skip / top.
    expect((await teamsAsk('aad-ana', 'cost-centers', 'cc', { skip: 1, top: 15 })).value.results.map((r) => r.value)).toEqual(['CC-200']);
    const unknown = await teamsPost(teamsActivity('aad-bo', { type: 'invoke', name: 'application/search', id: `${kind}-search-x`, value: { queryText: 'cc', dataset: 'people' } }));
    expect(unknown.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
  });
});
