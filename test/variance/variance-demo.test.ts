import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDemoData, type DemoWriteResult } from '../../src/demo/write-demo-data.js';
import { explainVariance } from '../../src/app/explain-variance.js';
import { handoffDate } from '../../src/domain/business-days.js';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { Decimal, parseCsv, removeDir, taggedCostCenter, tempDir, type CsvRecord } from '../demo/demo-support.js';
import type { Store } from '../../src/store/database.js';

// The demo data set (3 months to 2026-11-16: September and October complete, November to date)
// with its documented gaps, imported into each store; the decomposition must find every gap.
const asOf = '2026-11-16';
let dir: string;
let demo: DemoWriteResult;
let focus: CsvRecord[];
let budgets: CsvRecord[];
let forecasts: CsvRecord[];
let gl: CsvRecord[];

beforeAll(async () => {
  dir = await tempDir('costbridge-variance-');
  demo = await writeDemoData(join(dir, 'demo'), { seed: 11, months: 3, rows: 2500, asOf, channels: true });
  const read = (p: string) => parseCsv(readFileSync(join(dir, 'demo', p), 'utf8')).records;
  focus = readdirSync(join(dir, 'demo', 'focus')).flatMap((f) => read(`focus/${f}`));
  budgets = read('itfm/budgets.csv');
  forecasts = read('itfm/forecast.csv');
  gl = read('itfm/gl.csv');
}, 60_000);
afterAll(async () => {
  await removeDir(dir);
});

const sum = (records: readonly CsvRecord[], column: string) => records.reduce((s, r) => s.plus(r[column] || 0), new Decimal(0));
const month = (r: CsvRecord) => r['BillingPeriodStart']!.slice(0, 7);
const chargeDay = (r: CsvRecord) => r['ChargePeriodStart']!.slice(0, 10);
const sumComponents = (c: Record<string, string>) => Object.values(c).reduce((s, v) => s.plus(v), new Decimal(0));

