import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { grantRole } from '../../src/store/people.js';
import { queueChatMessage } from '../../src/app/queue-chat-message.js';
import { acknowledgeButton } from '../../src/server/actions/acknowledge-action.js';
import { signedChartUrl } from '../../src/server/chart-url.js';
import { actions, header, image, message } from '../../src/messages/message-blocks.js';
import { unattributedSpendAlert } from '../../src/messages/views/unattributed-spend-alert.js';
import { actionIds } from '../../src/messages/views/interaction-ids.js';
import { eventually, signedTeams, startChatHarness, type ChatHarness } from './chat-harness.js';
import { postTeamsActivity, teamsChannelActivity } from './teams-activity.js';
import { openItem } from './render/render-samples.js';

const conversationId = '19:finops-cards@thread.tacv2';
// A 1x1 transparent PNG.
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const publicUrl = 'https://costbridge.example.test';

const ana = { id: '29:teams-user-ana', name: 'Ana Ito', aadObjectId: 'aad-ana' };
const activity = (serviceUrl: string, fields: Record<string, unknown>) => teamsChannelActivity(serviceUrl, conversationId, ana, fields);


/** Every Action.Execute (verb, data) in a value. */
function executes(x: unknown, out: { verb: string; data: Record<string, string> }[] = []): { verb: string; data: Record<string, string> }[] {
  if (Array.isArray(x)) x.forEach((y) => executes(y, out));
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (o.type === 'Action.Execute') out.push({ verb: String(o.verb), data: o.data as Record<string, string> });
    Object.values(o).forEach((y) => executes(y, out));
  }
  return out;
}

