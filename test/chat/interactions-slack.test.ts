import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { blockActionsBody, postSlack, slashCommandBody, viewSubmissionBody } from '../support/signed-slack-request.js';
import type { SlackApiCall } from '../support/fake-slack-api.js';
import { queueChatMessage } from '../../src/app/queue-chat-message.js';
import { listUnclassifiedSpend } from '../../src/app/list-unclassified-spend.js';
import { parseBillingMonth } from '../../src/domain/billing-month.js';
import { actionIds, formIds } from '../../src/messages/views/interaction-ids.js';
import { unclassifiedNewSpendAlert } from '../../src/messages/views/unclassified-new-spend-alert.js';
import { unclassifiedAlertView } from '../../src/server/view-inputs/unclassified-alert-view.js';
import { eventually, signingSecret, startChatHarness, type ChatHarness } from './chat-harness.js';
import { proposeTestSaving, seedOrganisation } from './interactions-seed.js';

const channel = 'CFINOPS';

describe.each(storeKinds)('Slack interactions end to end on %s', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  let n = 0;
  const trigger = () => `${kind}-t-${++n}`;
  const count = async (table: string, where = sql`true`) =>
    Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)} WHERE ${where}`.execute(h.store.db)).rows[0]!.n);
  const settled = () => eventually(async () => (await count('chat_outbox', sql`status IN ('pending', 'sending')`)) === 0);

  /** Runs a slash command and returns the Slack ts of each message it posted in the channel. */
  const command = async (text: string, user = 'UANA'): Promise<string[]> => {
    const t = trigger();
    expect((await postSlack(h.server.url, slashCommandBody({ text, userId: user, channelId: channel, triggerId: t }), { secret: signingSecret })).status).toBe(200);
    await eventually(async () => (await count('chat_outbox', sql`purpose LIKE ${`command-%:${t}%`}`)) > 0);
    await settled();
    const rows = await h.store.db.selectFrom('chat_outbox').select(['delivered_id', 'purpose']).where('purpose', 'like', `command-post:${t}:%`).orderBy('id').execute();
    return rows.map((r) => r.delivered_id!);
  };
  const click = async (actionId: string, payload: Record<string, string>, messageTs: string, user: string) => {
    const t = trigger();
    const r = await postSlack(h.server.url, blockActionsBody({ actionId, value: JSON.stringify(payload), userId: user, channelId: channel, messageTs, triggerId: t }), { secret: signingSecret });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    return t;
  };
  /** Clicks and waits for the modal Slack is asked to open; returns its private metadata and blocks. */
  const openForm = async (actionId: string, payload: Record<string, string>, messageTs: string, user: string) => {
    const before = h.slack.callsOf('views.open').length;
    const t = await click(actionId, payload, messageTs, user);
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'views.open' && c.ok).length > before);
    const call = h.slack.callsOf('views.open')[before]!;
    expect(call.args.trigger_id).toBe(t);
    const view = call.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    return view;
  };
  const submit = async (callbackId: string, privateMetadata: string, user: string, values: Record<string, string>) => {
    const r = await postSlack(h.server.url, viewSubmissionBody({ callbackId, privateMetadata, userId: user, triggerId: trigger(), values }), { secret: signingSecret });
    expect(r.status).toBe(200);
    return r;
  };
  /** The next private message to a user (after `since` calls), once delivered. */
  const ephemeralTo = async (user: string, since: number): Promise<SlackApiCall> => {
    await h.slack.waitFor((calls) => calls.slice(since).some((c) => c.method === 'chat.postEphemeral' && c.ok && c.args.user === user));
    return h.slack.calls.slice(since).find((c) => c.method === 'chat.postEphemeral' && c.ok && c.args.user === user)!;
  };
  /** The delivered message (of a command's posts) that carries a button for `payload`. */
  const postedWith = async (timestamps: readonly string[], needle: string): Promise<string> => {
    const rows = await h.store.db.selectFrom('chat_outbox').select(['delivered_id', 'payload']).where('delivered_id', 'in', [...timestamps]).execute();
    const row = rows.find((r) => JSON.stringify(r.payload).includes(needle));
    if (!row) throw new Error(`no posted message carries ${needle}`);
    return row.delivered_id!;
  };
  /** The next message to a user's DM with the app (chat.postMessage to their user id). */
  const dmTo = async (user: string, since: number): Promise<SlackApiCall> => {
    await h.slack.waitFor((calls) => calls.slice(since).some((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === user));
    return h.slack.calls.slice(since).find((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === user)!;
  };
  const updatesOf = (ts: string) => h.slack.callsOf('chat.update').filter((c) => c.ok && c.args.ts === ts);
  const itemIds = async () =>
    Object.fromEntries(
      (await h.store.db.selectFrom('unattributed_item').select(['id', 'service_name', 'billing_account_id']).execute()).map((r) => [`${r.billing_account_id}/${r.service_name}`, String(r.id)]),
    );

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    const store = await tdb.shared();
    await seedOrganisation(tdb, store);
    h = await startChatHarness(tdb);
  });
  afterAll(async () => {
    await h?.close();
    await tdb?.drop();
  });
  beforeEach(() => {
    h.slack.calls.length = 0;
  });

  it('unattributed posts the alert for everyone; the owner claims -> form -> claim recorded -> the alert updated in place; a second claimer is told who won', async () => {
    const [ts] = await command('unattributed');
    expect(ts).toBeDefined();
    const posted = h.slack.callsOf('chat.postMessage').find((c) => c.ok && c.args.channel === channel)!;
    const alert = JSON.stringify(posted.args.blocks);
    expect(alert).toContain('Unattributed spend · 2024-10');
    expect(alert).toContain(`"action_id":"${actionIds.claimItem}"`);
    const ids = await itemIds();
    const db = ids['U-1/DB']!;

    const form = await openForm(actionIds.claimItem, { itemId: db }, ts!, 'UBO');
    expect(form.callback_id).toBe(formIds.claimItem);
    // The modal carries only the opaque id of its server-side session: subject, version and origin stay on the server.
    expect(form.private_metadata).toMatch(/^fs_[A-Za-z0-9_-]{24}$/);
    const session = await h.store.db.selectFrom('chat_form_session').selectAll().where('id', '=', form.private_metadata).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ kind: formIds.claimItem, person_id: 'bo', platform_user_id: 'UBO', origin_target: channel, origin_message_id: ts, submitted_at: null });
    expect(session.subject).toEqual({ itemId: db });
    // The owner input defaults to the clicker.
    expect(JSON.stringify(form.blocks)).toMatch(/"initial_value":"bo@acme.example"/);
    // Fin opens the same item's form before Bo submits.
    const finForm = await openForm(actionIds.claimItem, { itemId: db }, ts!, 'UFIN');

    const since = h.slack.calls.length;
    await submit(formIds.claimItem, form.private_metadata, 'UBO', { costCenter: 'CC-100', scope: 'item', owner: 'bo', environment: 'production' });
    await h.slack.waitFor(() => updatesOf(ts!).length === 1);
    const update = updatesOf(ts!)[0]!;
    expect(update.args.channel).toBe(channel);
    expect(JSON.stringify(update.args.blocks)).toContain('Claimed by *@bo* for *CC-100*');
    // The other items keep their buttons; the summary counts one open item fewer.
    expect(JSON.stringify(update.args.blocks)).toContain(`"value":"{\\"itemId\\":\\"${ids['U-2/Virtual Machines']}\\"}"`);
    expect(JSON.stringify(update.args.blocks)).toContain('*2* still open');
    const confirmation = await ephemeralTo('UBO', since);
    expect(confirmation.args.channel).toBe(channel);
    expect(String(confirmation.args.text)).toContain('Claimed');

    const item = await h.store.db.selectFrom('unattributed_item').selectAll().where('id', '=', Number(db)).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ status: 'claimed', claimed_by: 'bo', claim_cost_center: 'CC-100', claim_scope: 'item' });
    const lines = await sql<{ cost_center: string; environment: string }>`SELECT cost_center, environment FROM cost_line WHERE service_name = 'DB'`.execute(h.store.db);
    expect(lines.rows).toEqual([
      { cost_center: 'CC-100', environment: 'production' },
      { cost_center: 'CC-100', environment: 'production' },
    ]);
    expect(await count('audit_log', sql`action = 'unattributed.claim' AND subject_id = ${db} AND actor = 'bo' AND surface = 'slack' AND outcome = 'recorded'`)).toBe(1);

    // Fin had the form open too and submits it after Bo: he is told privately who won; nothing changes.
    const since2 = h.slack.calls.length;
    await submit(formIds.claimItem, finForm.private_metadata, 'UFIN', { costCenter: 'CC-200', scope: 'future' });
    const refusal = await ephemeralTo('UFIN', since2);
    expect(refusal.args.channel).toBe(channel);
    expect(String(refusal.args.text)).toContain(`@bo claimed item ${db} for CC-100`);
    // Submitting the same form again is "already submitted".
    const since3 = h.slack.calls.length;
    await submit(formIds.claimItem, finForm.private_metadata, 'UFIN', { costCenter: 'CC-200', scope: 'future' });
    expect(String((await ephemeralTo('UFIN', since3)).args.text)).toContain('already submitted');
    // And a click on Claim of the same item gets the same private answer, without opening a form.
    const since4 = h.slack.calls.length;
    await click(actionIds.claimItem, { itemId: db }, ts!, 'UFIN');
    expect(String((await ephemeralTo('UFIN', since4)).args.text)).toContain('@bo claimed item');
    await settled();
    expect(updatesOf(ts!)).toHaveLength(1);
    expect(h.slack.callsOf('views.open')).toHaveLength(2);
    expect(await count('audit_log', sql`action = 'unattributed.claim' AND subject_id = ${db}`)).toBe(1);
  });

  it('two people submitting a claim at once, and Slack retrying it, give one claim, one audit row and one update', async () => {
    const [ts] = await command('unattributed');
    const vm = (await itemIds())['U-2/Virtual Machines']!;
    const rulesBefore = await count('attribution_rule', sql`origin = 'claim'`);
    const cyForm = await openForm(actionIds.claimItem, { itemId: vm }, ts!, 'UCY');
    const finForm = await openForm(actionIds.claimItem, { itemId: vm }, ts!, 'UFIN');
    const body = (user: string, metadata: string, t: string) => viewSubmissionBody({ callbackId: formIds.claimItem, privateMetadata: metadata, userId: user, triggerId: t, values: { costCenter: 'CC-200', scope: 'item' } });
    const cyTrigger = trigger();
    const results = await Promise.all([
      postSlack(h.server.url, body('UCY', cyForm.private_metadata, cyTrigger), { secret: signingSecret }),
      postSlack(h.server.url, body('UFIN', finForm.private_metadata, trigger()), { secret: signingSecret }),
      postSlack(h.server.url, body('UCY', cyForm.private_metadata, cyTrigger), { secret: signingSecret, retryNum: 1 }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.slack.waitFor(() => updatesOf(ts!).length === 1);
    await eventually(async () => (await count('chat_outbox', sql`purpose LIKE 'form-reply:%'`)) >= 2);
    await settled();
    await new Promise((r) => setTimeout(r, 300));
    expect(await count('audit_log', sql`action = 'unattributed.claim' AND subject_id = ${vm}`)).toBe(1);
    expect(await count('attribution_rule', sql`origin = 'claim'`)).toBe(rulesBefore + 1);
    expect(updatesOf(ts!)).toHaveLength(1);
    const winner = (await h.store.db.selectFrom('unattributed_item').select('claimed_by').where('id', '=', Number(vm)).executeTakeFirstOrThrow()).claimed_by!;
    const loser = winner === 'cy' ? 'UFIN' : 'UCY';
    const told = h.slack.callsOf('chat.postEphemeral').filter((c) => c.ok && c.args.user === loser);
    expect(told.some((c) => String(c.args.text).includes(`@${winner} claimed item ${vm}`))).toBe(true);
    // The update shows both claims made on this message's items so far (the first one came from another message).
    expect(JSON.stringify(updatesOf(ts!)[0]!.args.blocks)).toContain(`Claimed by *@${winner}* for *CC-200*`);
  });

  it('Not mine from an owner is a note on the alert (the item stays open); from finops it routes the item back to FinOps as a dismissal', async () => {
    const [ts] = await command('unattributed');
    const cache = (await itemIds())['U-3/Cache']!;
    const form = await openForm(actionIds.notMineItem, { itemId: cache }, ts!, 'UBO');
    expect(form.callback_id).toBe(formIds.notMineItem);
    const invalid = await submit(formIds.notMineItem, form.private_metadata, 'UBO', { reason: '  ' });
    expect(JSON.parse(invalid.text)).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
    await submit(formIds.notMineItem, form.private_metadata, 'UBO', { reason: 'the cache belongs to the data team' });
    await h.slack.waitFor(() => updatesOf(ts!).length === 1);
    const noted = JSON.stringify(updatesOf(ts!)[0]!.args.blocks);
    expect(noted).toContain('Not mine, says *@bo*: the cache belongs to the data team');
    // The item keeps its buttons: its real owner can still claim it.
    expect(noted).toContain(`"value":"{\\"itemId\\":\\"${cache}\\"}"`);
    expect((await h.store.db.selectFrom('unattributed_item').select('status').where('id', '=', Number(cache)).executeTakeFirstOrThrow()).status).toBe('open');
    expect(await count('audit_log', sql`action = 'unattributed.not-mine' AND subject_id = ${cache} AND actor = 'bo' AND surface = 'slack' AND outcome = 'recorded'`)).toBe(1);

    const finForm = await openForm(actionIds.notMineItem, { itemId: cache }, ts!, 'UFIN');
    await submit(formIds.notMineItem, finForm.private_metadata, 'UFIN', { reason: 'shared platform cost' });
    await h.slack.waitFor(() => updatesOf(ts!).length === 2);
    const dismissed = JSON.stringify(updatesOf(ts!)[1]!.args.blocks);
    expect(dismissed).toContain('Sent back to FinOps by @fin');
    expect(dismissed).toContain('Not mine: shared platform cost');
    const item = await h.store.db.selectFrom('unattributed_item').selectAll().where('id', '=', Number(cache)).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ status: 'dismissed', dismissed_by: 'fin', dismiss_reason: 'Not mine: shared platform cost' });
    expect(await count('audit_log', sql`action = 'unattributed.dismiss' AND subject_id = ${cache} AND actor = 'fin' AND surface = 'slack'`)).toBe(1);
  });

  it('savings: Approve is refused privately to a non-itfm person and to the proposer (at the click and at submit); an itfm approval is recorded and shown', async () => {
    const id = await proposeTestSaving(h.store, 'Rightsize the VM fleet');
    const [ts] = await command('savings');
    const posted = JSON.stringify(h.slack.callsOf('chat.postMessage').find((c) => c.ok && c.args.channel === channel)!.args.blocks);
    expect(posted).toContain(`Savings sign-off: Rightsize the VM fleet`);
    expect(posted).toContain('Measured');
    expect(posted).toContain('https://wiki.example.com/rightsizing');

    let since = h.slack.calls.length;
    await click(actionIds.approveSaving, { savingId: id }, ts!, 'UBO');
    const notItfm = await ephemeralTo('UBO', since);
    expect(String(notItfm.args.text)).toContain('bo may not sign off a saving of CC-100: it needs itfm; bo holds owner for CC-100; held by ana (itfm), fin (itfm)');
    expect(JSON.stringify(notItfm.args.blocks)).toContain('FORBIDDEN');
    expect(await count('audit_log', sql`action = 'saving.approve' AND subject_id = ${id} AND actor = 'bo' AND outcome = 'refused'`)).toBe(1);

    since = h.slack.calls.length;
    await click(actionIds.approveSaving, { savingId: id }, ts!, 'UFIN');
    const own = await ephemeralTo('UFIN', since);
    expect(String(own.args.text)).toContain('segregation of duties');
    expect(JSON.stringify(own.args.blocks)).toContain('SEGREGATION_OF_DUTIES');
    expect(h.slack.callsOf('views.open')).toHaveLength(0);

    // A crafted submission (no form session) is refused before any use case runs; nothing changes.
    since = h.slack.calls.length;
    const metadata = JSON.stringify({ savingId: id, origin: { target: channel, messageId: ts } });
    await submit(formIds.approveSaving, metadata, 'UFIN', { amount: '400', fromPeriod: '2024-10' });
    // (A form costbridge never opened names no channel: the answer goes to the user's DM.)
    const crafted = await dmTo('UFIN', since);
    expect(JSON.stringify(crafted.args.blocks)).toContain('FORM_UNKNOWN');
    expect((await h.store.db.selectFrom('saving').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('proposed');
    expect(await count('audit_log', sql`action = 'form.submit' AND actor = 'fin' AND outcome = 'refused'`)).toBeGreaterThanOrEqual(1);

    const form = await openForm(actionIds.approveSaving, { savingId: id }, ts!, 'UANA');
    expect(form.callback_id).toBe(formIds.approveSaving);
    const invalid = await submit(formIds.approveSaving, form.private_metadata, 'UANA', { amount: '-5', fromPeriod: '2024-10' });
    expect(JSON.parse(invalid.text)).toMatchObject({ response_action: 'errors', errors: { amount: expect.any(String) } });
    since = h.slack.calls.length;
    await submit(formIds.approveSaving, form.private_metadata, 'UANA', { amount: '350.50', fromPeriod: '2024-10' });
    await h.slack.waitFor(() => updatesOf(ts!).length === 1);
    const updated = JSON.stringify(updatesOf(ts!)[0]!.args.blocks);
    expect(updated).toContain('*Approved* by @ana');
    expect(updated).toContain('USD 350.50');
    expect(updated).toContain('Budget revision: CC-100 lowered by USD 350.50 a month, 2024-10 to 2024-12');
    expect(updated).not.toContain(`"action_id":"${actionIds.approveSaving}"`);
    expect(String((await ephemeralTo('UANA', since)).args.text)).toContain('Approved');
    const saving = await h.store.db.selectFrom('saving').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(saving).toMatchObject({ status: 'recognized', recognized_by: 'ana', approver: 'ana' });
    const audit = await sql<{ action: string; actor: string; surface: string }>`SELECT action, actor, surface FROM audit_log WHERE subject_type = 'saving' AND subject_id = ${id} AND outcome = 'recorded' ORDER BY id`.execute(h.store.db);
    expect(audit.rows).toEqual([
      { action: 'saving.propose', actor: 'fin', surface: 'cli' },
      { action: 'saving.validate', actor: 'ana', surface: 'slack' },
      { action: 'saving.recognize', actor: 'ana', surface: 'slack' },
    ]);

    // Both refusals at the click left a refused audit row (bo: no itfm; fin: segregation of duties).
    const refused = await sql<{ action: string; actor: string }>`SELECT action, actor FROM audit_log WHERE subject_type = 'saving' AND subject_id = ${id} AND outcome = 'refused' ORDER BY id`.execute(h.store.db);
    expect(refused.rows).toEqual([
      { action: 'saving.approve', actor: 'bo' },
      { action: 'saving.approve', actor: 'fin' },
    ]);
    // The same approval submitted again records nothing more and updates nothing more.
    since = h.slack.calls.length;
    await submit(formIds.approveSaving, form.private_metadata, 'UANA', { amount: '350.50', fromPeriod: '2024-10' });
    expect(String((await ephemeralTo('UANA', since)).args.text)).toContain('already submitted');
    await settled();
    expect(await count('audit_log', sql`subject_type = 'saving' AND subject_id = ${id}`)).toBe(5);
    expect(updatesOf(ts!)).toHaveLength(1);
  });

  it('savings: Reject -> reason -> rejected, audited, and the request shows who rejected it and why', async () => {
    const id = await proposeTestSaving(h.store, 'Turn off idle caches');
    const ts = await postedWith(await command('savings proposed'), `"savingId":"${id}"`);
    const form = await openForm(actionIds.rejectSaving, { savingId: id }, ts, 'UANA');
    expect(form.callback_id).toBe(formIds.rejectSaving);
    await submit(formIds.rejectSaving, form.private_metadata, 'UANA', { reason: 'the caches are not idle' });
    await h.slack.waitFor(() => updatesOf(ts).length === 1);
    expect(JSON.stringify(updatesOf(ts)[0]!.args.blocks)).toContain('*Rejected* by @ana');
    expect(JSON.stringify(updatesOf(ts)[0]!.args.blocks)).toContain('the caches are not idle');
    expect(await h.store.db.selectFrom('saving').select(['status', 'closed_by', 'reject_reason']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({
      status: 'rejected',
      closed_by: 'ana',
      reject_reason: 'the caches are not idle',
    });
    expect(await count('audit_log', sql`action = 'saving.reject' AND subject_id = ${id} AND actor = 'ana' AND surface = 'slack'`)).toBe(1);
  });

  it('variance: Explain -> component, planned or not, text -> stored with its author -> the request shows the explanation', async () => {
    const [ts] = await command('variance CC-100 2024-10');
    expect(ts).toBeDefined();
    expect(JSON.stringify(h.slack.callsOf('chat.postMessage').find((c) => c.ok && c.args.channel === channel)!.args.blocks)).toContain('Variance to explain · CC-100 · 2024-10');
    const form = await openForm(actionIds.explainVariance, { period: '2024-10', scope: 'CC-100' }, ts!, 'UBO');
    expect(form.callback_id).toBe(formIds.explainVariance);
    const component = JSON.stringify(form.blocks).match(/"initial_option":\{[^}]*?"value":"([a-zA-Z]+)"/)?.[1] ?? 'volume';
    await submit(formIds.explainVariance, form.private_metadata, 'UBO', { component, planned: 'unplanned', text: 'a new build cluster went live' });
    await h.slack.waitFor(() => updatesOf(ts!).length === 1);
    const updated = JSON.stringify(updatesOf(ts!)[0]!.args.blocks);
    expect(updated).toContain('a new build cluster went live');
    expect(updated).toContain(`*${component}* (unplanned) by @bo`);
    const rows = await sql<{ author: string; surface: string; component: string; planned: boolean }>`SELECT author, surface, component, planned FROM variance_explanation WHERE scope = 'CC-100'`.execute(h.store.db);
    expect(rows.rows).toEqual([{ author: 'bo', surface: 'slack', component, planned: false }]);
  });

  it('classify: Classify -> category, GL account, cost center, owner -> a contract for the vendor -> the alert shows who classified it', async () => {
    const spend = await listUnclassifiedSpend(h.store, { period: parseBillingMonth('2024-10'), governedCategories: h.config.attribution.governedCategories });
    expect(spend.vendors.map((v) => v.vendor)).toContain('TokenCo');
    const { id } = await queueChatMessage(h.store, { platform: 'slack', operation: 'post', purpose: 'test-unclassified:2024-10', target: channel, payload: unclassifiedNewSpendAlert(unclassifiedAlertView(spend)) });
    await settled();
    const ts = (await h.store.db.selectFrom('chat_outbox').select('delivered_id').where('id', '=', id).executeTakeFirstOrThrow()).delivered_id!;
    const form = await openForm(actionIds.classifySpend, { vendor: 'TokenCo', period: '2024-10' }, ts, 'UANA');
    expect(form.callback_id).toBe(formIds.classifySpend);
    expect(JSON.stringify(form.blocks)).toContain('"initial_option":{"text":{"type":"plain_text","text":"ai"');
    await submit(formIds.classifySpend, form.private_metadata, 'UANA', { category: 'ai', glAccount: '6420', costCenter: 'CC-200', owner: 'ml-team@acme.example' });
    await h.slack.waitFor(() => updatesOf(ts).length === 1);
    const updated = JSON.stringify(updatesOf(ts)[0]!.args.blocks);
    expect(updated).toContain('Classified by *@ana* as *ai*');
    expect(updated).toContain('chat-tokenco-2024-10');
    const contract = await h.store.db.selectFrom('contract').selectAll().where('id', '=', 'chat-tokenco-2024-10').executeTakeFirstOrThrow();
    expect(contract).toMatchObject({ applied_by: 'ana' });
    const lines = await sql<{ contract_id: string; gl_account: string; owner: string }>`SELECT contract_id, gl_account, owner FROM cost_line WHERE publisher_name = 'TokenCo'`.execute(h.store.db);
    expect(lines.rows).toEqual([{ contract_id: 'chat-tokenco-2024-10', gl_account: '6420', owner: 'o' }]);
    expect(await count('audit_log', sql`action = 'contract.add' AND subject_id = 'chat-tokenco-2024-10' AND actor = 'ana' AND surface = 'slack'`)).toBe(1);
    const after = await listUnclassifiedSpend(h.store, { period: parseBillingMonth('2024-10'), governedCategories: h.config.attribution.governedCategories });
    expect(after.vendors.map((v) => v.vendor)).not.toContain('TokenCo');
    // Another click on Classify of the vendor is answered privately, naming who classified it.
    const since = h.slack.calls.length;
    await click(actionIds.classifySpend, { vendor: 'TokenCo', period: '2024-10' }, ts, 'UFIN');
    expect(String((await ephemeralTo('UFIN', since)).args.text)).toContain('@ana classified TokenCo as ai');
    expect(await count('audit_log', sql`subject_type = 'contract' AND subject_id = 'chat-tokenco-2024-10'`)).toBe(1);
  });

  it('define, subscribe and mute answer privately', async () => {
    const t = trigger();
    await postSlack(h.server.url, slashCommandBody({ text: 'subscribe CC-100', userId: 'UANA', channelId: channel, triggerId: t }), { secret: signingSecret });
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral' && c.ok));
    expect(String(h.slack.callsOf('chat.postEphemeral')[0]!.args.text)).toContain('This channel now gets the alerts of CC-100');
    expect(await count('audit_log', sql`actor = 'ana' AND surface = 'slack' AND action LIKE '%subscri%'`)).toBe(1);
    h.slack.calls.length = 0;
    await postSlack(h.server.url, slashCommandBody({ text: 'define "no such term"', userId: 'UANA', channelId: channel, triggerId: trigger() }), { secret: signingSecret });
    await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral' && c.ok));
    expect(String(h.slack.callsOf('chat.postEphemeral')[0]!.args.text)).toContain('is not in the glossary');
  });
});
