import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCadence } from '../../src/app/cadence-add.js';
import { muteAlertKind } from '../../src/app/cadence-mute.js';
import { subscribe } from '../../src/app/cadence-subscribe.js';
import { buildHandoff } from '../../src/app/build-handoff.js';
import { loadDemoData } from '../../src/app/load-demo-data.js';
import { runReview } from '../../src/app/review-run.js';
import { reviewSettings, type ReviewSettings } from '../../src/app/review-settings.js';
import { showback } from '../../src/app/showback.js';
import { loadConfig } from '../../src/config.js';
import { parseBillingMonth } from '../../src/domain/billing-month.js';
import { handoffDate } from '../../src/domain/business-days.js';
import { monthlyReviewDue } from '../../src/domain/digest.js';
import { formatMoney } from '../../src/domain/money.js';
import { reportSpend } from '../../src/app/report-spend.js';
import { spendDimensions } from '../../src/domain/spend-dimensions.js';
import { renderText } from '../../src/messages/render-text.js';
import type { Store } from '../../src/store/database.js';
import { runDeliveries } from '../../src/store/review-runs.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/test-stores.js';

const who = { actor: 'ana', surface: 'cli' as const };
const before = new Date('2026-08-01T00:00:00Z');

describe('monthly review due days', () => {
  it('hands off the open month on its handoff date and shows back the month before', () => {
    expect(handoffDate('2026-09', 3)).toBe('2026-09-25');
    expect(monthlyReviewDue('pre-close-handoff', '2026-09-24', 3)).toEqual({ period: '2026-09', dueOn: '2026-09-25', due: false });
    expect(monthlyReviewDue('pre-close-handoff', '2026-09-25', 3)).toEqual({ period: '2026-09', dueOn: '2026-09-25', due: true });
    expect(monthlyReviewDue('pre-close-handoff', '2026-09-28', 3).due).toBe(true);
    expect(monthlyReviewDue('monthly-showback', '2026-10-01', 3)).toEqual({ period: '2026-09', dueOn: '2026-10-01', due: true });
    expect(monthlyReviewDue('monthly-showback', '2026-01-03', 3).period).toBe('2025-12');
  });
});