describe.each(storeKinds)('Teams parity on %s: long messages as several cards, charts from signed URLs', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  const posts = () => h.connector.calls.filter((c) => c.method === 'POST' && c.status === 200 && c.conversationId === conversationId);

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    const store = await tdb.shared();
    await grantRole(store.db, { id: 'ana', details: { name: 'Ana Ito', teamsAadId: 'aad-ana' }, role: 'finops', costCenter: null }, { actor: 'test', surface: 'cli' });
    h = await startChatHarness(tdb, { ...signedTeams(), PUBLIC_URL: publicUrl });
    // The bot learns the conversation (its reference) from any activity in it.
    expect((await postTeamsActivity(h, activity(h.connector.serviceUrl, { type: 'message', id: `${kind}-hello`, text: 'whoami' }))).status).toBe(200);
    await h.connector.waitFor((calls) => calls.some((c) => c.method === 'POST' && c.conversationId === conversationId));
  });
  afterAll(async () => {
    await h?.close();
    await tdb?.drop();
  });

  it('a 60-item alert goes out as several cards, every item with its buttons; a click on a later card is recognized and a decision updates every card', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ ...openItem, id: `${9000 + i}` }));
    const alert = unattributedSpendAlert({ period: '2026-10', items });
    const long = message(alert.fallback, [...alert.blocks, actions(acknowledgeButton())], alert.moreCommand);
    const before = posts().length;
    const { id } = await queueChatMessage(h.store, { platform: 'teams', operation: 'post', purpose: `long:${kind}`, target: conversationId, payload: long });
    await eventually(async () => (await h.store.db.selectFrom('chat_outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status === 'sent');
    const cards = posts().slice(before);
    expect(cards.length).toBeGreaterThan(1);
    const claims = cards.flatMap((c) => executes(c.body.attachments)).filter((a) => a.verb === actionIds.claimItem);
    expect(claims.map((a) => a.data.itemId)).toEqual(items.map((i) => i.id));
    const row = await h.store.db.selectFrom('chat_outbox').select(['delivered_id', 'payload']).where('id', '=', id).executeTakeFirstOrThrow();
    const activityIds = cards.map((_c, i) => (row.payload as { uploads: Record<string, string> }).uploads[`card:${i}`]!);
    expect(activityIds[0]).toBe(row.delivered_id);

    // Claim on an item of the third card: the button is found on the message costbridge posted
    // (it is not refused as foreign), and the action itself answers (the item is not a real one).
    const invoke = (invokeId: string, replyToId: string, verb: string, data: Record<string, string>) =>
      postTeamsActivity(h, activity(h.connector.serviceUrl, { type: 'invoke', name: 'adaptiveCard/action', id: invokeId, replyToId, value: { action: { type: 'Action.Execute', verb, data } } }));
    const third = executes(cards[2]!.body.attachments).find((a) => a.verb === actionIds.claimItem)!;
    const claimed = await invoke(`${kind}-claim-3`, activityIds[2]!, actionIds.claimItem, third.data);
    expect(String(claimed.body?.value)).toContain(`There is no unattributed item ${third.data.itemId}`);
    // A Claim naming an item the message does not list is refused as not costbridge's, whichever card it claims to be on.
    const foreign = await invoke(`${kind}-claim-1`, activityIds[1]!, actionIds.claimItem, { itemId: '1' });
    expect(String(foreign.body?.value)).toContain('not on a message costbridge posted here');

    // Acknowledge sits on the last card; the decision updates every card of the message in place.
    const ack = await invoke(`${kind}-ack`, activityIds.at(-1)!, 'acknowledge', {});
    expect(ack.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    await h.connector.waitFor((calls) => activityIds.every((a) => calls.some((c) => c.method === 'PUT' && c.status === 200 && c.activityId === a)));
    const lastPut = h.connector.calls.filter((c) => c.method === 'PUT' && c.activityId === activityIds.at(-1)).at(-1)!;
    expect(JSON.stringify(lastPut.body.attachments)).toContain('Acknowledged by Ana Ito');
    // Every item still has its Claim button after the update.
    const updated = activityIds.flatMap((a) => executes(h.connector.calls.filter((c) => c.method === 'PUT' && c.activityId === a).at(-1)!.body.attachments));
    expect(updated.filter((x) => x.verb === actionIds.claimItem).map((x) => x.data.itemId)).toEqual(items.map((i) => i.id));
  });

  it('a chart is an Image with a signed HTTPS URL that serve answers with the PNG; a wrong or expired token gets 403', async () => {
    const before = posts().length;
    const payload = {
      ...message('Weekly digest', [header('Weekly digest'), image({ attachment: 'digest-chart' }, 'Spend vs budget')]),
      attachments: [{ name: 'digest-chart', filename: 'digest.png', title: 'Spend vs budget', mediaType: 'image/png' as const, base64: png }],
    };
    const { id } = await queueChatMessage(h.store, { platform: 'teams', operation: 'post', purpose: `chart:${kind}`, target: conversationId, payload });
    await h.connector.waitFor(() => posts().length > before);
    const card = JSON.stringify(posts().at(-1)!.body.attachments);
    const url = /"type":"Image","url":"([^"]+)"/.exec(card)?.[1];
    expect(url).toBeDefined();
    expect(url!.startsWith(`${publicUrl}/charts/${id}-digest-chart.png?token=`)).toBe(true);
    expect(card).not.toContain('data:image');
    // serve answers on its own address what the platforms fetch from PUBLIC_URL.
    const local = (u: string) => u.replace(publicUrl, h.server.url);
    const ok = await fetch(local(url!));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await ok.arrayBuffer())).toEqual(Buffer.from(png, 'base64'));

    const token = new URL(url!).searchParams.get('token')!;
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect((await fetch(local(url!).replace(token, tampered))).status).toBe(403);
    expect((await fetch(local(url!).replace(`/${id}-`, `/${id + 1}-`))).status).toBe(403);
    expect((await fetch(local(url!).split('?')[0]!)).status).toBe(403);
    const expired = signedChartUrl(publicUrl, h.config.chat.chartUrlKey!, { outboxId: id, attachment: 'digest-chart', now: new Date(Date.now() - 31 * 24 * 3600 * 1000) })!;
    expect((await fetch(local(expired))).status).toBe(403);
    const fresh = signedChartUrl(publicUrl, h.config.chat.chartUrlKey!, { outboxId: id, attachment: 'digest-chart', now: new Date() })!;
    expect((await fetch(local(fresh))).status).toBe(200);
    const otherKey = signedChartUrl(publicUrl, 'another-key-another-key-another-key', { outboxId: id, attachment: 'digest-chart', now: new Date() })!;
    expect((await fetch(local(otherKey))).status).toBe(403);
  });
});
