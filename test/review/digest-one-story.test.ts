import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCadence } from '../../src/app/cadence-add.js';
import { buildHandoff } from '../../src/app/build-handoff.js';
import { buildWeeklyDigest } from '../../src/app/build-weekly-digest.js';
import { listSavingItems } from '../../src/app/list-savings.js';
import { listUnattributedSpend } from '../../src/app/list-unattributed-spend.js';
import { loadDemoData } from '../../src/app/load-demo-data.js';
import { reportSpend } from '../../src/app/report-spend.js';
import { reportVariance } from '../../src/app/report-variance.js';
import { runReview } from '../../src/app/review-run.js';
import { reviewSettings, type ReviewSettings } from '../../src/app/review-settings.js';
import { renderSlackMessage } from '../../src/chat/slack/render.js';
import { loadConfig } from '../../src/config.js';
import { parseBillingMonth } from '../../src/domain/billing-month.js';
import type { WeeklyDigest } from '../../src/domain/digest.js';
import { Money } from '../../src/domain/money.js';
import { spendDimensions } from '../../src/domain/spend-dimensions.js';
import type { Message } from '../../src/messages/message-model.js';
import { renderText } from '../../src/messages/render-text.js';
import { digestIsEmpty, weeklyDigestMessages } from '../../src/messages/views/weekly-digest.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/test-stores.js';

const costCenter = spendDimensions.find((d) => d.name === 'cost-center')!;
const who = { actor: 'ana', surface: 'cli' as const };

/** Every amount a rendered message shows (`USD 1,234.56`, `+USD 12.00`, `-USD 3.40`, `USD -191.00`), as a 2-decimal string. */
function amountsIn(text: string): string[] {
  return [...text.matchAll(/([+-]?)USD (-?[\d,]+\.\d{2})/g)].map(([, sign, n]) => new Money(n!.replace(/,/g, '')).times(sign === '-' ? -1 : 1).toFixed(2));
}

const cents = (x: string | number) => new Money(x).toDecimalPlaces(2, Money.ROUND_HALF_UP).toFixed(2);