describe.each(storeKinds)('variance on the demo data, %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  const run = async (...args: string[]) => {
    const r = await cli(tdb, ...args);
    expect(r.stderr, args.join(' ')).toBe('');
    expect(r.code, args.join(' ')).toBe(0);
    return r.stdout;
  };
  const json = async (...args: string[]) => JSON.parse(await run(...args, '--json'));
  const fails = async (...args: string[]) => {
    const r = await cli(tdb, ...args);
    expect(r.code, args.join(' ')).toBe(1);
    return r.stderr;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    const files = readdirSync(join(dir, 'demo', 'focus')).map((f) => join(dir, 'demo', 'focus', f));
    await run('import', 'focus', ...files);
    await run('import', 'cost-centers', join(dir, 'demo', 'itfm', 'cost-centers.csv'));
    await run('import', 'budgets', join(dir, 'demo', 'itfm', 'budgets.csv'));
    await run('import', 'budgets', join(dir, 'demo', 'itfm', 'forecast.csv'));
    await run('import', 'gl', join(dir, 'demo', 'itfm', 'gl.csv'));
    // Who may explain (the authorization policy): the owners of CC-1310 and CC-1200.
    await run('people', 'add', 'it.finance@acme.example', '--role', 'admin', '--as', 'it.finance@acme.example');
    await run('people', 'add', 'li.wei@acme.example', '--role', 'owner', '--cost-center', 'CC-1310', '--as', 'it.finance@acme.example');
    await run('people', 'add', 'maria.keller@acme.example', '--role', 'owner', '--cost-center', 'CC-1200', '--as', 'it.finance@acme.example');
  }, 240_000);
  afterAll(async () => {
    await tdb.drop();
  }, 600_000);

  it('finds the price change on one SKU as its rate effect, exactly as documented', async () => {
    const pc = demo.manifest.gaps.priceChange;
    expect(pc.changeMonth).toBe('2026-10');
    for (const basis of ['billed', 'effective']) {
      const out = await json('variance', '--period', pc.changeMonth, '--scope', 'CC-1310', '--basis', basis, '--drivers', '1000');
      expect(out).toMatchObject({ period: '2026-10', against: 'previous', basis, comparisonPeriod: '2026-09' });
      expect(out.rows).toHaveLength(1);
      const row = out.rows[0];
      const key = row.drivers.find((d: { sku: string }) => d.sku === pc.skuId);
      expect(key).toMatchObject({ service: pc.serviceName, kind: 'rate-volume', variance: pc.variance.total });
      expect(key.components.rate).toBe(pc.variance.rateEffect);
      expect(key.components.volume).toBe(pc.variance.volumeEffect);
      // Every other key of the cost center kept its unit price, so the price change is the whole rate effect.
      expect(row.components.rate).toBe(pc.variance.rateEffect);
      expect(sumComponents(row.components).eq(row.variance)).toBe(true);
    }
  });

  it('finds the new AI service as the new component', async () => {
    const ai = demo.manifest.gaps.newAiService;
    const out = await json('variance', '--period', ai.firstMonth, '--by', 'provider', '--scope', ai.provider);
    expect(out.rows).toHaveLength(1);
    expect(out.rows[0]).toMatchObject({ scope: ai.provider, actual: ai.effectiveCost, comparison: '0', variance: ai.effectiveCost });
    expect(out.rows[0].components).toMatchObject({ new: ai.effectiveCost, rate: '0', volume: '0', mix: '0' });
    expect(out.rows[0].drivers.every((d: { kind: string }) => d.kind === 'new')).toBe(true);
  });

  it('sums every provider exactly, with components adding up to each variance', async () => {
    for (const m of ['2026-10', '2026-11']) {
      const out = await json('variance', '--period', m, '--by', 'provider');
      const total = out.rows.reduce((s: Decimal, r: { actual: string }) => s.plus(r.actual), new Decimal(0));
      expect(total.eq(sum(focus.filter((r) => month(r) === m), 'EffectiveCost'))).toBe(true);
      for (const r of out.rows) {
        expect(sumComponents(r.components).eq(r.variance)).toBe(true);
        expect(new Decimal(r.actual).minus(r.comparison).eq(r.variance)).toBe(true);
      }
    }
  });

  it('shows the commitment purchase as a purchases effect on the billed basis', async () => {
    const am = demo.manifest.gaps.amortization;
    expect(am.purchaseMonth).toBe('2026-09');
    const out = await json('variance', '--period', '2026-10', '--by', 'provider', '--scope', am.provider, '--basis', 'billed');
    expect(out.rows[0].components.purchases).toBe(new Decimal(am.purchaseAmount).neg().toFixed());
  });

  it('reconciles each cost center to the GL: the accrual timing difference and the amortization difference', async () => {
    const acc = demo.manifest.gaps.accrualTiming;
    expect([acc.billedPeriod, acc.bookedPeriod]).toEqual(['2026-10', '2026-11']);
    for (const m of demo.manifest.months.map((x) => x.month)) {
      const out = await json('variance', '--period', m);
      const total = (f: string) => out.rows.reduce((s: Decimal, r: { ledger: Record<string, string> }) => s.plus(r.ledger[f]!), new Decimal(0));
      const rec = demo.manifest.totals.reconciliation.find((x) => x.period === m)!;
      const amortization = demo.manifest.gaps.amortization.byMonth.find((x) => x.month === m)!;
      expect(total('billedMinusGl').eq(rec.billedMinusGl)).toBe(true);
      expect(total('timing').eq(rec.explainedBy.accrualTiming)).toBe(true);
      expect(total('amortization').eq(amortization.effectiveMinusBilled)).toBe(true);
      expect(total('gl').eq(rec.glAmount)).toBe(true);
      for (const r of out.rows) {
        expect(new Decimal(r.ledger.billedMinusGl).eq(new Decimal(r.ledger.timing).plus(r.ledger.unexplained))).toBe(true);
        expect(new Decimal(r.ledger.effective).minus(r.ledger.billed).eq(r.ledger.amortization)).toBe(true);
      }
    }
    // The late invoice: CC-2000's whole license is timing, nothing unexplained; and it reverses in the booked period.
    const late = gl.filter((l) => l['invoice_id'] === acc.invoiceId && l['cost_center'] === 'CC-2000');
    const oct = await json('variance', '--period', acc.billedPeriod, '--scope', 'CC-2000');
    expect(oct.rows[0].ledger).toMatchObject({ gl: '0', timing: sum(late, 'amount').toFixed(), unexplained: '0' });
    const nov = await json('variance', '--period', acc.bookedPeriod, '--scope', 'CC-2000');
    expect(nov.rows[0].ledger.timing).toBe(sum(late, 'amount').neg().toFixed());
    expect(nov.rows[0].ledger.unexplained).toBe('0');
  });

  it('compares with the budget net of revisions and the ITFM forecast, the gap in the baseline closing the sum', async () => {
    const budget = sum(budgets.filter((b) => b['cost_center'] === 'CC-1310' && b['month'] === '2026-10'), 'amount');
    const out = await json('variance', '--period', '2026-10', '--against', 'budget', '--scope', 'CC-1310');
    const row = out.rows[0];
    expect(row.comparison).toBe(budget.toFixed());
    expect(new Decimal(row.actual).minus(budget).eq(row.variance)).toBe(true);
    expect(sumComponents(row.components).eq(row.variance)).toBe(true);
    expect(new Decimal(row.comparisonActual).minus(budget).eq(row.components.baselineGap)).toBe(true);
    expect(row.components.rate).toBe(demo.manifest.gaps.priceChange.variance.rateEffect);
    expect(row.plan.map((p: { category: string }) => p.category)).toEqual(['cloud']);
    const fc = await json('variance', '--period', '2026-10', '--against', 'forecast', '--scope', 'CC-1310');
    expect(fc.rows[0].comparison).toBe(sum(forecasts.filter((b) => b['cost_center'] === 'CC-1310' && b['month'] === '2026-10'), 'amount').toFixed());
    for (const r of (await json('variance', '--period', '2026-10', '--against', 'budget')).rows) {
      expect(sumComponents(r.components).eq(r.variance)).toBe(true);
    }

    // A recognized saving lowers the budget through a revision; its reversal restores it.
    await insertSaving(store, { id: 'SAV-VAR-1', costCenter: 'CC-1310', effectiveDate: '2026-10-01', monthly: '100', type: 'reduction' });
    const [rev] = await rawQuery<{ id: number }>(
      store,
      `INSERT INTO budget_revision (saving_id, cost_center_code, category, month, amount, currency, created_by)
       VALUES ('SAV-VAR-1', 'CC-1310', 'cloud', '2026-10-01', -100.25, 'USD', 'itfm@acme.example') RETURNING id`,
    );
    const revised = await json('variance', '--period', '2026-10', '--against', 'budget', '--scope', 'CC-1310');
    expect(revised.rows[0].comparison).toBe(budget.minus('100.25').toFixed());
    expect(revised.rows[0].plan[0]).toMatchObject({ original: budget.toFixed(), revisions: '-100.25' });
    await rawExec(store, `INSERT INTO budget_revision (saving_id, cost_center_code, category, month, amount, currency, created_by, reverses)
                          VALUES ('SAV-VAR-1', 'CC-1310', 'cloud', '2026-10-01', 100.25, 'USD', 'itfm@acme.example', ${Number(rev!.id)})`);
    const restored = await json('variance', '--period', '2026-10', '--against', 'budget', '--scope', 'CC-1310');
    expect(restored.rows[0].comparison).toBe(budget.toFixed());
  });

  it('compares a month to date like for like with the same days of the previous month', async () => {
    const cc = focus.filter((r) => taggedCostCenter(r) === 'CC-1310');
    const out = await json('variance', '--period', '2026-11', '--as-of', asOf, '--scope', 'CC-1310');
    expect(out.asOf).toBe(asOf);
    expect(out.rows[0].actual).toBe(sum(cc.filter((r) => month(r) === '2026-11' && chargeDay(r) < asOf), 'EffectiveCost').toFixed());
    expect(out.rows[0].comparison).toBe(sum(cc.filter((r) => month(r) === '2026-10' && chargeDay(r) < '2026-10-16'), 'EffectiveCost').toFixed());
    expect(out.rows[0].ledger).toBeNull();
  });

  it('applies materiality per cost center, lists open variances, and records explanations with an audit row', async () => {
    // CC-1310 moved 2026-09 -> 2026-10 by volume and by the price change, both up, far below the default 1000.
    const global = await json('variance', '--period', '2026-10', '--scope', 'CC-1310');
    expect(global.rows[0].needsExplanation).toBe(false);
    const c = global.rows[0].components;
    expect(new Decimal(c.rate).gt(0) && new Decimal(c.volume).gt(0)).toBe(true);
    const [big, small] = new Decimal(c.rate).gte(c.volume) ? ['rate', 'volume'] : ['volume', 'rate'];
    expect(await run('variance', 'threshold', 'set', 'CC-1310', '--amount', c[big], '--share', '0.05', '--as', 'it.finance@acme.example')).toContain('CC-1310');
    const set = await json('variance', '--period', '2026-10', '--scope', 'CC-1310');
    expect(set.rows[0]).toMatchObject({ needsExplanation: true, unexplainedComponents: [big], threshold: { amount: c[big], share: '0.05' } });
    const open = await json('variance', 'open', '--period', '2026-10');
    const item = open.items.find((i: { scope: string }) => i.scope === 'CC-1310');
    expect(item).toMatchObject({ owner: 'li.wei@acme.example', chatChannel: 'slack:C0DEMO06', unexplained: [{ component: big, amount: c[big] }] });

    const explained = await json('variance', 'explain', '--period', '2026-10', '--scope', 'CC-1310', '--component', big!, '--unplanned', '--text', 'Black Friday load test', '--as', 'li.wei@acme.example');
    expect(explained).toMatchObject({ duplicate: false, explanation: { period: '2026-10', scope: 'CC-1310', component: big, planned: false, author: 'li.wei@acme.example', surface: 'cli' } });
    const after = await json('variance', 'open', '--period', '2026-10');
    expect(after.items.find((i: { scope: string }) => i.scope === 'CC-1310')).toBeUndefined();
    const row = (await json('variance', '--period', '2026-10', '--scope', 'CC-1310')).rows[0];
    expect(row).toMatchObject({ needsExplanation: true, unexplainedComponents: [] });
    expect(row.explanations).toHaveLength(1);

    await insertSaving(store, { id: 'SAV-VAR-2', costCenter: 'CC-1310', effectiveDate: '2026-12-01', monthly: '40', type: 'reduction' });
    const planned = await json('variance', 'explain', '--period', '2026-10', '--scope', 'CC-1310', '--component', small!, '--planned', '--saving', 'SAV-VAR-2', '--text', 'renegotiated DB price', '--as', 'li.wei@acme.example');
    expect(planned.explanation).toMatchObject({ planned: true, savingId: 'SAV-VAR-2', change: null });
    const audit = await store.db.selectFrom('audit_log').selectAll().where('action', 'like', 'variance.%').orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.actor, a.surface])).toEqual([
      ['variance.threshold.set', 'it.finance@acme.example', 'cli'],
      ['variance.explain', 'li.wei@acme.example', 'cli'],
      ['variance.explain', 'li.wei@acme.example', 'cli'],
    ]);
    const thresholds = await json('variance', 'threshold', 'list');
    expect(thresholds).toMatchObject({ default: { amount: '1000', share: '0.05' }, costCenters: [{ costCenter: 'CC-1310', amount: c[big], share: '0.05', updatedBy: 'it.finance@acme.example' }] });
  });

  it('stores an identical double submit once, also when both arrive at the same time', async () => {
    const request = { period: '2026-09', scope: 'CC-1200', component: 'volume', planned: false, text: 'new CI runners', actor: 'maria.keller@acme.example', surface: 'slack' as const };
    const first = await explainVariance(store, request);
    const second = await explainVariance(store, request);
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(second).toMatchObject({ ok: true, duplicate: true });
    if (first.ok && second.ok) expect(second.explanation.id).toBe(first.explanation.id);
    // Concurrent: on Postgres from separate connections (stores), on PGlite through its one connection.
    const stores = kind === 'postgres' ? [await tdb.open(), await tdb.open(), await tdb.open()] : [store, store, store];
    const racing = { ...request, text: 'a second, concurrent explanation' };
    const results = await Promise.all(stores.map((s) => explainVariance(s, racing)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    const rows = await store.db.selectFrom('variance_explanation').select(['id']).where('scope', '=', 'CC-1200').execute();
    expect(rows).toHaveLength(2);
    const audits = await store.db.selectFrom('audit_log').select('id').where('action', '=', 'variance.explain').where('actor', '=', 'maria.keller@acme.example').execute();
    expect(audits).toHaveLength(2);
  });

  it('refuses bad explanations and impossible comparisons with a clear message, storing nothing', async () => {
    const before = await store.db.selectFrom('variance_explanation').select('id').execute();
    const base = ['variance', 'explain', '--period', '2026-10', '--component', 'rate', '--text', 'x', '--as', 'li.wei@acme.example'];
    expect(await fails(...base, '--scope', 'CC-0000', '--unplanned')).toMatch(/unknown cost center "CC-0000"/);
    expect(await fails(...base, '--scope', 'CC-1310', '--planned')).toMatch(/planned variance must name the action/);
    expect(await fails(...base, '--scope', 'CC-1310', '--planned', '--unplanned')).toMatch(/exactly one of --planned or --unplanned/);
    expect(await fails(...base, '--scope', 'CC-1310', '--planned', '--saving', 'SAV-NOPE')).toMatch(/unknown saving "SAV-NOPE"/);
    expect(await fails('variance', 'explain', '--period', '2026-10', '--scope', 'CC-1310', '--component', 'price', '--unplanned', '--text', 'x')).toMatch(/component must be one of rate, volume/);
    expect(await fails('variance', 'explain', '--period', '2026-13', '--scope', 'CC-1310', '--component', 'rate', '--unplanned', '--text', 'x')).toMatch(/month like 2024-09/);
    expect(await fails('variance', '--period', '2026-10', '--against', 'budget', '--by', 'provider')).toMatch(/--by cost-center/);
    expect(await fails('variance', '--period', '2026-11', '--against', 'budget', '--as-of', asOf)).toMatch(/handoff/);
    expect(await fails('variance')).toMatch(/--period <YYYY-MM> is required/);
    expect(await fails('variance', 'threshold', 'set', 'CC-0000', '--amount', '1', '--share', '0.1')).toMatch(/unknown cost center/);
    expect(await fails('variance', 'threshold', 'set', 'CC-1310', '--amount', '-1', '--share', '0.1')).toMatch(/--amount must be a non-negative decimal/);
    expect((await cli(tdb, 'variance', '--period', '2026-10', '--against', 'actuals')).code).toBe(2);
    expect(await store.db.selectFrom('variance_explanation').select('id').execute()).toEqual(before);
  });

  it('projects the open month from month to date and the trailing run rate, with planned savings apart', async () => {
    await insertSaving(store, { id: 'SAV-VAR-3', costCenter: 'CC-1310', effectiveDate: '2026-11-21', monthly: '300', type: 'reduction', status: 'validated' });
    await insertSaving(store, { id: 'SAV-VAR-4', costCenter: 'CC-1310', effectiveDate: '2026-11-21', monthly: '999', type: 'avoidance', status: 'validated' });
    // Proposed: shown as potential, not deducted.
    await insertSaving(store, { id: 'SAV-VAR-5', costCenter: 'CC-1310', effectiveDate: '2026-11-21', monthly: '60', type: 'reduction' });
    // In effect since Nov 5: the whole 7-day window (Nov 9-15) already runs without it, so nothing more is deducted.
    await insertSaving(store, { id: 'SAV-VAR-6', costCenter: 'CC-2000', effectiveDate: '2026-11-05', monthly: '90', type: 'reduction', status: 'validated' });
    // In effect since October, ending Nov 18: the window holds it, but 12 of the 15 remaining days will not.
    await insertSaving(store, { id: 'SAV-VAR-7', costCenter: 'CC-2000', effectiveDate: '2026-10-01', endDate: '2026-11-18', monthly: '90', type: 'reduction', status: 'validated' });
    // Ended before the window (Nov 9-15): not this forecast's business.
    await insertSaving(store, { id: 'SAV-VAR-8', costCenter: 'CC-2000', effectiveDate: '2026-10-01', endDate: '2026-11-08', monthly: '90', type: 'reduction', status: 'validated' });
    const out = await json('forecast', '--period', '2026-11', '--as-of', asOf);
    expect(out.assumptions).toMatchObject({ asOf, daysInPeriod: 30, elapsedDays: 15, remainingDays: 15, windowDays: 7, windowStart: '2026-11-09', windowEnd: asOf });
    const row = out.rows.find((r: { scope: string }) => r.scope === 'CC-1310');
    const cc = focus.filter((r) => taggedCostCenter(r) === 'CC-1310');
    const mtd = sum(cc.filter((r) => month(r) === '2026-11' && chargeDay(r) < asOf), 'EffectiveCost');
    const window = sum(cc.filter((r) => chargeDay(r) >= '2026-11-09' && chargeDay(r) < asOf && !['Purchase', 'Credit'].includes(r['ChargeCategory']!)), 'EffectiveCost');
    const remaining = window.times(15).div(7).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
    expect(row).toMatchObject({ monthToDate: mtd.toFixed(), windowTotal: window.toFixed(), projectedRemaining: remaining.toFixed(), baseline: mtd.plus(remaining).toFixed() });
    // 300 a month from the 21st: 10 of 30 days.
    expect(row.plannedSavings).toHaveLength(1);
    expect(row.plannedSavings[0]).toMatchObject({ saving: { id: 'SAV-VAR-3', status: 'validated', type: 'reduction' }, days: 10, inWindowDays: 0, reduction: '100', treatment: 'applied' });
    expect(row.withPlannedActions).toBe(mtd.plus(remaining).minus(100).toFixed());
    // 60 a month over 10 of 30 days = 20, potential only.
    expect(row.potentialSavings).toMatchObject([{ saving: { id: 'SAV-VAR-5', status: 'proposed' }, reduction: '20', treatment: 'potential' }]);
    expect(row.potentialReduction).toBe('20');
    const known = out.rows.find((r: { scope: string }) => r.scope === 'CC-2000');
    expect(known).toMatchObject({ dailyRunRate: '0', knownItems: known.monthToDate });
    // Already inside the trailing window: listed with what it deducted (nothing), never deducted again.
    // Ending on the 18th: 3 a day x (3 days in effect - 15 the run rate holds it for) = -36, added back.
    expect(known.plannedSavings).toMatchObject([
      { saving: { id: 'SAV-VAR-7', endDate: '2026-11-18' }, days: 3, inWindowDays: 7, reduction: '-36' },
      { saving: { id: 'SAV-VAR-6' }, days: 15, inWindowDays: 7, reduction: '0' },
    ]);
    expect(known.plannedReduction).toBe('-36');
    expect(known.withPlannedActions).toBe(new Decimal(known.baseline).plus(36).toFixed());
    const withProposed = await json('forecast', '--period', '2026-11', '--as-of', asOf, '--include-proposed');
    expect(withProposed.rows.find((r: { scope: string }) => r.scope === 'CC-1310').withPlannedActions).toBe(mtd.plus(remaining).minus(120).toFixed());
    const text = await run('forecast', '--period', '2026-11', '--as-of', asOf);
    expect(text).toContain('CC-2000: SAV-VAR-6 test saving SAV-VAR-6 (validated, from 2026-11-05): -USD 0.00 over 15 day(s) in effect; already in the run rate for 7 of 7 window day(s), so nothing more is deducted');
    expect(text).toContain('Potential savings (proposed, not deducted):\n  CC-1310: SAV-VAR-5 test saving SAV-VAR-5 (proposed, from 2026-11-21): -USD 20.00 over 10 day(s) in effect');
    expect(text).toContain('CC-2000: SAV-VAR-7 test saving SAV-VAR-7 (validated, from 2026-10-01): +USD 36.00 added back (the run rate holds it for days after it ends, ends 2026-11-18) over 3 day(s) in effect; already in the run rate for 7 of 7 window day(s)\n');
  });

  it('backtests the method over a closed month and refuses an open one', async () => {
    const out = await json('forecast', 'backtest', '--period', '2026-10', '--as-of', asOf);
    expect(out.total[0]).toMatchObject({ scope: '(all)', currency: 'USD', actual: sum(focus.filter((r) => month(r) === '2026-10'), 'EffectiveCost').toFixed() });
    for (const r of [...out.total, ...out.rows]) {
      expect(r.days).toHaveLength(31);
      expect(r.days[0].asOf).toBe('2026-10-01');
      const apes = r.days.map((d: { ape: string }) => new Decimal(d.ape));
      const mean = apes.reduce((s: Decimal, v: Decimal) => s.plus(v), new Decimal(0)).div(31);
      expect(mean.minus(r.mape).abs().lte('0.000001')).toBe(true);
      for (const d of r.days) expect(new Decimal(d.projected).minus(r.actual).eq(d.error)).toBe(true);
    }
    expect(await fails('forecast', 'backtest', '--period', '2026-11', '--as-of', asOf)).toMatch(/not closed yet/);
  });

  it('hands off per cost center before close: projection, budget, ITFM forecast, drivers, planned actions, open variances', async () => {
    const out = await json('handoff', '--period', '2026-11', '--as-of', asOf);
    expect(out).toMatchObject({ period: '2026-11', asOf, handoffDate: handoffDate('2026-11', 3), basis: 'effective', driversComparedWith: { period: '2026-10', asOf } });
    expect(out.handoffDate).toBe('2026-11-25');
    const fc = await json('forecast', '--period', '2026-11', '--as-of', asOf);
    const f = fc.rows.find((r: { scope: string }) => r.scope === 'CC-1310');
    const row = out.rows.find((r: { costCenter: string }) => r.costCenter === 'CC-1310');
    const budget = sum(budgets.filter((b) => b['cost_center'] === 'CC-1310' && b['month'] === '2026-11'), 'amount');
    const itfm = sum(forecasts.filter((b) => b['cost_center'] === 'CC-1310' && b['month'] === '2026-11'), 'amount');
    expect(row).toMatchObject({
      name: 'Checkout',
      owner: 'li.wei@acme.example',
      projected: f.baseline,
      projectedWithPlannedActions: f.withPlannedActions,
      budget: budget.toFixed(),
      itfmForecast: itfm.toFixed(),
      differenceToBudget: new Decimal(f.withPlannedActions).minus(budget).toFixed(),
      differenceToForecast: new Decimal(f.withPlannedActions).minus(itfm).toFixed(),
    });
    expect(row.plannedActions.map((a: { saving: { id: string } }) => a.saving.id)).toEqual(['SAV-VAR-3']);
    const lfl = await json('variance', '--period', '2026-11', '--as-of', asOf, '--scope', 'CC-1310');
    expect(row.drivers).toMatchObject({ variance: lfl.rows[0].variance, components: lfl.rows[0].components });
    expect(row.drivers.keys.length).toBeGreaterThan(0);
    // CC-1310's own threshold (set above) applies to the like-for-like movement too.
    expect(row.openVariances).toEqual(lfl.rows[0].unexplainedComponents.map((c: string) => ({ component: c, amount: lfl.rows[0].components[c] })));
    const text = await run('handoff', '--period', '2026-11', '--as-of', asOf);
    expect(text).toContain('Pre-close handoff 2026-11 as of 2026-11-16 (due 2026-11-25)');
  });

  it('prints readable tables and lists the commands in --help', async () => {
    const text = await run('variance', '--period', '2026-10');
    expect(text).toContain('Variance 2026-10 vs 2026-09, EffectiveCost, by cost-center');
    expect(text).toContain('FOCUS vs GL, 2026-10');
    expect(await run('forecast', '--period', '2026-11', '--as-of', asOf)).toContain('15 of 30 days elapsed');
    const help = await run('--help');
    for (const c of ['costbridge variance explain --period', 'costbridge variance open --period', 'costbridge variance threshold set <cost-center>', 'costbridge forecast backtest --period', 'costbridge handoff --period']) {
      expect(help).toContain(c);
    }
  });
});

