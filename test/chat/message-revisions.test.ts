import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { queueChatMessage } from '../../src/app/queue-chat-message.js';
import { reviseChatMessage } from '../../src/app/revise-chat-message.js';
import { deliveredMessageCarriesButton } from '../../src/store/chat-message-revisions.js';
import { actions, button, list, message, text } from '../../src/messages/message-blocks.js';
import { messageButtons } from '../../src/messages/message-buttons.js';
import type { Message } from '../../src/messages/message-model.js';
import { withEntryDecided } from '../../src/server/view-inputs/decided-entry.js';
import type { Store } from '../../src/store/database.js';

const items = 10;
const alert = message('alert', [
  text('Items to claim'),
  list(Array.from({ length: items }, (_, i) => [text(`item ${i}`), actions(button('claim_item', 'Claim', { itemId: String(i) }))])),
]);

describe.each(storeKinds)('revisions of one delivered message on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let base: number;
  const key = { platform: 'slack' as const, target: 'CREV', deliveredId: '1700000000.000100' };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    base = (await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: `revisions:${kind}`, target: key.target, payload: alert })).id;
    await sql`UPDATE chat_outbox SET status = 'sent', delivered_id = ${key.deliveredId} WHERE id = ${base}`.execute(store.db);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const decide = (i: number) =>
    reviseChatMessage(store, {
      platform: 'slack',
      target: key.target,
      messageId: key.deliveredId,
      reason: `claim:${i}`,
      revise: (current) => withEntryDecided(current, (b) => b.payload.itemId === String(i), text(`claimed ${i}`)),
    });
  const updates = async () =>
    (await sql<{ purpose: string; payload: Message }>`SELECT purpose, payload FROM chat_outbox WHERE update_of = ${base} ORDER BY id`.execute(store.db)).rows;

  it('checks a click against the delivered message inside the database: same action and exactly the same payload', async () => {
    expect(await deliveredMessageCarriesButton(store.db, key, { actionId: 'claim_item', payload: { itemId: '3' } })).toBe(true);
    expect(await deliveredMessageCarriesButton(store.db, key, { actionId: 'claim_item', payload: { itemId: '99' } })).toBe(false);
    expect(await deliveredMessageCarriesButton(store.db, key, { actionId: 'not_mine_item', payload: { itemId: '3' } })).toBe(false);
    expect(await deliveredMessageCarriesButton(store.db, key, { actionId: 'claim_item', payload: { itemId: '3', extra: 'x' } })).toBe(false);
    expect(await deliveredMessageCarriesButton(store.db, key, { actionId: 'claim_item', payload: {} })).toBe(false);
    expect(await deliveredMessageCarriesButton(store.db, { ...key, target: 'COTHER' }, { actionId: 'claim_item', payload: { itemId: '3' } })).toBe(false);
  });

  it('decisions taken while the message is being revised are applied together: every one shows, in two updates, each queued once', async () => {
    const results = await Promise.all(Array.from({ length: items }, (_, i) => decide(i)));
    expect(results.every((r) => r.ok && r.queued)).toBe(true);
    const rows = await updates();
    // The first decision is revised at once; the nine taken meanwhile wait for it and go together.
    expect(rows.map((r) => r.purpose)).toEqual([`revision:${base}:claim:0`, expect.stringMatching(new RegExp(`^revision:${base}:9 decisions:[0-9a-f]{24}$`))]);
    const latest = rows.at(-1)!.payload;
    expect(messageButtons(latest)).toEqual([]);
    for (let i = 0; i < items; i++) expect(JSON.stringify(latest)).toContain(`claimed ${i}`);

    // The same decisions reported again (retries, a second clicker told who won) change nothing.
    const again = await Promise.all(Array.from({ length: items }, (_, i) => decide(i)));
    expect(again.every((r) => r.ok && !r.queued)).toBe(true);
    expect((await updates()).length).toBe(2);
    // The buttons as first delivered still count (a late click is answered with who decided).
    expect(await deliveredMessageCarriesButton(store.db, key, { actionId: 'claim_item', payload: { itemId: '7' } })).toBe(true);
  });

  it('a revision that fails does not take the decisions batched with it down', async () => {
    const first = decide(0); // already decided: holds the message while the others queue
    const failing = reviseChatMessage(store, { platform: 'slack', target: key.target, messageId: key.deliveredId, reason: 'broken', revise: () => { throw new Error('broken revise'); } });
    const note = reviseChatMessage(store, {
      platform: 'slack',
      target: key.target,
      messageId: key.deliveredId,
      reason: 'note',
      revise: (current) => message(current.fallback, [...current.blocks, text('a note')], current.moreCommand),
    });
    await expect(failing).rejects.toThrow('broken revise');
    expect(await note).toMatchObject({ ok: true, queued: true });
    expect((await first).ok).toBe(true);
    expect(JSON.stringify((await updates()).at(-1)!.payload)).toContain('a note');
  });
});
