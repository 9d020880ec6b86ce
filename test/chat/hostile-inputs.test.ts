import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { blockActionsBody, blockSuggestionBody, postSlack, slashCommandBody, viewSubmissionBody } from '../support/signed-slack-request.js';
import type { SlackApiCall } from '../support/fake-slack-api.js';
import { cli } from '../support/run-cli.js';
import { runCli } from '../../src/cli.js';
import { queueChatMessage } from '../../src/app/queue-chat-message.js';
import { listUnclassifiedSpend } from '../../src/app/list-unclassified-spend.js';
import { classifyVendor } from '../../src/app/classify-vendor.js';
import { parseBillingMonth } from '../../src/domain/billing-month.js';
import { actionIds, formIds } from '../../src/messages/views/interaction-ids.js';
import { unclassifiedNewSpendAlert } from '../../src/messages/views/unclassified-new-spend-alert.js';
import { unclassifiedAlertView } from '../../src/server/view-inputs/unclassified-alert-view.js';
import { grantRole, revokeRole } from '../../src/store/people.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startServer } from '../../src/main/start-server.js';
import { eventually, signedTeams, signingSecret, startChatHarness, type ChatHarness } from './chat-harness.js';
import { postTeamsActivity, teamsChannelActivity, teamsUser } from './teams-activity.js';
import { proposeTestSaving, seedOrganisation } from './interactions-seed.js';

// The hostile review of issue 12, replayed: real signed Slack requests and Teams activities against
// the running server (and the CLI), each refused with nothing changed and no message updated,
// asserted on the database and on the fake Slack API / Bot Connector call logs; and the rightful
// paths still working (the owner claims, ITFM approves, a stale form gets CONFLICT, onboarding).

const channel = 'CHOSTILE';
const conversationId = '19:hostile@thread.tacv2';

const teamsActivity = (serviceUrl: string, aad: string, fields: Record<string, unknown>, tenant = 'tenant-1') =>
  teamsChannelActivity(serviceUrl, conversationId, teamsUser(aad), fields, tenant);

