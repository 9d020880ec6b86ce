import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { actionIds, formIds } from '../../src/messages/views/interaction-ids.js';
import { eventually, signedTeams, startChatHarness, type ChatHarness } from './chat-harness.js';
import { postTeamsActivity, teamsChannelActivity, teamsUser } from './teams-activity.js';
import { proposeTestSaving, seedOrganisation } from './interactions-seed.js';

const conversationId = '19:finops@thread.tacv2';

const activity = (serviceUrl: string, aad: string, fields: Record<string, unknown>) => teamsChannelActivity(serviceUrl, conversationId, teamsUser(aad), fields);

describe.each(storeKinds)('Teams interactions end to end on %s', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  const count = async (table: string, where = sql`true`) =>
    Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)} WHERE ${where}`.execute(h.store.db)).rows[0]!.n);

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    await seedOrganisation(tdb, await tdb.shared());
    h = await startChatHarness(tdb, signedTeams());
  });
  afterAll(async () => {
    await h?.close();
    await tdb?.drop();
  });

  it('unattributed -> the owner claims (form card) -> submit -> claim recorded -> the card is updated (PUT); a second claimer is answered privately with the winner', async () => {
    expect((await postTeamsActivity(h, activity(h.connector.serviceUrl, 'aad-ana', { type: 'message', id: `${kind}-cmd`, text: 'unattributed 2024-10' }))).status).toBe(200);
    await eventually(async () => (await count('chat_outbox', sql`purpose = ${`command-post:${kind}-cmd:0`} AND status = 'sent'`)) === 1);
    const alertId = (await h.store.db.selectFrom('chat_outbox').select('delivered_id').where('purpose', '=', `command-post:${kind}-cmd:0`).executeTakeFirstOrThrow()).delivered_id!;
    const item = await h.store.db.selectFrom('unattributed_item').select('id').where('service_name', '=', 'DB').executeTakeFirstOrThrow();
    const itemId = String(item.id);

    const invoke = (aad: string, id: string, verb: string, data: Record<string, unknown>) =>
      postTeamsActivity(h, activity(h.connector.serviceUrl, aad, { type: 'invoke', name: 'adaptiveCard/action', id, replyToId: alertId, value: { action: { type: 'Action.Execute', verb, data } } }));
    const metadataOf = (card: unknown) => JSON.stringify(card).match(/"metadata":"(fs_[A-Za-z0-9_-]+)"/)![1]!;
    const opened = await invoke('aad-bo', `${kind}-inv-1`, actionIds.claimItem, { itemId });
    expect(opened.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    // The card's data carries only the form session's id; the item and the alert are kept server-side.
    const metadata = metadataOf(opened.body!.value);
    expect(await h.store.db.selectFrom('chat_form_session').select(['subject', 'origin_target', 'origin_message_id', 'person_id']).where('id', '=', metadata).executeTakeFirstOrThrow()).toEqual({
      subject: { itemId },
      origin_target: conversationId,
      origin_message_id: alertId,
      person_id: 'bo',
    });
    // Cy opens the same item's form before Bo submits.
    const cyMetadata = metadataOf((await invoke('aad-cy', `${kind}-inv-1b`, actionIds.claimItem, { itemId })).body!.value);

    const submitted = await invoke('aad-bo', `${kind}-inv-2`, formIds.claimItem, { metadata, costCenter: 'CC-100', scope: 'future', owner: 'bo' });
    expect(submitted.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(String(submitted.body!.value)).toContain('Claimed');
    await h.connector.waitFor((calls) => calls.some((c) => c.method === 'PUT' && c.status === 200 && c.activityId === alertId));
    const put = h.connector.calls.find((c) => c.method === 'PUT' && c.activityId === alertId)!;
    expect(JSON.stringify(put.body.attachments)).toContain('Claimed by');
    expect(JSON.stringify(put.body.attachments)).toContain('@bo');
    expect(await h.store.db.selectFrom('unattributed_item').select(['status', 'claimed_by', 'claim_scope']).where('id', '=', item.id).executeTakeFirstOrThrow()).toEqual({
      status: 'claimed',
      claimed_by: 'bo',
      claim_scope: 'future',
    });
    expect(await count('audit_log', sql`action = 'unattributed.claim' AND subject_id = ${itemId} AND actor = 'bo' AND surface = 'teams'`)).toBe(1);

    // Cy submits his form later: the invoke answers him alone, naming the winner; nothing else changes.
    const late = await invoke('aad-cy', `${kind}-inv-3`, formIds.claimItem, { metadata: cyMetadata, costCenter: 'CC-200', scope: 'item' });
    expect(String(late.body!.value)).toContain(`@bo claimed item ${itemId} for CC-100`);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.connector.calls.filter((c) => c.method === 'PUT' && c.activityId === alertId)).toHaveLength(1);
    expect(await count('audit_log', sql`action = 'unattributed.claim' AND subject_id = ${itemId}`)).toBe(1);
  });

  it('Approve by a non-itfm person is refused in the invoke answer, saying why and who may', async () => {
    const id = await proposeTestSaving(h.store, 'Rightsize from Teams');
    expect((await postTeamsActivity(h, activity(h.connector.serviceUrl, 'aad-ana', { type: 'message', id: `${kind}-cmd-s`, text: 'savings proposed' }))).status).toBe(200);
    await eventually(async () => (await count('chat_outbox', sql`purpose LIKE ${`command-post:${kind}-cmd-s:%`} AND status = 'sent' AND payload::text LIKE ${`%${id}%`}`)) === 1);
    const requestId = (await h.store.db.selectFrom('chat_outbox').select('delivered_id').where('purpose', 'like', `command-post:${kind}-cmd-s:%`).where(sql`payload::text`, 'like', `%${id}%`).executeTakeFirstOrThrow()).delivered_id!;
    const r = await postTeamsActivity(h, activity(h.connector.serviceUrl, 'aad-bo', { type: 'invoke', name: 'adaptiveCard/action', id: `${kind}-inv-9`, replyToId: requestId, value: { action: { type: 'Action.Execute', verb: actionIds.approveSaving, data: { savingId: id } } } }));
    expect(r.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(String(r.body!.value)).toContain('bo may not sign off a saving of CC-100: it needs itfm');
    expect(String(r.body!.value)).toContain('held by ana (itfm), fin (itfm)');
    expect((await h.store.db.selectFrom('saving').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('proposed');
  });
});