async function rawQuery<R>(store: Store, sqlText: string, params: unknown[] = []): Promise<R[]> {
  return store.session((s) => s.query<R>(sqlText, params));
}

async function rawExec(store: Store, sqlText: string, params: unknown[] = []): Promise<void> {
  await rawQuery(store, sqlText, params);
}

/** A saving record straight into the savings ledger's table (its use cases are tested in test/savings). */
async function insertSaving(store: Store, s: { id: string; costCenter: string; effectiveDate: string; endDate?: string; monthly: string; type: 'reduction' | 'avoidance'; status?: 'proposed' | 'validated' }): Promise<void> {
  await rawExec(store, `INSERT INTO person (id, name) VALUES ('finops@acme.example', 'FinOps') ON CONFLICT (id) DO NOTHING`);
  await rawExec(
    store,
    `INSERT INTO saving (id, title, lever, lever_kind, type, cost_center_code, effective_date, end_date, estimate_monthly, currency, proposer, status, recognized_monthly, approver)
     VALUES ($1, $2, 'rightsizing', 'usage', $3, $4, $5::date, $8::date, $6::numeric, 'USD', 'finops@acme.example', $7,
             CASE WHEN $7 = 'validated' THEN $6::numeric END, CASE WHEN $7 = 'validated' THEN 'finops@acme.example' END)`,
    [s.id, `test saving ${s.id}`, s.type, s.costCenter, s.effectiveDate, s.monthly, s.status ?? 'proposed', s.endDate ?? null],
  );
}
