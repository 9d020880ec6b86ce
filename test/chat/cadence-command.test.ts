import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { postSlack, slashCommandBody } from '../support/signed-slack-request.js';
import { addCadence } from '../../src/app/cadence-add.js';
import { ensureDefaultReviewCadence } from '../../src/app/cadence-default.js';
import { grantRole } from '../../src/store/people.js';
import { signingSecret, startChatHarness, type ChatHarness } from './chat-harness.js';

describe.each(storeKinds)('/costbridge cadence on %s', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  let n = 0;

  /** Runs `/costbridge <text>` in #finops as `user` and returns the private answer's text and blocks. */
  const run = async (text: string, user: string) => {
    const t = `${kind}-cadence-${++n}`;
    expect((await postSlack(h.server.url, slashCommandBody({ text, userId: user, channelId: 'CFINOPS', triggerId: t, responseUrl: h.slack.responseUrl(t) }), { secret: signingSecret })).status).toBe(200);
    const [answer] = await h.slack.waitForResponses(t);
    return { text: String(answer!.body.text), blocks: JSON.stringify(answer!.body.blocks) };
  };
  const cadence = (name: string) => h.store.db.selectFrom('review_cadence').select(['paused']).where('name', '=', name).executeTakeFirstOrThrow();

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    h = await startChatHarness(tdb);
    const by = { actor: 'test', surface: 'cli' as const };
    await grantRole(h.store.db, { id: 'root', details: { name: 'Ada Admin', slackUserId: 'UADMIN' }, role: 'admin', costCenter: null }, by);
    await grantRole(h.store.db, { id: 'ana', details: { name: 'Ana Ito', slackUserId: 'UANA' }, role: 'itfm', costCenter: null }, by);
    const now = new Date();
    await ensureDefaultReviewCadence(h.store, { timezone: 'UTC', now });
    await addCadence(h.store, { name: 'variances', kind: 'variance-alert', cron: '0 8 * * *', timezone: 'Europe/Paris', channels: ['slack:CFINOPS'], costCenters: [], actor: 'test', surface: 'cli', now });
  });
  afterAll(async () => {
    await h?.close();
    await tdb?.drop();
  });

  it('lists the cadences for anyone, even someone costbridge does not know', async () => {
    const { text, blocks } = await run('cadence list', 'USTRANGER');
    expect(text).toBe('Review cadences: variances, weekly-digest');
    expect(blocks).toContain('variance-alert, 0 8 * * * (Europe/Paris)');
    expect(blocks).toContain('slack:CFINOPS');
    expect(blocks).toContain('weekly-digest, 0 9 * * 1 (UTC)');
    expect((await run('cadence', 'UANA')).text).toBe('Review cadences: variances, weekly-digest');
  });

  it('refuses pause, resume and mute to anyone but an admin, changing nothing', async () => {
    for (const words of ['cadence pause weekly-digest', 'cadence resume weekly-digest', 'cadence mute variances 7d']) {
      const { text } = await run(words, 'UANA');
      expect(text).toContain('ana may not pause, resume or mute a review cadence from chat: it needs admin');
      expect(text).toContain('held by root (admin)');
    }
    expect((await run('cadence pause weekly-digest', 'USTRANGER')).text).toContain('is not a known person');
    expect(await cadence('weekly-digest')).toEqual({ paused: false });
    expect(Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM alert_mute`.execute(h.store.db)).rows[0]!.n)).toBe(0);
    // Each refusal of a known person is audited as refused.
    expect(Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log WHERE outcome = 'refused' AND action LIKE 'cadence.%'`.execute(h.store.db)).rows[0]!.n)).toBe(3);
  });

  it('lets an admin pause and resume a cadence, audited as done from Slack', async () => {
    expect((await run('cadence pause weekly-digest', 'UADMIN')).text).toBe('Paused cadence weekly-digest.');
    expect(await cadence('weekly-digest')).toEqual({ paused: true });
    expect((await run('cadence pause weekly-digest', 'UADMIN')).text).toBe('Cadence weekly-digest was already paused.');
    expect((await run('cadence list', 'UANA')).text).toBe('Review cadences: variances, weekly-digest (paused)');
    expect((await run('cadence resume weekly-digest', 'UADMIN')).text).toContain('Resumed cadence weekly-digest.');
    expect(await cadence('weekly-digest')).toEqual({ paused: false });
    const audit = await sql<{ actor: string; surface: string }>`SELECT actor, surface FROM audit_log WHERE subject_type = 'cadence' AND subject_id = 'weekly-digest' AND actor = 'root' ORDER BY id`.execute(h.store.db);
    expect(audit.rows.length).toBeGreaterThanOrEqual(2);
    expect(audit.rows.every((r) => r.surface === 'slack')).toBe(true);
    expect((await run('cadence pause nope', 'UADMIN')).text).toContain('no cadence named "nope"');
  });

  it('lets an admin mute a cadence in this channel by its name, and lists the mute here', async () => {
    expect((await run('cadence mute variances 7d', 'UADMIN')).text).toContain('variance-alert is muted in this channel until');
    const mute = await h.store.db.selectFrom('alert_mute').selectAll().executeTakeFirstOrThrow();
    expect(mute).toMatchObject({ channel: 'slack:CFINOPS', kind: 'variance-alert', muted_by: 'root' });
    expect((await run('cadence list', 'UANA')).blocks).toContain('Muted here: variance-alert until');
    expect((await run('cadence mute weekly-digest 1d', 'UADMIN')).text).toContain('the weekly digest cannot be muted');
    expect((await run('cadence frobnicate', 'UADMIN')).text).toContain('"frobnicate" is not a cadence command: cadence list | cadence pause');
  });
});
