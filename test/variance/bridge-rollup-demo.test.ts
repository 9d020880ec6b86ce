import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeDemoData, type DemoWriteResult } from '../../src/demo/write-demo-data.js';
import { runCli } from '../../src/cli.js';
import { buildWeeklyDigest } from '../../src/app/build-weekly-digest.js';
import { preCloseHandoffMessage } from '../../src/messages/views/review-alerts.js';
import { renderText } from '../../src/messages/render-text.js';
import { formatMoney } from '../../src/domain/money.js';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { Decimal, removeDir, tempDir } from '../demo/demo-support.js';
import type { Store } from '../../src/store/database.js';

// The bridge row and the cost-center hierarchy on the demo data (3 months to 2026-11-16): every
// comparison with budget or forecast sums to `report spend`, lists the unattributed row, and rolls
// parents up to exactly their subtree; chargeback and the variance ledger reconcile alike.
const asOf = '2026-11-16';
const carrier = 'CC-1100';
let dir: string;
let demo: DemoWriteResult;

beforeAll(async () => {
  dir = await tempDir('costbridge-bridge-');
  demo = await writeDemoData(join(dir, 'demo'), { seed: 7, months: 3, rows: 2000, asOf });
}, 60_000);
afterAll(async () => {
  await removeDir(dir);
});

type Row = Record<string, unknown> & { scope?: string; costCenter?: string; currency: string; depth: number; parent: string | null; children: number };
const dec = (v: unknown) => new Decimal(String(v));
const sumOf = (rows: readonly Record<string, unknown>[], field: string) => rows.reduce((s, r) => s.plus(dec(r[field])), new Decimal(0));

/** Each parent equals its own figure plus its direct children's (which in turn hold theirs). */
function expectSubtreeSums(rows: readonly Row[], field: string, own: (r: Row) => Decimal, code: (r: Row) => string) {
  let parents = 0;
  for (const r of rows) {
    const children = rows.filter((c) => c.parent === code(r) && c.currency === r.currency);
    if (r.children === 0) {
      expect(children, code(r)).toEqual([]);
      continue;
    }
    parents++;
    expect(children.length, code(r)).toBeGreaterThan(0);
    expect(dec(r[field]).toFixed(), `${code(r)} ${field}`).toBe(own(r).plus(sumOf(children, field)).toFixed());
  }
  return parents;
}