describe.each(storeKinds)('monthly cadences on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let settings: ReviewSettings;
  let demoDir: string;
  let ownerCc: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    demoDir = await mkdtemp(join(tmpdir(), 'costbridge-monthly-'));
    await loadDemoData(store, { dir: demoDir, asOf: '2026-09-15', actor: 'demo', surface: 'cli' });
    settings = reviewSettings(loadConfig({ LOG_LEVEL: 'silent' }));
    // Master-data channels would add routes of their own; this test routes by subscription only.
    await store.db.updateTable('cost_center').set({ chat_channel: null }).execute();
    const handoff = await buildHandoff(store, { period: parseBillingMonth('2026-09'), asOf: '2026-09-25', windowDays: settings.windowDays, businessDays: settings.businessDays, materiality: settings.materiality });
    ownerCc = handoff.rows.find((r) => r.costCenter.startsWith('CC-') && r.costCenter !== 'CC-9999' && r.children === 0)!.costCenter;
    await subscribe(store, { channel: 'slack:COWNER1', costCenter: ownerCc, ...who, now: before });
  }, 120_000);
  afterAll(async () => {
    await tdb.drop();
    await rm(demoDir, { recursive: true, force: true });
  });

  it('pre-close handoff: quiet before the handoff date, posts the handoff once on it (owner channel gets its cost center only), quiet after', async () => {
    await addCadence(store, { name: 'handoff', kind: 'pre-close-handoff', cron: '0 8 * * *', timezone: 'UTC', channels: ['slack:CJOINT1'], costCenters: [], ...who, now: before });
    const base = { cadence: 'handoff', now: new Date(), trigger: 'manual' as const, ...who, runner: 't', settings };
    const early = await runReview(store, { ...base, at: new Date('2026-09-24T08:30:00Z') });
    expect(early.ok && early.quiet).toBe(true);
    if (!early.ok) return;
    expect(early.quietReason).toContain('due on 2026-09-25');

    const onDay = await runReview(store, { ...base, at: new Date('2026-09-25T08:30:00Z') });
    expect(onDay.ok && !onDay.quiet).toBe(true);
    if (!onDay.ok) return;
    const expected = await buildHandoff(store, { period: parseBillingMonth('2026-09'), asOf: '2026-09-25', windowDays: settings.windowDays, businessDays: settings.businessDays, materiality: settings.materiality, drivers: 3 });
    const overview = renderText(onDay.overview!);
    expect(overview).toContain('Pre-close handoff · 2026-09 [DEMO DATA]');
    expect(overview).toContain('handed to ITFM on 2026-09-25');
    // Every row, the unattributed (bridge) row included, and a total equal to the month's spend.
    expect(expected.rows.map((r) => r.costCenter)).toContain('(unattributed)');
    for (const row of expected.rows) {
      expect(overview).toContain(row.costCenter);
      expect(overview).toContain(formatMoney(row.projectedWithPlannedActions, row.currency));
    }
    const spend = await reportSpend(store, { period: parseBillingMonth('2026-09'), basis: 'effective', by: spendDimensions.filter((d) => d.name === 'cost-center') });
    expect(expected.totals.map((t) => [t.currency, t.monthToDate])).toEqual(spend.currencies.map((c) => [c.currency, c.total]));
    expect(overview).toContain(`Total: ${formatMoney(spend.currencies[0]!.total, 'USD')} to date`);
    // Without a carrier the unattributed spend has no budget: the message says so instead of "nothing over budget".
    const unattributed = expected.rows.find((r) => r.costCenter === '(unattributed)')!;
    if (unattributed.material) {
      expect(overview).toContain(`${formatMoney(unattributed.projectedWithPlannedActions, 'USD')} of unattributed spend (its own row) is projected with no budget`);
      expect(overview).not.toContain('No cost center is projected materially over budget');
    }
    const owner = onDay.messages!.find((m) => m.route.channel === 'slack:COWNER1')!;
    const ownerText = renderText(owner.message!);
    expect(ownerText).toContain(`Pre-close handoff · 2026-09 · ${ownerCc}`);
    const others = expected.rows.filter((r) => r.costCenter !== ownerCc && r.costCenter.startsWith('CC-')).map((r) => r.costCenter);
    for (const cc of others) expect(ownerText).not.toContain(cc);
    expect(onDay.agenda).toContainEqual(expect.objectContaining({ section: 'handoff', subjectId: '2026-09' }));
    const deliveries = await runDeliveries(store.db, [onDay.run!.id]);
    expect(deliveries.map((d) => [d.channel, d.status])).toEqual([
      ['slack:CJOINT1', 'queued'],
      ['slack:COWNER1', 'queued'],
    ]);

    const after = await runReview(store, { ...base, at: new Date('2026-09-28T08:30:00Z') });
    expect(after.ok && after.quiet).toBe(true);
    if (after.ok) expect(after.quietReason).toContain('already posted');
    const runs = await store.db.selectFrom('review_run').select(['status', 'outcome']).where('cadence_name', '=', 'handoff').orderBy('id').execute();
    expect(runs.map((r) => r.status)).toEqual(['quiet', 'queued', 'quiet']);

    // --force posts the month again on purpose.
    const forced = await runReview(store, { ...base, at: new Date('2026-09-28T08:30:00Z'), force: true });
    expect(forced.ok && forced.outcome === 'claimed' && !forced.quiet).toBe(true);
  });

  it('monthly showback: the closed month once, each owner channel its cost center\'s row, the joint channel the overview; mute honoured', async () => {
    await addCadence(store, { name: 'showback', kind: 'monthly-showback', cron: '0 9 * * *', timezone: 'UTC', channels: ['slack:CJOINT2', 'slack:CMUTED'], costCenters: [], ...who, now: before });
    await muteAlertKind(store, { channel: 'slack:CMUTED', kind: 'monthly-showback', duration: '30d', ...who, now: new Date('2026-09-01T00:00:00Z') });
    const base = { cadence: 'showback', now: new Date(), trigger: 'manual' as const, ...who, runner: 't', settings };
    const r = await runReview(store, { ...base, at: new Date('2026-09-02T09:30:00Z') });
    expect(r.ok && !r.quiet).toBe(true);
    if (!r.ok) return;
    const [effective, billed] = await Promise.all([
      showback(store, { period: parseBillingMonth('2026-08'), basis: 'effective', sharedPoolsFile: undefined }),
      showback(store, { period: parseBillingMonth('2026-08'), basis: 'billed', sharedPoolsFile: undefined }),
    ]);
    const usd = effective.currencies.find((c) => c.currency === 'USD')!;
    const overview = renderText(r.overview!);
    expect(overview).toContain('Showback · 2026-08 [DEMO DATA]');
    for (const row of usd.rows) expect(overview).toContain(formatMoney(row.total, 'USD'));
    // The bridge row: unattributed spend is a row of the table, and the total is every cost of the month.
    expect(overview).toMatch(new RegExp(`\\(unattributed\\)[^\\n]*${formatMoney(usd.unattributed, 'USD').replace(/[.$]/g, '\\$&')}[^\\n]*${formatMoney(billed.currencies.find((c) => c.currency === 'USD')!.unattributed, 'USD').replace(/[.$]/g, '\\$&')}`));
    const spend = await reportSpend(store, { period: parseBillingMonth('2026-08'), basis: 'effective', by: spendDimensions.filter((d) => d.name === 'cost-center') });
    expect(overview).toContain(`Total: ${formatMoney(spend.currencies.find((c) => c.currency === 'USD')!.total, 'USD')} effective`);

    const ownerRow = usd.rows.find((x) => x.costCenter === ownerCc)!;
    const owner = renderText(r.messages!.find((m) => m.route.channel === 'slack:COWNER1')!.message!);
    expect(owner).toContain(`Showback · 2026-08 · ${ownerCc}`);
    expect(owner).toContain(formatMoney(ownerRow.total, 'USD'));
    expect(owner).toContain(formatMoney(billed.currencies[0]!.rows.find((x) => x.costCenter === ownerCc)!.total, 'USD'));
    for (const other of usd.rows.filter((x) => x.costCenter !== ownerCc)) expect(owner).not.toContain(other.costCenter);
    expect(owner).not.toContain('Unattributed');

    const ds = await runDeliveries(store.db, [r.run!.id]);
    expect(ds.map((d) => [d.channel, d.status])).toEqual([
      ['slack:CJOINT2', 'queued'],
      ['slack:CMUTED', 'muted'],
      ['slack:COWNER1', 'queued'],
    ]);
    const again = await runReview(store, { ...base, at: new Date('2026-09-03T09:30:00Z') });
    expect(again.ok && again.quiet).toBe(true);
  });
});