describe.each(storeKinds)('the weekly digest tells one story on the demo data (%s)', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let settings: ReviewSettings;
  let demoDir: string;
  const now = new Date('2026-12-03T13:27:00Z');

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    demoDir = await mkdtemp(join(tmpdir(), 'costbridge-one-story-'));
    await loadDemoData(store, { dir: demoDir, asOf: '2026-12-03', actor: 'demo', surface: 'cli' });
    await store.db.updateTable('cost_center').set({ chat_channel: null }).execute();
    settings = reviewSettings(loadConfig({ LOG_LEVEL: 'silent' }));
    await addCadence(store, { name: 'weekly-digest', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC', channels: ['slack:CJOINT'], costCenters: [], ...who, now: new Date('2026-10-01T00:00:00Z') });
  }, 120_000);
  afterAll(async () => {
    await tdb.drop();
    await rm(demoDir, { recursive: true, force: true });
  });

  async function preview(at: Date): Promise<{ digest: WeeklyDigest; parent: Message; thread: readonly Message[] }> {
    const r = await runReview(store, { cadence: 'weekly-digest', at, now, trigger: 'manual', dryRun: true, ...who, runner: 't', settings });
    if (!r.ok) throw new Error(r.message);
    return { digest: r.digest!, parent: r.overview!, thread: r.overviewThread! };
  }

  it('the joint overview opens with the decisions and fits 25 Slack blocks and 40 text lines', async () => {
    for (const at of [now, new Date('2026-11-30T09:00:00Z')]) {
      const { parent } = await preview(at);
      const { blocks } = renderSlackMessage(parent);
      const text = renderText(parent);
      expect(blocks.length, text).toBeLessThanOrEqual(25);
      expect(text.split('\n').length, text).toBeLessThanOrEqual(40);
      const kinds = parent.blocks.map((b) => b.kind);
      expect(kinds.slice(0, 2)).toEqual(['header', 'context']);
      expect(text.indexOf('Needs a decision')).toBeGreaterThan(0);
      expect(text.indexOf('Needs a decision')).toBeLessThan(text.indexOf('Numbers'));
    }
  });

  it('states one data cut and the real generation time, and every figure of the messages comes from that cut', async () => {
    const { digest, parent, thread } = await preview(now);
    expect(digest.dataThrough).toBe('2026-12-02');
    expect(digest.generatedAt).toBe(now.toISOString());
    const all = [parent, ...thread].map((m) => renderText(m));
    expect(all[0]).toContain('Data through 2026-12-02');
    expect(all[0]).toContain('generated 2026-12-03 13:27 UTC');
    expect(all[0]).not.toContain('2026-11-30 09:00');

    // The same figures from the CLI's use cases, for the same cut (the demo has no data after it).
    const period = parseBillingMonth(digest.period);
    const asOf = digest.asOf;
    const [handoff, effective, billed, unattributed, unattributedBilled, variance, proposed, validated] = await Promise.all([
      buildHandoff(store, { period, asOf, windowDays: settings.windowDays, businessDays: settings.businessDays, materiality: settings.materiality, drivers: 3 }),
      reportSpend(store, { period, basis: 'effective', by: [] }),
      reportSpend(store, { period, basis: 'billed', by: [] }),
      listUnattributedSpend(store, { period, basis: 'effective', requiredFields: settings.requiredFields, thresholds: { minAmount: settings.unattributedMinAmount, minShare: settings.unattributedMinShare } }),
      listUnattributedSpend(store, { period, basis: 'billed', requiredFields: settings.requiredFields, thresholds: { minAmount: '0', minShare: '0' } }),
      reportVariance(store, { period, against: 'previous', basis: 'effective', by: costCenter, asOf, drivers: 3, materiality: settings.materiality, ledger: false }),
      listSavingItems(store, { status: 'proposed' }),
      listSavingItems(store, { status: 'validated' }),
    ]);
    const trendMonths = await Promise.all(
      digest.trend!.points.map(async (p) => {
        const m = parseBillingMonth(p.period);
        const [spend, plan] = await Promise.all([reportSpend(store, { period: m, basis: 'effective', by: [] }), buildHandoff(store, { period: m, asOf: p.period === digest.period ? asOf : `${p.period}-28`, windowDays: settings.windowDays, businessDays: settings.businessDays, materiality: settings.materiality, drivers: 0 })]);
        return [spend.currencies[0]?.total ?? '0', plan.rows.reduce((s, r) => s.plus(r.budget), new Money(0)).toFixed()];
      }),
    );

    // Header = table = report spend.
    const total = effective.currencies[0]!.total;
    expect(digest.headline[0]!.effective).toBe(new Money(total).toFixed());
    expect(digest.headline[0]!.billed).toBe(new Money(billed.currencies[0]!.total).toFixed());
    // Rolled up along the hierarchy: the top-level rows (parents hold their children) sum to the headline.
    expect(digest.budgets.filter((b) => (b.depth ?? 0) === 0).reduce((s, b) => s.plus(b.monthToDate), new Money(0)).toFixed()).toBe(new Money(total).toFixed());
    for (const b of digest.budgets) {
      const row = handoff.rows.find((r) => r.costCenter === b.costCenter)!;
      expect([b.monthToDate, b.projected, b.budget, b.itfmForecast, b.differenceToBudget, b.differenceToForecast]).toEqual([
        row.monthToDate,
        row.projectedWithPlannedActions,
        row.budget,
        row.itfmForecast,
        row.differenceToBudget,
        row.differenceToForecast,
      ]);
    }
    // True counts: every open item above the threshold (credits are nothing to claim), not the list size.
    const claimable = unattributed.items.filter((i) => i.alert && new Money(i.effectiveCost).isPos());
    expect(digest.unattributed![0]!.openItems).toBe(claimable.length);
    expect(digest.sinceLast.stillOpen.unattributedItems).toBe(claimable.length);
    expect(digest.unattributed![0]!.topItems.map((i) => [i.itemId, i.effective])).toEqual(claimable.slice(0, 10).map((i) => [String(i.id), i.effectiveCost]));
    expect(digest.savingsAwaiting.map((s) => s.id).sort()).toEqual([...proposed, ...validated].map((s) => s.saving.id).sort());

    // Walk the messages: every amount shown is one of the use cases' figures (or a sum of a table's column).
    const rows = handoff.rows.filter((r) => digest.budgets.some((b) => b.costCenter === r.costCenter));
    const topLevel = rows.filter((r) => (digest.budgets.find((b) => b.costCenter === r.costCenter)!.depth ?? 0) === 0);
    const columns = (pick: (r: (typeof rows)[number]) => string) => [...rows.map(pick), topLevel.reduce((s, r) => s.plus(pick(r)), new Money(0)).toFixed()];
    const expected = new Set(
      [
        total,
        billed.currencies[0]!.total,
        ...columns((r) => r.monthToDate),
        ...columns((r) => r.projectedWithPlannedActions),
        ...columns((r) => r.budget),
        ...columns((r) => r.itfmForecast),
        ...columns((r) => r.differenceToBudget),
        ...columns((r) => r.differenceToForecast),
        unattributed.currencies[0]!.unattributedTotal,
        unattributedBilled.currencies[0]!.unattributedTotal,
        ...unattributed.items.map((i) => i.effectiveCost),
        ...variance.rows.flatMap((r) => [r.variance, ...Object.values(r.components)]),
        ...proposed.flatMap((s) => [s.saving.estimateMonthly]),
        ...trendMonths.flat(),
        ...(digest.newSpend ?? []).map((n) => n.effective),
        ...(digest.unattributed![0]!.unknownCostCenters.map((u) => u.effective)),
        ...digest.savingsRecognized.flatMap((s) => [s.reduction, s.avoidance]),
        '0',
      ].map(cents),
    );
    const shown = all.flatMap(amountsIn);
    expect(shown.length).toBeGreaterThan(40);
    for (const a of shown) expect(expected.has(a), `${a} is not a figure of the use cases for the cut`).toBe(true);

    // "What moved" says what it compares; counts are worded right; nothing is "n/a".
    expect(all.join('\n')).toContain('What moved · 2026-12 to date (through 2026-12-02) against 2026-11 through 2026-11-02, effective cost');
    for (const t of all) {
      expect(t).not.toMatch(/\bn\/a\b/);
      expect(t).not.toMatch(/\b1 (lines|items|vendors|decisions|rows|days)\b/);
    }
  });

  it('a past cut counts only the days before it: header, table and lists agree although later data exists', async () => {
    const { digest, parent } = await preview(new Date('2026-11-30T09:00:00Z'));
    expect(digest.dataThrough).toBe('2026-11-29');
    const text = renderText(parent);
    expect(text).toContain('Data through 2026-11-29');
    const table = digest.budgets.filter((b) => (b.depth ?? 0) === 0).reduce((s, b) => s.plus(b.monthToDate), new Money(0)).toFixed();
    expect(digest.headline[0]!.effective).toBe(table);
    // The whole month (with 2026-11-30) is more: the cut is real.
    const whole = await reportSpend(store, { period: parseBillingMonth('2026-11'), basis: 'effective', by: [] });
    expect(new Money(whole.currencies[0]!.total).gt(table)).toBe(true);
    // The unattributed part equals the table's unattributed row.
    const bridge = digest.budgets.find((b) => b.costCenter === '(unattributed)')!;
    expect(digest.unattributed![0]!.effective).toBe(new Money(bridge.monthToDate).toFixed());
    // "17 open items above threshold, 3 shown": the true count, and how many the message shows.
    const open = digest.unattributed![0]!.openItems;
    expect(open).toBeGreaterThan(3);
    expect(text).toMatch(new RegExp(`${open} open unattributed items above the alert threshold, \\d shown`));
    expect(text).toContain(`[View all unattributed (${open})]`);
  });

  it('a cost center\'s message agrees with itself, and a cost center with nothing in it gets no message', async () => {
    const base = { cadence: 'weekly-digest', at: now, generatedAt: now, timezone: 'UTC', previousReviewAt: null, requiredFields: settings.requiredFields, governedCategories: settings.governedCategories, windowDays: settings.windowDays, businessDays: settings.businessDays, materiality: settings.materiality };
    const d = await buildWeeklyDigest(store, { ...base, scope: ['CC-1100'] });
    expect(d.budgets.map((b) => b.costCenter)).toEqual(['CC-1100']);
    expect(d.headline[0]!.effective).toBe(new Money(d.budgets[0]!.monthToDate).toFixed());
    const { parent } = weeklyDigestMessages(d);
    const text = renderText(parent);
    expect(amountsIn(text).filter((a) => a === cents(d.headline[0]!.effective)).length).toBeGreaterThanOrEqual(2);

    await store.db.insertInto('cost_center').values({ code: 'CC-EMPTY', name: 'Nothing here', parent_code: null, owner: null, legal_entity: null, chat_channel: 'slack:CEMPTY' }).execute();
    const empty = await buildWeeklyDigest(store, { ...base, scope: ['CC-EMPTY'] });
    expect(digestIsEmpty(empty)).toBe(true);
    const r = await runReview(store, { cadence: 'weekly-digest', at: now, now, trigger: 'manual', dryRun: true, ...who, runner: 't', settings });
    if (!r.ok) throw new Error(r.message);
    expect(r.messages!.some((m) => m.route.channel === 'slack:CEMPTY')).toBe(false);
  });
});