describe.each(storeKinds)('bridge row and roll-ups on the demo data, %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  const run = async (env: Record<string, string>, ...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      ['node', 'costbridge', ...args],
      { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`) },
      { ...tdb.env, ...env },
      kind === 'pglite' ? store : undefined,
    );
    return { code, stdout, stderr };
  };
  const json = async (env: Record<string, string>, ...args: string[]) => {
    const r = await run(env, ...args, '--json');
    expect(r.stderr, args.join(' ')).toBe('');
    expect(r.code, args.join(' ')).toBe(0);
    return JSON.parse(r.stdout);
  };
  const carried: Record<string, string> = { COSTBRIDGE_UNATTRIBUTED_COST_CENTER: carrier };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    const files = readdirSync(join(dir, 'demo', 'focus')).map((f) => join(dir, 'demo', 'focus', f));
    for (const args of [['import', 'focus', ...files], ['import', 'cost-centers', join(dir, 'demo', 'itfm', 'cost-centers.csv')], ['import', 'budgets', join(dir, 'demo', 'itfm', 'budgets.csv')], ['import', 'budgets', join(dir, 'demo', 'itfm', 'forecast.csv')], ['import', 'gl', join(dir, 'demo', 'itfm', 'gl.csv')]]) {
      const r = await run({}, ...args);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 240_000);
  afterAll(async () => {
    await tdb.drop();
  }, 600_000);

  const periods = () => demo.manifest.months.map((m) => m.month);
  const spendTotal = async (period: string, basis: string) => {
    const r = await json({}, 'report', 'spend', '--period', period, '--basis', basis, '--by', 'cost-center');
    return { total: r.total as string, unattributed: (r.rows as Array<Record<string, string>>).find((x) => x['cost-center'] === '(unattributed)')?.cost ?? '0' };
  };

  it('variance against budget and forecast: rows sum to report spend, the unattributed row is listed, parents equal their subtree', async () => {
    for (const period of periods()) {
      for (const basis of ['effective', 'billed']) {
        const spend = await spendTotal(period, basis);
        expect(dec(spend.unattributed).isZero()).toBe(false);
        for (const against of ['budget', 'forecast']) {
          for (const [env, rollup] of [[{}, false], [carried, false], [{}, true], [carried, true]] as const) {
            const out = await json(env, 'variance', '--period', period, '--against', against, '--basis', basis, ...(rollup ? ['--rollup'] : []));
            const rows = out.rows as Row[];
            const what = `${period} ${basis} ${against} rollup=${rollup} carrier=${'COSTBRIDGE_UNATTRIBUTED_COST_CENTER' in env}`;
            const top = rows.filter((r) => r.depth === 0);
            expect(sumOf(top, 'actual').toFixed(), what).toBe(dec(spend.total).toFixed());
            expect(sumOf(top, 'comparedActual').toFixed(), what).toBe(dec(spend.total).toFixed());
            expect(out.totals, what).toEqual([expect.objectContaining({ currency: 'USD', actual: dec(spend.total).toFixed() })]);
            expect(sumOf(top, 'variance').toFixed(), what).toBe(sumOf(top, 'comparedActual').minus(sumOf(top, 'comparison')).toFixed());
            const unattributed = rows.find((r) => r.scope === '(unattributed)')!;
            expect(unattributed, what).toBeDefined();
            expect(dec(unattributed.actual).toFixed(), what).toBe(dec(spend.unattributed).toFixed());
            if ('COSTBRIDGE_UNATTRIBUTED_COST_CENTER' in env) {
              // Mirrors the GL: the carrier's plan is compared with its own spend plus the unattributed spend.
              expect(unattributed.carriedBy).toBe(carrier);
              expect([unattributed.comparedActual, unattributed.variance]).toEqual(['0', '0']);
              const c = rows.find((r) => r.scope === carrier)!;
              expect(dec(c.comparedActual).toFixed()).toBe(dec(c.actual).plus(spend.unattributed).toFixed());
              expect(dec(c.variance).toFixed()).toBe(dec(c.comparedActual).minus(dec(c.comparison)).toFixed());
            } else {
              expect(unattributed.carriedBy).toBeNull();
              expect(dec(unattributed.variance).toFixed()).toBe(dec(spend.unattributed).toFixed());
            }
            if (rollup) {
              const code = (r: Row) => r.scope!;
              for (const field of ['actual', 'comparedActual', 'comparison', 'variance']) {
                const own = (r: Row) => {
                  if (field === 'actual') return dec(r['own']);
                  const leaf = (r['plan'] as Array<{ costCenter: string; amount: string }>).filter((p) => p.costCenter === r.scope).reduce((s, p) => s.plus(p.amount), new Decimal(0));
                  const ownCompared = dec(r['own']).plus(r.scope === carrier && 'COSTBRIDGE_UNATTRIBUTED_COST_CENTER' in env ? spend.unattributed : 0);
                  return field === 'comparison' ? leaf : field === 'comparedActual' ? ownCompared : ownCompared.minus(leaf);
                };
                expect(expectSubtreeSums(rows, field, own, code), what).toBeGreaterThan(0);
              }
              // The demo's parents carry their subtree, labelled with how many children they include.
              const parent = rows.find((r) => r.scope === 'CC-1300')!;
              expect(parent.children).toBe(2);
              expect(dec(parent.actual).isZero()).toBe(false);
            } else {
              // A zero row with no budget and no children is omitted: the empty parents are gone.
              for (const r of rows) expect([r.actual, r.comparison, r.variance].every((v) => dec(v).isZero()), `${what} ${r.scope}`).toBe(false);
            }
          }
        }
      }
    }
  }, 600_000);

  it('forecast rows sum to report spend, the unattributed row included', async () => {
    for (const period of periods()) {
      for (const basis of ['effective', 'billed']) {
        const spend = await spendTotal(period, basis);
        const out = await json({}, 'forecast', '--period', period, '--as-of', asOf, '--basis', basis);
        expect(sumOf(out.rows, 'monthToDate').toFixed(), `${period} ${basis}`).toBe(dec(spend.total).toFixed());
        expect(out.totals[0].monthToDate).toBe(sumOf(out.rows, 'monthToDate').toFixed());
        expect((out.rows as Row[]).map((r) => r.scope)).toContain('(unattributed)');
      }
    }
  }, 300_000);

  it('handoff (CLI and chat message) and the digest budget table sum to report spend and list the unattributed row; parents equal their subtree', async () => {
    for (const period of periods()) {
      const spend = await spendTotal(period, 'effective');
      for (const env of [{}, carried]) {
        const h = await json(env, 'handoff', '--period', period, '--as-of', asOf);
        const rows = h.rows as Row[];
        const top = rows.filter((r) => r.depth === 0);
        expect(sumOf(top, 'monthToDate').toFixed(), period).toBe(dec(spend.total).toFixed());
        expect(h.totals[0].monthToDate).toBe(sumOf(top, 'monthToDate').toFixed());
        expect(sumOf(top, 'differenceToBudget').toFixed()).toBe(sumOf(top, 'projectedWithPlannedActions').minus(sumOf(top, 'budget')).toFixed());
        const u = rows.find((r) => r.costCenter === '(unattributed)')!;
        expect(dec(u.monthToDate).toFixed()).toBe(dec(spend.unattributed).toFixed());
        const byCode = (r: Row) => r.costCenter!;
        // Each cost center's own figures, from the handoff without roll-up.
        const flat = (await json(env, 'handoff', '--period', period, '--as-of', asOf, '--no-rollup')).rows as Row[];
        expect(flat.every((r) => r.depth === 0 && r.children === 0)).toBe(true);
        expect(sumOf(flat, 'monthToDate').toFixed()).toBe(dec(spend.total).toFixed());
        const own = (field: string) => (r: Row) => dec(flat.find((f) => f.costCenter === r.costCenter)?.[field] ?? 0);
        for (const field of ['monthToDate', 'projectedWithPlannedActions', 'budget', 'itfmForecast']) expect(expectSubtreeSums(rows, field, own(field), byCode)).toBeGreaterThan(0);
        // The demo's parents have no lines of their own: rolled up they are exactly their children.
        for (const code of ['CC-1000', 'CC-1300']) {
          const p = rows.find((r) => r.costCenter === code)!;
          expect(dec(p.monthToDate).toFixed()).toBe(sumOf(rows.filter((c) => c.parent === code), 'monthToDate').toFixed());
          expect(dec(p.monthToDate).isZero()).toBe(false);
        }
        if (env === carried) {
          expect(u.carriedBy).toBe(carrier);
          const c = rows.find((r) => r.costCenter === carrier)!;
          expect(dec(c.comparedProjection).toFixed()).toBe(dec(c.projectedWithPlannedActions).plus(dec(u.projectedWithPlannedActions)).toFixed());
        }

        // The chat message keeps every row, the unattributed one included, and prints the total.
        const message = renderText(
          preCloseHandoffMessage({
            period,
            asOf: h.asOf,
            handoffDate: h.handoffDate,
            assumptions: [],
            rows: rows.map((r) => ({ ...r, costCenter: r.costCenter!, monthToDate: String(r.monthToDate), projected: String(r.projectedWithPlannedActions), budget: String(r.budget), itfmForecast: String(r.itfmForecast), differenceToBudget: String(r.differenceToBudget), differenceToForecast: String(r.differenceToForecast), material: Boolean(r.material) })),
            scope: [],
            demo: true,
            unattributedCarriedBy: h.unattributedCarriedBy,
          }),
        );
        expect(message).toContain('(unattributed)');
        expect(message).toContain(`Total: ${formatMoney(spend.total, 'USD')} to date`);
        if (env !== carried && u.material) {
          expect(message).not.toContain('No cost center is projected materially over budget.');
          expect(message).toContain(`${formatMoney(String(u.projectedWithPlannedActions), 'USD')} of unattributed spend (its own row) is projected with no budget`);
        }
      }
    }
    // The weekly digest's budget table, for the open month to the demo's day and a complete month.
    for (const [period, at] of [['2026-11', `${asOf}T09:00:00Z`], ['2026-10', '2026-11-01T09:00:00Z']] as const) {
      const spend = await spendTotal(period, 'effective');
      for (const unattributedCostCenter of [null, carrier]) {
        const d = await buildWeeklyDigest(store, {
          cadence: 'weekly',
          at: new Date(at),
          timezone: 'UTC',
          scope: [],
          previousReviewAt: null,
          requiredFields: ['cost-center'],
          governedCategories: [],
          windowDays: 7,
          businessDays: 3,
          materiality: { amount: '1000', share: '0.05' },
          unattributedCostCenter,
        });
        expect(d.period).toBe(period);
        const top = d.budgets.filter((b) => (b.depth ?? 0) === 0);
        expect(sumOf(top as unknown as Record<string, unknown>[], 'monthToDate').toFixed(), period).toBe(dec(spend.total).toFixed());
        expect(d.budgetTotals![0]!.monthToDate).toBe(dec(spend.total).toFixed());
        expect(d.budgets.map((b) => b.costCenter)).toContain('(unattributed)');
        expect(d.budgets.find((b) => b.costCenter === '(unattributed)')!.carriedBy ?? null).toBe(unattributedCostCenter);
        const parent = d.budgets.find((b) => b.costCenter === 'CC-1300')!;
        expect(dec(parent.monthToDate).toFixed()).toBe(sumOf(d.budgets.filter((b) => b.parent === 'CC-1300') as unknown as Record<string, unknown>[], 'monthToDate').toFixed());
      }
    }
  }, 600_000);

  it('report spend --rollup: top-level rows sum to the total and parents equal their subtree', async () => {
    for (const period of periods()) {
      const flat = await spendTotal(period, 'effective');
      const out = await json({}, 'report', 'spend', '--period', period, '--by', 'cost-center', '--rollup');
      const rows = out.rows as Row[];
      expect(sumOf(rows.filter((r) => r.depth === 0), 'cost').toFixed()).toBe(dec(flat.total).toFixed());
      expect(expectSubtreeSums(rows, 'cost', (r) => dec(r['own']), (r) => String(r['cost-center']))).toBeGreaterThan(0);
    }
    const r = await run({}, 'report', 'spend', '--period', periods()[0]!, '--by', 'provider', '--rollup');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--rollup follows the cost-center hierarchy');
  });

  it('refuses a carrier master data does not know, naming the variable and the code', async () => {
    const r = await run({ COSTBRIDGE_UNATTRIBUTED_COST_CENTER: 'CC-0404' }, 'variance', '--period', periods()[1]!, '--against', 'budget');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('COSTBRIDGE_UNATTRIBUTED_COST_CENTER');
    expect(r.stderr).toContain('"CC-0404" is not in the cost-center master data');
  });

  it('chargeback reconciles unattributed spend as "not charged", and puts the late invoice timing on the same cost center as the variance ledger', async () => {
    const late = demo.manifest.gaps.accrualTiming;
    const period = late.billedPeriod;
    const spend = await spendTotal(period, 'billed');
    const variance = await json(carried, 'variance', '--period', period, '--against', 'budget', '--basis', 'billed');
    const ledgerTiming = new Map((variance.rows as Array<{ scope: string; ledger: { timing: string } }>).filter((r) => !dec(r.ledger.timing).isZero()).map((r) => [r.scope, dec(r.ledger.timing).toFixed()]));
    expect(ledgerTiming.size).toBeGreaterThan(0);
    for (const env of [{}, carried]) {
      const cb = await json(env, 'chargeback', '--period', period, '--dry-run');
      const rec = cb.reconciliation[0] as { costCenters: Array<Record<string, string>>; total: Record<string, string>; unattributedNotCharged: string; notChargedOn: string | null };
      const timing = new Map(rec.costCenters.filter((l) => !dec(l['timing']).isZero()).map((l) => [l['costCenter']!, dec(l['timing']).toFixed()]));
      expect(timing).toEqual(ledgerTiming);
      // The late invoice's total timing is the documented amount, whichever cost centers the GL split it over.
      expect(dec(rec.total['timing']!).toFixed()).toBe(dec(late.amount).toFixed());
      expect(dec(rec.unattributedNotCharged).toFixed()).toBe(dec(spend.unattributed).neg().toFixed());
      if ('COSTBRIDGE_UNATTRIBUTED_COST_CENTER' in env) {
        expect(rec.notChargedOn).toBe(carrier);
        const line = rec.costCenters.find((l) => l['costCenter'] === carrier)!;
        expect(dec(line['notCharged']!).toFixed()).toBe(dec(spend.unattributed).neg().toFixed());
        expect(dec(rec.total['notCharged']!).toFixed()).toBe(dec(spend.unattributed).neg().toFixed());
        // Per cost center, charges are rounded to cents: whatever is left unexplained is that rounding.
        for (const l of rec.costCenters) expect(dec(l['unexplained']!).abs().lt('0.01'), l['costCenter']).toBe(true);
        const text = await run(env, 'chargeback', '--period', period, '--dry-run');
        expect(text.stdout).toContain('not charged: unattributed');
      } else {
        // Nobody said where the GL books it: the catch-all's line shows it unexplained, and it is listed beside the lines.
        expect(rec.notChargedOn).toBeNull();
        expect(rec.costCenters.every((l) => l['notCharged'] === '0')).toBe(true);
        const catchAll = rec.costCenters.find((l) => l['costCenter'] === carrier)!;
        expect(dec(catchAll['unexplained']!).minus(dec(spend.unattributed).neg()).abs().lt('0.01')).toBe(true);
        const text = await run(env, 'chargeback', '--period', period, '--dry-run');
        expect(text.stdout).toContain(`not charged: unattributed  ${formatMoney(dec(spend.unattributed).neg().toFixed(), 'USD')}`);
      }
    }
  }, 300_000);
});