describe.each(storeKinds)('hostile inputs against serve and the CLI on %s', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  let n = 0;
  const trigger = () => `${kind}-h-${++n}`;
  const count = async (table: string, where = sql`true`) =>
    Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)} WHERE ${where}`.execute(h.store.db)).rows[0]!.n);
  const settled = async () => {
    await eventually(async () => (await count('chat_outbox', sql`status IN ('pending', 'sending')`)) === 0);
    await new Promise((r) => setTimeout(r, 150));
  };
  const messageUpdates = () => h.slack.callsOf('chat.update').filter((c) => c.ok).length + h.connector.calls.filter((c) => c.method === 'PUT').length;

  /** Everything a decision could change, and every in-place message update so far. */
  const snapshot = async () => ({
    items: (await sql`SELECT id, status, claimed_by, claim_cost_center, claim_scope, dismissed_by FROM unattributed_item ORDER BY id`.execute(h.store.db)).rows,
    rules: (await sql`SELECT id, origin, author FROM attribution_rule ORDER BY id`.execute(h.store.db)).rows,
    contracts: (await sql`SELECT id, applied_by FROM contract ORDER BY id`.execute(h.store.db)).rows,
    lines: (await sql<{ h: string }>`SELECT md5(string_agg(concat_ws(':', id, cost_center, owner, contract_id, gl_account), ',' ORDER BY id)) AS h FROM cost_line`.execute(h.store.db)).rows[0]!.h,
    savings: (await sql`SELECT id, status, version, recognized_by, closed_by FROM saving ORDER BY id`.execute(h.store.db)).rows,
    revisions: await count('budget_revision'),
    explanations: await count('variance_explanation'),
    people: (await sql`SELECT id, email, slack_user_id, teams_aad_id FROM person ORDER BY id`.execute(h.store.db)).rows,
    roles: (await sql`SELECT person_id, role, cost_center_code FROM person_role ORDER BY 1, 2, 3`.execute(h.store.db)).rows,
    recorded: await count('audit_log', sql`outcome = 'recorded'`),
    updates: messageUpdates(),
  });
  type Snapshot = Awaited<ReturnType<typeof snapshot>>;
  const expectNothingChanged = async (before: Snapshot) => {
    await settled();
    expect(await snapshot()).toEqual(before);
  };

  const slack = (body: string, timestamp?: number) => postSlack(h.server.url, body, { secret: signingSecret, ...(timestamp !== undefined ? { timestamp } : {}) });
  const command = async (text: string, user = 'UANA'): Promise<string[]> => {
    const t = trigger();
    expect((await slack(slashCommandBody({ text, userId: user, channelId: channel, triggerId: t }))).status).toBe(200);
    await eventually(async () => (await count('chat_outbox', sql`purpose LIKE ${`command-%:${t}%`}`)) > 0);
    await settled();
    return (await h.store.db.selectFrom('chat_outbox').select('delivered_id').where('purpose', 'like', `command-post:${t}:%`).orderBy('id').execute()).map((r) => r.delivered_id!);
  };
  const click = async (actionId: string, payload: Record<string, string>, messageTs: string, user: string, extra: { teamId?: string; userTeamId?: string; apiAppId?: string } = {}) => {
    const r = await slack(blockActionsBody({ actionId, value: JSON.stringify(payload), userId: user, channelId: channel, messageTs, triggerId: trigger(), ...extra }));
    expect(r.status).toBe(200);
  };
  const openForm = async (actionId: string, payload: Record<string, string>, messageTs: string, user: string): Promise<string> => {
    const before = h.slack.callsOf('views.open').length;
    await click(actionId, payload, messageTs, user);
    await h.slack.waitFor((calls) => calls.filter((c) => c.method === 'views.open' && c.ok).length > before);
    return (h.slack.callsOf('views.open')[before]!.args.view as { private_metadata: string }).private_metadata;
  };
  const submit = async (callbackId: string, privateMetadata: string, user: string, values: Record<string, string>) => {
    expect((await slack(viewSubmissionBody({ callbackId, privateMetadata, userId: user, triggerId: trigger(), values }))).status).toBe(200);
  };
  /** The next private answer to a user after `since` calls: ephemeral in a channel, or a DM. */
  const answerTo = async (user: string, since: number): Promise<SlackApiCall> => {
    const is = (c: SlackApiCall) => c.ok && ((c.method === 'chat.postEphemeral' && c.args.user === user) || (c.method === 'chat.postMessage' && c.args.channel === user));
    await h.slack.waitFor((calls) => calls.slice(since).some(is));
    return h.slack.calls.slice(since).find(is)!;
  };
  const answerText = (c: SlackApiCall) => `${String(c.args.text)} ${JSON.stringify(c.args.blocks)}`;
  const teams = (body: Record<string, unknown>) => postTeamsActivity(h, body);
  const invoke = (aad: string, replyToId: string, verb: string, data: Record<string, unknown>, tenant?: string) =>
    teams(teamsActivity(h.connector.serviceUrl, aad, { type: 'invoke', name: 'adaptiveCard/action', id: `${kind}-inv-${++n}`, replyToId, value: { action: { type: 'Action.Execute', verb, data } } }, tenant));
  /** The CLI with extra environment (COSTBRIDGE_USER), on this test's database. */
  const cliWithEnv = async (env: Record<string, string>, ...args: string[]) => {
    let stderr = '';
    const code = await runCli(['node', 'costbridge', ...args], { out: () => undefined, err: (t) => (stderr += `${t}\n`) }, { ...tdb.env, ...env }, kind === 'pglite' ? await tdb.shared() : undefined);
    return { code, stderr };
  };
  const itemId = async (service: string) => String((await h.store.db.selectFrom('unattributed_item').select('id').where('service_name', '=', service).executeTakeFirstOrThrow()).id);
  const postedWith = async (timestamps: readonly string[], needle: string): Promise<string> => {
    const rows = await h.store.db.selectFrom('chat_outbox').select(['delivered_id', 'payload']).where('delivered_id', 'in', [...timestamps]).execute();
    return rows.find((r) => JSON.stringify(r.payload).includes(needle))!.delivered_id!;
  };

  let alertTs: string;
  let signOffTs: string;
  let savingId: string;
  let classifyTs: string;
  let teamsAlertId: string;
  let teamsClassifyId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    const store = await tdb.shared();
    await seedOrganisation(tdb, store);
    // A child of CC-100 whose master-data owner is not known to costbridge yet, an admin, two more itfm people.
    await sql`INSERT INTO cost_center (code, name, parent_code, owner) VALUES ('CC-110', 'Platform EU', 'CC-100', 'eu.lead@acme.example')`.execute(store.db);
    const by = { actor: 'test', surface: 'cli' as const };
    await grantRole(store.db, { id: 'root', details: { name: 'Root Admin' }, role: 'admin', costCenter: null }, by);
    await grantRole(store.db, { id: 'iva', details: { name: 'Iva Itfm', slackUserId: 'UIVA', teamsAadId: 'aad-iva' }, role: 'itfm', costCenter: null }, by);
    await grantRole(store.db, { id: 'ivy', details: { name: 'Ivy Approver', email: 'ivy@acme.example' }, role: 'itfm', costCenter: null }, by);
    h = await startChatHarness(tdb, signedTeams());

    [alertTs] = (await command('unattributed')) as [string];
    savingId = await proposeTestSaving(h.store, 'Rightsize the hostile fleet');
    signOffTs = await postedWith(await command('savings proposed'), `"savingId":"${savingId}"`);
    const spend = await listUnclassifiedSpend(h.store, { period: parseBillingMonth('2024-10'), governedCategories: [] });
    const classify = await queueChatMessage(h.store, { platform: 'slack', operation: 'post', purpose: 'hostile-unclassified', target: channel, payload: unclassifiedNewSpendAlert(unclassifiedAlertView(spend)) });
    await settled();
    classifyTs = (await h.store.db.selectFrom('chat_outbox').select('delivered_id').where('id', '=', classify.id).executeTakeFirstOrThrow()).delivered_id!;
    // The same alerts in Teams (the conversation reference comes with the first activity).
    expect((await teams(teamsActivity(h.connector.serviceUrl, 'aad-ana', { type: 'message', id: `${kind}-t-cmd`, text: 'unattributed 2024-10' }))).status).toBe(200);
    await eventually(async () => (await count('chat_outbox', sql`purpose = ${`command-post:${kind}-t-cmd:0`} AND status = 'sent'`)) === 1);
    teamsAlertId = (await h.store.db.selectFrom('chat_outbox').select('delivered_id').where('purpose', '=', `command-post:${kind}-t-cmd:0`).executeTakeFirstOrThrow()).delivered_id!;
    const tc = await queueChatMessage(h.store, { platform: 'teams', operation: 'post', purpose: 'hostile-unclassified', target: conversationId, payload: unclassifiedNewSpendAlert(unclassifiedAlertView(spend)) });
    await settled();
    teamsClassifyId = (await h.store.db.selectFrom('chat_outbox').select('delivered_id').where('id', '=', tc.id).executeTakeFirstOrThrow()).delivered_id!;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await tdb?.drop();
  });
  beforeEach(() => {
    h.slack.calls.length = 0;
    h.connector.calls.length = 0;
  });

  describe('refused, with nothing changed and no message updated', () => {
    it('classify forging a vendor: a crafted Teams submission naming the main provider, a Classify of it, and the use case itself', async () => {
      const before = await snapshot();
      const crafted = JSON.stringify({ vendor: 'Nimbus', period: '2024-10', origin: { target: conversationId, messageId: teamsAlertId } });
      const forged = await invoke('aad-bo', teamsClassifyId, formIds.classifySpend, { metadata: crafted, category: 'cloud', glAccount: '9999', costCenter: 'CC-100' });
      expect(forged.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
      expect(String(forged.body!.value)).toContain('was not opened by costbridge for this action');
      // An owner may not classify at all; an itfm person may not classify a vendor the alert does not carry.
      expect(String((await invoke('aad-bo', teamsClassifyId, actionIds.classifySpend, { vendor: 'TokenCo', period: '2024-10' })).body!.value)).toContain('bo may not classify new spend: it needs finops, itfm or admin');
      expect(String((await invoke('aad-ana', teamsClassifyId, actionIds.classifySpend, { vendor: 'Nimbus', period: '2024-10' })).body!.value)).toContain('not on a message costbridge posted');
      // The use case refuses a vendor outside that month's unclassified list whoever asks.
      const direct = await classifyVendor(h.store, { vendor: 'Nimbus', period: '2024-10', category: 'cloud', glAccount: '9999', costCenter: 'CC-100', owner: undefined, governedCategories: [], actor: 'ana', surface: 'teams' });
      expect(direct).toMatchObject({ ok: false, code: 'NOT_UNCLASSIFIED', message: expect.stringContaining('"Nimbus" has no unclassified new spend in 2024-10') });
      await expectNothingChanged(before);
      expect(await count('audit_log', sql`action = 'spend.classify' AND outcome = 'refused'`)).toBeGreaterThanOrEqual(2);
      expect(h.connector.calls.filter((c) => c.method === 'PUT')).toEqual([]);
    });

    it('a forged form origin: a crafted approve submission pointing at the unattributed alert, and another person submitting a real form', async () => {
      const before = await snapshot();
      let since = h.slack.calls.length;
      await submit(formIds.approveSaving, JSON.stringify({ savingId, origin: { target: channel, messageId: alertTs } }), 'UBO', { amount: '400', fromPeriod: '2024-10' });
      expect(answerText(await answerTo('UBO', since))).toContain('FORM_UNKNOWN');
      // Ana opens the approve form from the sign-off request; Bo submits it as his own.
      const anaForm = await openForm(actionIds.approveSaving, { savingId }, signOffTs, 'UANA');
      since = h.slack.calls.length;
      await submit(formIds.approveSaving, anaForm, 'UBO', { amount: '400', fromPeriod: '2024-10' });
      expect(answerText(await answerTo('UBO', since))).toContain('This form was opened for ana, not for you');
      // Teams: a crafted submit with the alert as its origin.
      const teamsForged = await invoke('aad-bo', teamsAlertId, formIds.approveSaving, { metadata: JSON.stringify({ savingId, origin: { target: conversationId, messageId: teamsAlertId } }), amount: '400', fromPeriod: '2024-10' });
      expect(String(teamsForged.body!.value)).toContain('was not opened by costbridge for this action');
      await expectNothingChanged(before);
      expect(h.slack.callsOf('chat.update')).toEqual([]);
      expect(await count('audit_log', sql`action = 'form.submit' AND actor = 'bo' AND outcome = 'refused'`)).toBeGreaterThanOrEqual(3);
    });

    it('a refused decision updates no message: an approver who lost itfm before submitting', async () => {
      const form = await openForm(actionIds.approveSaving, { savingId }, signOffTs, 'UIVA');
      await revokeRole(h.store.db, { id: 'iva', role: 'itfm' }, { actor: 'test', surface: 'cli' }, () => undefined);
      const before = await snapshot();
      const since = h.slack.calls.length;
      await submit(formIds.approveSaving, form, 'UIVA', { amount: '400', fromPeriod: '2024-10' });
      expect(answerText(await answerTo('UIVA', since))).toContain('iva may not sign off a saving of CC-100: it needs itfm');
      await expectNothingChanged(before);
      await grantRole(h.store.db, { id: 'iva', details: {}, role: 'itfm', costCenter: null }, { actor: 'test', surface: 'cli' });
    });

    it('claims without authorization: another cost center, scope future by an owner above it, items not on the message, unknown users', async () => {
      const db = await itemId('DB');
      const cache = await itemId('Cache');
      const before = await snapshot();
      // Cy owns CC-200 only.
      const cyForm = await openForm(actionIds.claimItem, { itemId: db }, alertTs, 'UCY');
      let since = h.slack.calls.length;
      await submit(formIds.claimItem, cyForm, 'UCY', { costCenter: 'CC-100', scope: 'item' });
      const cy = answerText(await answerTo('UCY', since));
      expect(cy).toContain('cy may not claim spend for CC-100: it needs owner of CC-100 or of a cost center above it, finops or admin; cy holds owner for CC-200; held by bo (owner for CC-100), fin (finops), root (admin)');
      // Bo owns CC-100: he may claim this item for its child CC-110, but not make the permanent rule for it.
      const boForm = await openForm(actionIds.claimItem, { itemId: cache }, alertTs, 'UBO');
      since = h.slack.calls.length;
      await submit(formIds.claimItem, boForm, 'UBO', { costCenter: 'CC-110', scope: 'future' });
      expect(answerText(await answerTo('UBO', since))).toContain('bo may not claim all future matching spend for CC-110: it needs finops, admin or owner of CC-110');
      // Buttons naming an item the message does not carry, or on a message costbridge never posted.
      since = h.slack.calls.length;
      await click(actionIds.claimItem, { itemId: db }, signOffTs, 'UBO');
      expect(answerText(await answerTo('UBO', since))).toContain('not on a message costbridge posted');
      since = h.slack.calls.length;
      await click(actionIds.claimItem, { itemId: db }, '1699999999.000001', 'UBO');
      expect(answerText(await answerTo('UBO', since))).toContain('not on a message costbridge posted');
      // Nobody costbridge knows is told who the admins are; no form opens.
      since = h.slack.calls.length;
      await click(actionIds.claimItem, { itemId: db }, alertTs, 'UNOBODY');
      expect(answerText(await answerTo('UNOBODY', since))).toContain('Ask a costbridge admin (root) to add you');
      expect(h.slack.callsOf('views.open').filter((c) => c.ok)).toHaveLength(2);
      await expectNothingChanged(before);
      expect(await count('audit_log', sql`action = 'unattributed.claim' AND outcome = 'refused' AND actor IN ('cy', 'bo')`)).toBe(2);
      expect(await count('audit_log', sql`action = 'chat.button' AND outcome = 'refused' AND actor = 'bo'`)).toBe(2);
    });

    it('the CLI: --as a person who does not exist, claims and dismissals outside the policy, a reject that would undo an approval', async () => {
      const vm = await itemId('Virtual Machines');
      const before = await snapshot();
      const ghost = await cli(tdb, 'claim', vm, '--cost-center', 'CC-100', '--as', 'ghost-not-a-person');
      expect(ghost.code).toBe(1);
      expect(ghost.stderr).toContain('"ghost-not-a-person" is not a known person');
      expect(ghost.stderr).toContain('ask an admin (root)');
      const viaEnv = await cliWithEnv({ COSTBRIDGE_USER: 'ghost-not-a-person' }, 'savings', 'approve', savingId);
      expect(viaEnv.code).toBe(1);
      expect(viaEnv.stderr).toContain('"ghost-not-a-person" is not a known person');
      const cy = await cli(tdb, 'claim', vm, '--cost-center', 'CC-100', '--rule-scope', 'item', '--as', 'cy@acme.example');
      expect(cy.stderr).toContain('cy may not claim spend for CC-100');
      const future = await cli(tdb, 'claim', vm, '--cost-center', 'CC-110', '--rule-scope', 'future', '--as', 'UBO');
      expect(future.stderr).toContain('bo may not claim all future matching spend for CC-110');
      const dismiss = await cli(tdb, 'dismiss', vm, '--reason', 'not ours', '--as', 'bo@acme.example');
      expect(dismiss.stderr).toContain('bo may not dismiss unattributed spend: it needs finops or admin');
      const reverse = await cli(tdb, 'savings', 'reverse', savingId, '--reason', 'x', '--as', 'bo@acme.example');
      expect(reverse.stderr).toContain('it needs itfm');
      await expectNothingChanged(before);
      expect(await count('audit_log', sql`outcome = 'refused' AND actor = 'ghost-not-a-person' AND action = 'cli.command'`)).toBe(2);
      // Not only decisions the policy governs: any command run as somebody must name a known person.
      const rule = await cli(tdb, 'rules', 'add', '--set', 'cost-center=CC-100', '--provider', 'Nimbus', '--priority', '50', '--from', '2026-11', '--as', 'ghost-not-a-person');
      expect(rule.code).toBe(1);
      expect(rule.stderr).toContain('"ghost-not-a-person" is not a known person');
      await expectNothingChanged(before);
    });

    it('identity by email from another workspace or app: refused before anything is looked up', async () => {
      h.slack.emails.set('UEVIL', 'ivy@acme.example');
      const before = await snapshot();
      const inbound = await count('chat_inbound');
      await click(actionIds.approveSaving, { savingId }, signOffTs, 'UEVIL', { teamId: 'T0EVIL' });
      // Slack Connect: a foreign user in a shared channel of our workspace.
      await click(actionIds.approveSaving, { savingId }, signOffTs, 'UEVIL', { userTeamId: 'T0EVIL' });
      await click(actionIds.approveSaving, { savingId }, signOffTs, 'UEVIL', { apiAppId: 'A0OTHER' });
      expect((await slack(slashCommandBody({ text: 'whoami', userId: 'UEVIL', channelId: channel, triggerId: trigger(), teamId: 'T0EVIL' }))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      expect(h.slack.calls).toEqual([]);
      expect(await count('chat_inbound')).toBe(inbound);
      expect(h.log.text).toContain('slack request refused: not from an allowed workspace');
      expect(h.log.text).toContain('team T0EVIL is not allowed');
      expect(h.log.text).toContain('app A0OTHER is not this bot');
      // Teams: a user of another tenant whose mail matches an itfm approver.
      h.connector.members.set('29:aad-evil', { id: '29:aad-evil', name: 'Evil', aadObjectId: 'aad-evil', email: 'ivy@acme.example' });
      const foreign = await teams({ ...teamsActivity(h.connector.serviceUrl, 'aad-evil', { type: 'invoke', name: 'adaptiveCard/action', id: `${kind}-evil`, replyToId: teamsAlertId, value: { action: { type: 'Action.Execute', verb: actionIds.approveSaving, data: { savingId } } } }, 'tenant-evil'), conversation: { id: '19:evil@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-evil' } });
      expect(foreign.body).toMatchObject({ statusCode: 403, type: 'application/vnd.microsoft.error' });
      expect(await count('teams_conversation', sql`conversation_id = '19:evil@thread.tacv2'`)).toBe(0);
      expect(h.connector.calls).toEqual([]);
      expect(h.log.text).toContain('teams activity refused: not from an allowed tenant');
      await expectNothingChanged(before);
    });

    it('a bound chat id is never overridden by an email match (Slack and Teams)', async () => {
      h.slack.emails.set('UMALLORY', 'bo@acme.example');
      h.connector.members.set('29:aad-mallory', { id: '29:aad-mallory', name: 'Mallory', aadObjectId: 'aad-mallory', email: 'BO@acme.example' });
      const before = await snapshot();
      const since = h.slack.calls.length;
      await click(actionIds.claimItem, { itemId: await itemId('DB') }, alertTs, 'UMALLORY');
      expect(answerText(await answerTo('UMALLORY', since))).toContain('does not know you yet');
      const t = await invoke('aad-mallory', teamsAlertId, actionIds.claimItem, { itemId: await itemId('DB') });
      expect(String(t.body!.value)).toContain('does not know you yet');
      await expectNothingChanged(before);
      expect(await count('audit_log', sql`action = 'person.bind' AND outcome = 'refused' AND subject_id = 'bo'`)).toBe(2);
    });

    it('Slack timestamps ten minutes off, in either direction, get 401 and are not processed', async () => {
      // On a loaded machine the previous test's message update can land late: wait for quiet first.
      for (let seen = -1; seen !== h.slack.calls.length; ) {
        seen = h.slack.calls.length;
        await new Promise((r) => setTimeout(r, 500));
      }
      h.slack.calls.length = 0;
      const before = await snapshot();
      const inbound = await count('chat_inbound');
      const now = Math.floor(Date.now() / 1000);
      for (const skew of [600, -600, 301]) {
        const r = await slack(blockActionsBody({ actionId: actionIds.approveSaving, value: JSON.stringify({ savingId }), userId: 'UANA', channelId: channel, messageTs: signOffTs, triggerId: trigger() }), now + skew);
        expect(r.status).toBe(401);
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(h.slack.calls).toEqual([]);
      expect(await count('chat_inbound')).toBe(inbound);
      await expectNothingChanged(before);
    });

    it('the cost-center search answers only known people', async () => {
      const ask = (user: string) => slack(blockSuggestionBody({ userId: user, value: 'CC-1', callbackId: formIds.claimItem, actionId: 'costCenter' }));
      expect(JSON.parse((await ask('UNOBODY')).text)).toEqual({ options: [] });
      const known = JSON.parse((await ask('UBO')).text) as { options: { value: string }[] };
      expect(known.options.map((o) => o.value)).toEqual(expect.arrayContaining(['CC-100', 'CC-110']));
    });

    it('with TEAMS_ALLOW_UNAUTHENTICATED=true, serve listens on loopback only', async () => {
      const config = loadConfig({ ...tdb.env, PORT: '0', TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
      const server = await startServer(config, h.store, { log: createLogger(loadConfig({ LOG_LEVEL: 'silent' })), outbox: false });
      try {
        expect(server.host).toBe('127.0.0.1');
        expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
        const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
        if (external) {
          const reached = await new Promise<boolean>((resolve) => {
            const socket = connect({ host: external, port: server.port }, () => (socket.destroy(), resolve(true)));
            socket.on('error', () => resolve(false));
          });
          expect(reached).toBe(false);
        }
      } finally {
        await server.close();
      }
    });
  });

  describe('the rightful paths', () => {
    it('a stale Reject after an approval gets CONFLICT naming the approval; the approval stands and the request was updated once', async () => {
      const rejectForm = await openForm(actionIds.rejectSaving, { savingId }, signOffTs, 'UIVA');
      const approveForm = await openForm(actionIds.approveSaving, { savingId }, signOffTs, 'UANA');
      await submit(formIds.approveSaving, approveForm, 'UANA', { amount: '350', fromPeriod: '2024-10' });
      await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.update' && c.ok && c.args.ts === signOffTs));
      const approved = await h.store.db.selectFrom('saving').select(['status', 'version', 'recognized_by']).where('id', '=', savingId).executeTakeFirstOrThrow();
      expect(approved).toEqual({ status: 'recognized', version: 3, recognized_by: 'ana' });
      const before = await snapshot();
      const since = h.slack.calls.length;
      await submit(formIds.rejectSaving, rejectForm, 'UIVA', { reason: 'does not add up' });
      const conflict = answerText(await answerTo('UIVA', since));
      expect(conflict).toContain('That was already decided.');
      expect(conflict).toMatch(/changed since you looked at it \(version 1\): it was approved by ana at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(recognized, version 3\); nothing was changed/);
      await expectNothingChanged(before);
      expect(h.slack.callsOf('chat.update').filter((c) => c.args.ts === signOffTs)).toHaveLength(1);
      expect(await count('budget_revision', sql`saving_id = ${savingId}`)).toBe(3);
      // The CLI cannot undo it either: rejecting a recognized saving is refused; reversing is its own command.
      const reject = await cli(tdb, 'savings', 'reject', savingId, '--reason', 'x', '--as', 'iva');
      expect(reject.stderr).toContain(`to undo its recognition: costbridge savings reverse ${savingId}`);
      await expectNothingChanged(before);
    });

    it('the rightful owner claims; a master-data owner is onboarded on first contact (Slack and Teams) and claims without people add', async () => {
      const db = await itemId('DB');
      const form = await openForm(actionIds.claimItem, { itemId: db }, alertTs, 'UBO');
      await submit(formIds.claimItem, form, 'UBO', { costCenter: 'CC-100', scope: 'future' });
      await h.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.update' && c.ok && c.args.ts === alertTs));
      expect(await h.store.db.selectFrom('unattributed_item').select(['status', 'claimed_by', 'claim_scope']).where('id', '=', Number(db)).executeTakeFirstOrThrow()).toEqual({ status: 'claimed', claimed_by: 'bo', claim_scope: 'future' });

      // plat@acme.example owns CC-100 in the master data and has never been added.
      h.slack.emails.set('UPLAT', 'plat@acme.example');
      const vm = await itemId('Virtual Machines');
      const platForm = await openForm(actionIds.claimItem, { itemId: vm }, alertTs, 'UPLAT');
      await submit(formIds.claimItem, platForm, 'UPLAT', { costCenter: 'CC-100', scope: 'item' });
      await eventually(async () => (await count('unattributed_item', sql`id = ${Number(vm)} AND claimed_by = 'plat@acme.example'`)) === 1);
      const plat = await h.store.db.selectFrom('person').select(['id', 'email', 'slack_user_id', 'slack_team_id']).where('id', '=', 'plat@acme.example').executeTakeFirstOrThrow();
      expect(plat).toEqual({ id: 'plat@acme.example', email: 'plat@acme.example', slack_user_id: 'UPLAT', slack_team_id: 'T0FAKE' });
      expect(await count('person_role', sql`person_id = 'plat@acme.example' AND role = 'owner' AND cost_center_code = 'CC-100'`)).toBe(1);
      expect(await count('audit_log', sql`action = 'person.onboard' AND subject_id = 'plat@acme.example' AND surface = 'slack'`)).toBe(1);

      // Teams: eu.lead@acme.example owns CC-110; their first message onboards them.
      h.connector.members.set('29:aad-eu', { id: '29:aad-eu', name: 'EU Lead', aadObjectId: 'aad-eu', email: 'eu.lead@acme.example' });
      expect((await teams(teamsActivity(h.connector.serviceUrl, 'aad-eu', { type: 'message', id: `${kind}-eu-whoami`, text: 'whoami' }))).status).toBe(200);
      await h.connector.waitFor((calls) => calls.some((c) => c.method === 'POST' && c.status === 200 && JSON.stringify(c.body).includes('owner for CC-110')));
      expect(await h.store.db.selectFrom('person').select(['teams_aad_id', 'teams_tenant_id']).where('id', '=', 'eu.lead@acme.example').executeTakeFirstOrThrow()).toEqual({ teams_aad_id: 'aad-eu', teams_tenant_id: 'tenant-1' });

      // And an itfm approver known by email only is bound (audited) inside the allowed workspace.
      h.slack.emails.set('UIVY', 'Ivy@acme.example');
      await command('whoami', 'UIVY');
      expect(await h.store.db.selectFrom('person').select(['slack_user_id', 'slack_team_id']).where('id', '=', 'ivy').executeTakeFirstOrThrow()).toEqual({ slack_user_id: 'UIVY', slack_team_id: 'T0FAKE' });
      expect(await count('audit_log', sql`action = 'person.bind' AND subject_id = 'ivy' AND outcome = 'recorded'`)).toBe(1);
    });
  });
});
