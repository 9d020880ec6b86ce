import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { blockActionsBody, postSlack, slashCommandBody, viewSubmissionBody } from '../support/signed-slack-request.js';
import { actionIds, formIds } from '../../src/messages/views/interaction-ids.js';
import { eventually, signingSecret, startChatHarness, type ChatHarness } from './chat-harness.js';
import { seedOrganisation } from './interactions-seed.js';

type Block = { type: string; block_id?: string; elements?: { action_id?: string; value?: string }[] };

/** The block id of the actions block holding `actionId` for `itemId`. */
function blockOf(blocks: readonly Block[], actionId: string, itemId: string): string {
  const block = blocks.find((b) => b.type === 'actions' && b.elements?.some((e) => e.action_id === actionId && e.value === JSON.stringify({ itemId })));
  if (!block?.block_id) throw new Error(`no actions block for ${actionId} ${itemId}: ${JSON.stringify(blocks).slice(0, 400)}`);
  return block.block_id;
}

describe.each(storeKinds)('Slack replies where the user is (response_url) on %s', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  let n = 0;
  const trigger = () => `${kind}-r-${++n}`;
  const settled = () => eventually(async () => Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM chat_outbox WHERE status IN ('pending', 'sending')`.execute(h.store.db)).rows[0]!.n) === 0);

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    await seedOrganisation(tdb, await tdb.shared());
    h = await startChatHarness(tdb);
  });
  afterAll(async () => {
    await h?.close();
    await tdb?.drop();
  });

  it('answers a slash command through its response_url, not chat.postEphemeral', async () => {
    const t = trigger();
    await postSlack(h.server.url, slashCommandBody({ text: 'whoami', userId: 'UANA', channelId: 'DPRIVATE', triggerId: t, responseUrl: h.slack.responseUrl(t) }), { secret: signingSecret });
    const [answer] = await h.slack.waitForResponses(t);
    expect(answer!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('You are ana') });
    await settled();
    expect(h.slack.callsOf('chat.postEphemeral')).toHaveLength(0);
    const row = await h.store.db.selectFrom('chat_outbox').selectAll().where('purpose', '=', `command-reply:${t}`).executeTakeFirstOrThrow();
    // Sent, and the capability URL is not kept once it has served.
    expect(row).toMatchObject({ status: 'sent', delivered_id: `response:${row.id}`, response_url: null });
  });

  it('falls back to chat.postEphemeral when the response_url is used up, or is not on Slack\'s domain', async () => {
    const url = `used-${kind}`;
    for (let i = 0; i < 6; i++) {
      await postSlack(h.server.url, slashCommandBody({ text: 'help', userId: 'UANA', channelId: 'CFINOPS', triggerId: trigger(), responseUrl: h.slack.responseUrl(url) }), { secret: signingSecret });
    }
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral' && c.ok));
    await settled();
    expect(h.slack.responsesTo(url).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 404]);
    expect(h.slack.callsOf('chat.postEphemeral').filter((c) => c.ok)).toHaveLength(1);

    const before = h.slack.callsOf('chat.postEphemeral').length;
    const t = trigger();
    await postSlack(h.server.url, slashCommandBody({ text: 'help', userId: 'UANA', channelId: 'CFINOPS', triggerId: t, responseUrl: 'https://attacker.example/hook' }), { secret: signingSecret });
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'chat.postEphemeral' && c.ok).length === before + 1);
  });

  it('in a private channel the bot is not in: the alert comes back through the command\'s response_url, and Claim on that ephemeral alert replaces it through the click\'s response_url', async () => {
    const channel = 'GPRIVATE';
    h.slack.unreachableChannels.add(channel);
    const command = trigger();
    await postSlack(h.server.url, slashCommandBody({ text: 'unattributed', userId: 'UFIN', channelId: channel, triggerId: command, responseUrl: h.slack.responseUrl(command) }), { secret: signingSecret });
    const [alert] = await h.slack.waitForResponses(command);
    const ids = Object.fromEntries(
      (await h.store.db.selectFrom('unattributed_item').select(['id', 'service_name', 'billing_account_id']).execute()).map((r) => [`${r.billing_account_id}/${r.service_name}`, String(r.id)]),
    );
    const db = ids['U-1/DB']!;
    const vm = ids['U-2/Virtual Machines']!;
    // Slack refused the channel for a post, so the alert came back to the one who asked.
    expect(h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === channel).map((c) => c.ok)).toEqual([false]);
    expect(alert!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const alertBlocks = alert!.body.blocks as Block[];
    expect(JSON.stringify(alertBlocks)).toContain(`"action_id":"${actionIds.claimItem}"`);

    // Claim on the ephemeral alert: Slack sends the container and the block id, no message, and a new response_url.
    const click = trigger();
    await postSlack(
      h.server.url,
      blockActionsBody({ actionId: actionIds.claimItem, value: JSON.stringify({ itemId: db }), userId: 'UFIN', channelId: channel, messageTs: '1700000999.000001', triggerId: click, ephemeral: true, blockId: blockOf(alertBlocks, actionIds.claimItem, db), responseUrl: h.slack.responseUrl(click) }),
      { secret: signingSecret },
    );
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'views.open' && c.ok));
    const view = h.slack.callsOf('views.open').at(-1)!.args.view as { private_metadata: string };
    // The modal carries only its form session's id; the session keeps the origin and the click's response_url.
    expect(view.private_metadata).toMatch(/^fs_/);
    const session = await h.store.db.selectFrom('chat_form_session').selectAll().where('id', '=', view.private_metadata).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ origin_target: channel, origin_message_id: expect.stringMatching(/^response:\d+$/), origin_response_url: h.slack.responseUrl(click) });
    await postSlack(h.server.url, viewSubmissionBody({ callbackId: formIds.claimItem, privateMetadata: view.private_metadata, userId: 'UFIN', triggerId: trigger(), values: { costCenter: 'CC-100', scope: 'item' } }), { secret: signingSecret });

    const [replaced, confirmation] = await h.slack.waitForResponses(click, 2);
    const byKind = [replaced!, confirmation!].sort((a) => (a.body.replace_original ? -1 : 1));
    expect(byKind[0]!.body).toMatchObject({ replace_original: true });
    expect(JSON.stringify(byKind[0]!.body.blocks)).toContain('Claimed by *@fin* for *CC-100*');
    expect(byKind[1]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('Claimed') });
    await settled();
    expect(h.slack.callsOf('chat.update')).toHaveLength(0);
    expect(h.slack.callsOf('chat.postEphemeral').filter((c) => c.args.channel === channel)).toHaveLength(0);
    expect((await h.store.db.selectFrom('unattributed_item').select(['status', 'claimed_by']).where('id', '=', Number(db)).executeTakeFirstOrThrow())).toEqual({ status: 'claimed', claimed_by: 'fin' });

    // The replaced message names itself with new block ids (a new revision of the same message): a
    // decision on it builds on the claim and replaces it again through that click's response_url.
    const revisedBlocks = byKind[0]!.body.blocks as Block[];
    const notMine = blockOf(revisedBlocks, actionIds.notMineItem, vm);
    expect(notMine).not.toBe(blockOf(alertBlocks, actionIds.notMineItem, vm));
    expect(notMine.split('.')[1]).toBe(blockOf(alertBlocks, actionIds.notMineItem, vm).split('.')[1]);
    const second = trigger();
    await postSlack(
      h.server.url,
      blockActionsBody({ actionId: actionIds.notMineItem, value: JSON.stringify({ itemId: vm }), userId: 'UFIN', channelId: channel, messageTs: '1700000999.000002', triggerId: second, ephemeral: true, blockId: notMine, responseUrl: h.slack.responseUrl(second) }),
      { secret: signingSecret },
    );
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'views.open' && c.ok).length === 2);
    const notMineView = h.slack.callsOf('views.open').at(-1)!.args.view as { private_metadata: string };
    await postSlack(h.server.url, viewSubmissionBody({ callbackId: formIds.notMineItem, privateMetadata: notMineView.private_metadata, userId: 'UFIN', triggerId: trigger(), values: { reason: 'a lab account of the data team' } }), { secret: signingSecret });
    const again = (await h.slack.waitForResponses(second, 2)).find((r) => r.body.replace_original === true)!;
    expect(JSON.stringify(again.body.blocks)).toContain('Claimed by *@fin* for *CC-100*');
    expect(JSON.stringify(again.body.blocks)).toContain('Sent back to FinOps by @fin');
  });

  it('does not let a click name someone else\'s ephemeral message by its block id', async () => {
    const channel = 'GPRIVATE';
    const command = trigger();
    await postSlack(h.server.url, slashCommandBody({ text: 'savings', userId: 'UANA', channelId: channel, triggerId: command, responseUrl: h.slack.responseUrl(command) }), { secret: signingSecret });
    await h.slack.waitForResponses(command);
    const stored = await h.store.db.selectFrom('chat_outbox').select(['id']).where('purpose', 'like', `command-%:${command}%`).orderBy('id').executeTakeFirstOrThrow();
    // Bo presents a block id of Ana's message: it is not taken as the message clicked.
    const click = trigger();
    await postSlack(
      h.server.url,
      blockActionsBody({ actionId: 'acknowledge', value: '{}', userId: 'UBO', channelId: channel, messageTs: '1700000999.000003', triggerId: click, ephemeral: true, blockId: `cb.m${stored.id}.r${stored.id}.0`, responseUrl: h.slack.responseUrl(click) }),
      { secret: signingSecret },
    );
    const [answer] = await h.slack.waitForResponses(click);
    expect(answer!.body).toMatchObject({ replace_original: false, text: expect.stringContaining('not on a message costbridge posted here') });
    expect(Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM chat_acknowledgement WHERE outbox_id = ${stored.id}`.execute(h.store.db)).rows[0]!.n)).toBe(0);
  });
});
