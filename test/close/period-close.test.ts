import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { parse } from 'csv-parse/sync';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { baseFocusRow, focusCsv } from '../support/focus-csv.js';
import type { Store } from '../../src/store/database.js';
import { Money } from '../../src/domain/money.js';

// Three months of one billing account (USD, BilledCost = EffectiveCost), hand-sized:
//   CC-A compute (tagged): 2026-09 90.00 (90 h), 2026-10 100.00 (100 h), 2026-11 110.00 (110 h)
//   Storage on sub-2, untagged: 40.00 (400 GB-Month) every month   -> unattributed item
//   Database on sub-3, untagged: 30.00 (30 h) every month            -> unattributed item
// 2026-10 is closed; then changes arrive: claims, a rule, a restatement, a backdated recognition.
function month(key: string, compute: string): Record<string, string>[] {
  const [y, m] = key.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  const common = {
    ...baseFocusRow,
    BillingPeriodStart: `${key}-01T00:00:00Z`,
    BillingPeriodEnd: `${next}T00:00:00Z`,
    ChargePeriodStart: `${key}-02T00:00:00Z`,
    ChargePeriodEnd: `${key}-03T00:00:00Z`,
    InvoiceId: `INV-${key}`,
  };
  return [
    { ...common, BilledCost: compute, EffectiveCost: compute, ContractedCost: compute, ListCost: compute, PricingQuantity: String(Number(compute)), Tags: '{"CostCenter":"CC-A"}' },
    { ...common, BilledCost: '40.00', EffectiveCost: '40.00', ContractedCost: '40.00', ListCost: '40.00', PricingQuantity: '400', PricingUnit: 'GB-Month', SubAccountId: 'sub-2', ServiceName: 'Storage', ServiceCategory: 'Storage', ChargeDescription: 'storage', Tags: '' },
    { ...common, BilledCost: '30.00', EffectiveCost: '30.00', ContractedCost: '30.00', ListCost: '30.00', PricingQuantity: '30', SubAccountId: 'sub-3', ServiceName: 'Database', ServiceCategory: 'Databases', ChargeDescription: 'db hours', Tags: '' },
  ];
}

const budgets = ['cost_center,category,month,amount,currency,version', ...['09', '10', '11', '12'].map((m) => `CC-A,,2026-${m},200,USD,budget`)].join('\n') + '\n';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(storeKinds)('period close on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  const run = async (...args: string[]) => {
    const r = await cli(tdb, ...args);
    expect(r.stderr.replace(/^costbridge: (using the embedded|warning).*\n/gm, ''), args.join(' ')).toBe('');
    expect(r.code, args.join(' ')).toBe(0);
    return r.stdout;
  };
  const json = async (...args: string[]): Promise<Json> => JSON.parse(await run(...args, '--json'));
  const refused = async (...args: string[]) => {
    const r = await cli(tdb, ...args);
    expect(r.code, args.join(' ')).toBe(1);
    return r.stderr;
  };
  const itemId = async (period: string, service: string) => {
    const items = (await json('unattributed', '--period', period)).items as { id: number; service: string }[];
    return String(items.find((i) => i.service === service)!.id);
  };
  const restateOctober = async (compute: string) => run('import', 'focus', await file(`oct-${compute}.csv`, focusCsv(month('2026-10', compute))));

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-close-'));
    await run('import', 'cost-centers', await file('cc.csv', 'code,name,owner\nCC-A,Alpha,a@example.com\nCC-B,Beta,b@example.com\n'));
    await run('import', 'budgets', await file('budgets.csv', budgets));
    await run(
      'import',
      'focus',
      await file('sep.csv', focusCsv(month('2026-09', '90.00'))),
      await file('oct.csv', focusCsv(month('2026-10', '100.00'))),
      await file('nov.csv', focusCsv(month('2026-11', '110.00'))),
    );
    for (const [user, role] of [['boss@example.com', 'admin'], ['fin@example.com', 'itfm'], ['ita@example.com', 'itfm'], ['ops@example.com', 'finops'], ['ana@example.com', 'owner']] as const) {
      await run('people', 'add', user, '--role', role, ...(role === 'owner' ? ['--cost-center', 'CC-A'] : []), '--as', 'boss@example.com');
    }
  }, 120_000);
  afterAll(async () => {
    await tdb?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('only itfm or admin may close; the close freezes the month and is audited; closing twice is refused', async () => {
    expect(await refused('period', 'close', '2026-10', '--as', 'ana@example.com')).toContain('ana@example.com may not close a billing month: it needs itfm for every cost center or admin for every cost center; ana@example.com holds owner for CC-A');
    expect(await refused('period', 'close', '2026-10', '--as', 'ops@example.com')).toContain('ops@example.com may not close a billing month');
    expect(await refused('period', 'close', '2026-10', '--as', 'nobody@example.com')).toContain('not a known person');
    const closed = await json('period', 'close', '2026-10', '--as', 'fin@example.com');
    expect(closed).toMatchObject({ ok: true, period: '2026-10', status: 'closed', closedBy: 'fin@example.com', totals: [{ currency: 'USD', lines: 3, billed: '170', effective: '170' }] });
    expect(await refused('period', 'close', '2026-10', '--as', 'boss@example.com')).toContain(`2026-10 is already closed (October 2026 closed on ${closed.closedAt.slice(0, 10)} by fin@example.com)`);
    expect((await json('period', 'list')).periods).toEqual([expect.objectContaining({ period: '2026-10', status: 'closed', closedBy: 'fin@example.com', reopenedAt: null })]);
    const audit = await sql<{ actor: string; action: string; subject_id: string }>`SELECT actor, action, subject_id FROM audit_log WHERE subject_type = 'period' AND outcome = 'recorded'`.execute(store.db);
    expect(audit.rows).toEqual([{ actor: 'fin@example.com', action: 'period.close', subject_id: '2026-10' }]);
  });

  it('restated comparatives: a claim made after a month-on-month variance was computed changes no component of it, only the restatement', async () => {
    const before = await json('variance', '--period', '2026-11', '--by', 'cost-center');
    expect(before.rows.map((r: Json) => [r.scope, r.actual, r.comparison, r.restatement])).toEqual([
      ['CC-A', '110', '100', '0'],
      ['(unattributed)', '70', '70', '0'],
    ]);
    // Claiming November's Storage item (this month and later) sets a rule from 2026-11 on: October's
    // Storage line stays unattributed as stored, so without restating October the claim would read
    // as +40 new spend on CC-B and -40 discontinued on (unattributed).
    const claimed = await run('claim', await itemId('2026-11', 'Storage'), '--cost-center', 'CC-B', '--rule-scope', 'future', '--as', 'ops@example.com');
    expect(claimed).toContain('effective in the books from 2026-11');
    const after = await json('variance', '--period', '2026-11', '--by', 'cost-center');
    for (const row of after.rows) {
      const was = before.rows.find((r: Json) => r.scope === row.scope);
      const zero = Object.fromEntries(Object.keys(row.components).map((k) => [k, '0']));
      expect(row.components, row.scope).toEqual(was ? was.components : zero);
    }
    expect(after.rows.map((r: Json) => [r.scope, r.actual, r.comparison, r.variance, r.restatement])).toEqual([
      ['CC-A', '110', '100', '10', '0'],
      ['(unattributed)', '30', '30', '0', '-40'],
      ['CC-B', '40', '40', '0', '40'],
    ]);
    expect(after.restated).toEqual({ under: '2026-11', totals: [{ currency: 'USD', restatement: '0' }] });
    // Components still add up exactly to actual - comparison.
    for (const row of after.rows) {
      const sum = Object.values(row.components as Record<string, string>).reduce((s, v) => s.plus(v), new Money(0));
      expect(sum.eq(new Money(row.actual).minus(row.comparison))).toBe(true);
    }
    const text = await run('variance', '--period', '2026-11');
    expect(text).toMatch(/Comparatives restated: 2026-10 under 2026-11's attribution/);
    expect(text).toMatch(/CC-B\s+USD 40\.00\s+USD 40\.00\s+USD 0\.00\s+.*USD 40\.00/);
  });

  let spendAsClosed: Json;
  let showbackAsClosed: Json;
  let chargebackAsClosed: Json;
  let varianceAsClosed: Json;

  it('after close, a claim, a rule, a restatement and a backdated recognition leave the closed month unchanged and show as post-close adjustments', async () => {
    spendAsClosed = await json('report', 'spend', '--period', '2026-10', '--by', 'cost-center', '--basis', 'billed');
    showbackAsClosed = await json('showback', '--period', '2026-10', '--basis', 'billed');
    chargebackAsClosed = await json('chargeback', '--period', '2026-10', '--out', join(dir, 'oct-journal.csv'), '--as', 'fin@example.com');
    varianceAsClosed = await json('variance', '--period', '2026-10');
    expect(spendAsClosed.rows).toEqual([{ 'cost-center': 'CC-A', cost: '100' }, { 'cost-center': '(unattributed)', cost: '70' }]);
    expect(chargebackAsClosed.issuedNow).toEqual(['CB-2026-10-USD']);
    expect(chargebackAsClosed.entries[0]).toMatchObject({ entry: 'CB-2026-10-USD', debitTotal: '100.00', notCharged: '70' });
    expect(chargebackAsClosed.closed).toMatchObject({ period: '2026-10', closedBy: 'fin@example.com', adjustmentsBookedIn: '2026-11' });

    // A claim of October's Database item (that month only): it reaches the books from 2026-11.
    const claim = await json('claim', await itemId('2026-10', 'Database'), '--cost-center', 'CC-B', '--rule-scope', 'item', '--as', 'ops@example.com');
    expect(claim.books).toEqual({ from: '2026-11', closedMonths: ['2026-10'], bookedIn: { '2026-10': '2026-11' } });
    // A rule for October's Storage line.
    const rule = await run('rules', 'add', '--set', 'cost-center=CC-A', '--sub-account', 'sub-2', '--priority', '100', '--from', '2026-10', '--to', '2026-10', '--as', 'ops@example.com');
    expect(rule).toContain("effective in the books from 2026-11 (2026-10 is closed: its figures stay as closed and the change is a post-close adjustment (2026-10 in 2026-11's chargeback))");
    // A restatement of October's slice: CC-A's compute 100.00 -> 125.00; the import says where the difference goes.
    const restated = await cli(tdb, 'import', 'focus', await file('oct-125.00.csv', focusCsv(month('2026-10', '125.00'))));
    expect(restated.code).toBe(0);
    expect(restated.stderr).toMatch(/warning: 2026-10 is closed \(October 2026 closed on \d{4}-\d{2}-\d{2} by fin@example.com\): its reports keep the figures as closed; what this delivery changed there is a post-close adjustment, booked in 2026-11's chargeback/);
    // A backdated recognition is refused, naming the first open month.
    const proposed = await json('savings', 'propose', '--title', 'Rightsize', '--lever', 'rightsizing', '--type', 'reduction', '--cost-center', 'CC-A', '--filter', 'provider=Nimbus', '--effective', '2026-10-01', '--estimate', '10', '--as', 'ops@example.com');
    const id = proposed.saving.id as string;
    await run('savings', 'validate', id, '--amount', '10', '--as', 'fin@example.com');
    const backdated = await refused('savings', 'recognize', id, '--from', '2026-10', '--as', 'ita@example.com');
    expect(backdated).toContain(`cannot recognize ${id} from 2026-10: 2026-10 is closed: recognizing from 2026-10 would revise its budget; recognize from 2026-11, the first open month`);
    await run('savings', 'recognize', id, '--from', '2026-11', '--as', 'ita@example.com');

    // The closed month answers as closed ...
    const spend = await json('report', 'spend', '--period', '2026-10', '--by', 'cost-center', '--basis', 'billed');
    expect(spend.rows).toEqual(spendAsClosed.rows);
    expect(spend.total).toBe('170');
    // ... with the changes beside it: the restatement (+25) and the rule (+40) on CC-A, the claim (+30) on CC-B.
    expect(spend.postCloseAdjustments).toEqual([
      { currency: 'USD', rows: [{ 'cost-center': '(unattributed)', cost: '-70' }, { 'cost-center': 'CC-A', cost: '65' }, { 'cost-center': 'CC-B', cost: '30' }], total: '25' },
    ]);
    const text = await run('report', 'spend', '--period', '2026-10', '--by', 'cost-center');
    expect(text).toMatch(/^October 2026 closed on \d{4}-\d{2}-\d{2} by fin@example\.com: figures as closed\./);
    expect(text).toContain("Post-close adjustments 2026-10, USD (changes since close, not in the figures above; booked in 2026-11's chargeback)");

    const sb = await json('showback', '--period', '2026-10', '--basis', 'billed');
    expect(sb.currencies).toEqual(showbackAsClosed.currencies);
    expect(sb.postCloseAdjustments).toEqual([
      {
        currency: 'USD',
        rows: [
          { kind: 'cost-center', costCenter: 'CC-A', direct: '65', allocated: '0', total: '65' },
          { kind: 'cost-center', costCenter: 'CC-B', direct: '30', allocated: '0', total: '30' },
          { kind: 'unattributed', costCenter: '(unattributed)', direct: '-70', allocated: '0', total: '-70' },
        ],
        total: '25',
      },
    ]);

    const cb = await json('chargeback', '--period', '2026-10', '--out', join(dir, 'oct-journal.csv'), '--as', 'fin@example.com');
    expect(cb.issuedNow).toEqual([]);
    expect(cb.entries).toEqual(chargebackAsClosed.entries);
    expect(cb.postClose).toEqual([
      {
        currency: 'USD',
        lines: [
          { costCenter: 'CC-A', account: 'IT-CLOUD', adjustment: '65.00', booked: '0.00', outstanding: '65.00' },
          { costCenter: 'CC-B', account: 'IT-CLOUD', adjustment: '30.00', booked: '0.00', outstanding: '30.00' },
        ],
        bookedIn: [],
      },
    ]);

    const variance = await json('variance', '--period', '2026-10');
    const asClosed = (rows: Json[]) => rows.filter((r) => r.scope !== 'CC-B').map((r) => ({ ...r, postCloseAdjustment: undefined }));
    expect(asClosed(variance.rows)).toEqual(asClosed(varianceAsClosed.rows));
    expect(variance.rows.map((r: Json) => [r.scope, r.actual, r.comparison, r.postCloseAdjustment])).toEqual([
      ['CC-A', '100', '90', '65'],
      ['(unattributed)', '70', '70', '-70'],
      ['CC-B', '0', '0', '30'],
    ]);
    const handoff = await json('handoff', '--period', '2026-10', '--as-of', '2026-11-20');
    expect(handoff.closed).toMatchObject({ period: '2026-10' });
    expect(handoff.rows.find((r: Json) => r.costCenter === 'CC-A')).toMatchObject({ monthToDate: '100', budget: '200', postCloseAdjustment: '65' });
  });

  it("carries the post-close adjustments into the first open month's chargeback as adjusting lines, each difference once", async () => {
    const nov = await json('chargeback', '--period', '2026-11', '--out', join(dir, 'nov-journal.csv'), '--as', 'fin@example.com');
    expect(nov.issuedNow).toEqual(['CB-2026-11-USD']);
    expect(nov.carries).toEqual(['2026-10']);
    const entry = nov.entries[0];
    expect(entry.lines.map((l: Json) => [l.costCenter, l.debit, l.credit, l.booksPeriod])).toEqual([
      ['CC-A', '110.00', null, '2026-11'],
      ['CC-B', '40.00', null, '2026-11'],
      ['CC-A', '65.00', null, '2026-10'],
      ['CC-B', '30.00', null, '2026-10'],
      [null, null, '245.00', '2026-11'],
    ]);
    expect(entry).toMatchObject({ debitTotal: '245.00', creditTotal: '245.00' });
    expect(entry.lines[2].memo).toMatch(/^post-close adjustment of 2026-10 \(October 2026 closed on .* by fin@example\.com\) BilledCost: changed by 65\.00 since close, booked before 0\.00$/);
    expect(nov.reconciliation[0].costCenters.map((c: Json) => [c.costCenter, c.chargeback, c.postClose])).toEqual([
      ['CC-A', '175', '65'],
      ['CC-B', '70', '30'],
    ]);
    const csv = parse(await readFile(join(dir, 'nov-journal.csv'), 'utf8')) as string[][];
    expect(csv.slice(1).map((r) => [r[1], r[4], r[5], r[9]])).toEqual([
      ['CB-2026-11-USD', 'CC-A', '110.00', '2026-11'],
      ['CB-2026-11-USD', 'CC-B', '40.00', '2026-11'],
      ['CB-2026-11-USD', 'CC-A', '65.00', '2026-10'],
      ['CB-2026-11-USD', 'CC-B', '30.00', '2026-10'],
      ['CB-2026-11-USD', '', '', '2026-11'],
    ]);

    // October now shows them booked; re-running November books nothing twice.
    const oct = await json('chargeback', '--period', '2026-10', '--dry-run');
    expect(oct.postClose[0]).toMatchObject({ bookedIn: ['CB-2026-11-USD'] });
    expect(oct.postClose[0].lines.map((l: Json) => l.outstanding)).toEqual(['0.00', '0.00']);
    expect((await json('chargeback', '--period', '2026-11', '--out', join(dir, 'nov-journal.csv'))).issuedNow).toEqual([]);

    // A further restatement of October: only its difference (+1.00) is carried, as an adjusting entry.
    await restateOctober('126.00');
    const again = await json('chargeback', '--period', '2026-11', '--out', join(dir, 'nov-journal.csv'), '--as', 'fin@example.com');
    expect(again.issuedNow).toEqual(['CB-2026-11-USD-A1']);
    expect(again.entries[0]).toEqual(entry);
    expect(again.entries[1].lines.map((l: Json) => [l.costCenter, l.debit, l.credit, l.booksPeriod])).toEqual([
      ['CC-A', '1.00', null, '2026-10'],
      [null, null, '1.00', '2026-11'],
    ]);
    expect(again.reconciliation[0].total).toMatchObject({ chargeback: '246', postClose: '96' });
  });

  it('reopen (admin, with a reason, audited) restores normal behaviour, and no difference is booked twice', async () => {
    expect(await refused('period', 'reopen', '2026-10', '--reason', 'late credit', '--as', 'fin@example.com')).toContain('fin@example.com may not reopen a closed billing month: it needs admin for every cost center');
    expect(await refused('period', 'reopen', '2026-10', '--reason', ' ', '--as', 'boss@example.com')).toContain('a reopen needs a reason');
    const reopened = await json('period', 'reopen', '2026-10', '--reason', 'late credit to book in October', '--as', 'boss@example.com');
    expect(reopened).toMatchObject({ period: '2026-10', status: 'reopened', reopenedBy: 'boss@example.com', reopenReason: 'late credit to book in October' });
    const audit = await sql<{ actor: string; action: string; after: Json }>`SELECT actor, action, after FROM audit_log WHERE subject_type = 'period' AND outcome = 'recorded' ORDER BY id`.execute(store.db);
    expect(audit.rows.map((r) => [r.actor, r.action])).toEqual([['fin@example.com', 'period.close'], ['boss@example.com', 'period.reopen']]);
    expect(audit.rows[1]!.after).toMatchObject({ reason: 'late credit to book in October' });

    // Live figures again.
    const spend = await json('report', 'spend', '--period', '2026-10', '--by', 'cost-center', '--basis', 'billed');
    expect(spend).toMatchObject({ closed: null, postCloseAdjustments: [], total: '196' });
    expect(spend.rows).toEqual([{ 'cost-center': 'CC-A', cost: '166' }, { 'cost-center': 'CC-B', cost: '30' }]);
    // October's own chargeback: 100 issued in CB-2026-10-USD and 96 carried into November: nothing left to book.
    expect((await json('chargeback', '--period', '2026-10', '--out', join(dir, 'oct-journal.csv'))).issuedNow).toEqual([]);
    // A change while open is October's own adjusting entry.
    await restateOctober('130.00');
    const oct = await json('chargeback', '--period', '2026-10', '--out', join(dir, 'oct-journal.csv'), '--as', 'fin@example.com');
    expect(oct.issuedNow).toEqual(['CB-2026-10-USD-A1']);
    expect(oct.entries[1].lines.map((l: Json) => [l.costCenter, l.debit, l.credit, l.booksPeriod])).toEqual([
      ['CC-A', '4.00', null, '2026-10'],
      [null, null, '4.00', '2026-10'],
    ]);
    // November carries nothing while October is open, nor after it is closed again.
    expect((await json('chargeback', '--period', '2026-11', '--dry-run')).issuedNow).toEqual([]);
    await run('period', 'close', '2026-10', '--as', 'boss@example.com');
    const nov = await json('chargeback', '--period', '2026-11', '--out', join(dir, 'nov-journal.csv'));
    expect(nov).toMatchObject({ issuedNow: [], carries: ['2026-10'] });
    expect((await json('period', 'list')).periods.map((p: Json) => [p.period, p.status, p.closedBy])).toEqual([
      ['2026-10', 'closed', 'boss@example.com'],
      ['2026-10', 'reopened', 'fin@example.com'],
    ]);
    // Across all entries, October's figures are booked exactly once: 130 + 40 (CC-A), 30 (CC-B).
    const booked = await sql<{ cost_center: string; amount: string }>`
      SELECT cost_center, sum(debit)::text AS amount FROM chargeback_entry_line
       WHERE books_period = '2026-10-01' AND debit IS NOT NULL GROUP BY 1 ORDER BY 1`.execute(store.db);
    expect(booked.rows.map((r) => [r.cost_center, new Money(r.amount).toFixed(2)])).toEqual([['CC-A', '170.00'], ['CC-B', '30.00']]);
  });

  it('closing a month freezes its month-on-month variance as it stood, restated comparatives and restatement included', async () => {
    // October under November's attribution: its Storage line goes to CC-B (November's claim, from November on),
    // its Database line is unattributed (October's claim was for October only); as closed it was CC-A 170, CC-B 30.
    const before = await json('variance', '--period', '2026-11');
    expect(before.rows.map((r: Json) => [r.scope, r.actual, r.comparison, r.variance, r.restatement])).toEqual([
      ['CC-A', '110', '130', '-20', '-40'],
      ['(unattributed)', '30', '30', '0', '30'],
      ['CC-B', '40', '40', '0', '10'],
    ]);
    await run('period', 'close', '2026-11', '--as', 'fin@example.com');
    const after = await json('variance', '--period', '2026-11');
    expect(after.closed).toMatchObject({ period: '2026-11' });
    const figures = (rows: Json[]) => rows.map((r) => ({ ...r, postCloseAdjustment: undefined }));
    expect(figures(after.rows)).toEqual(figures(before.rows));
    // A later claim moves no closed figure: only its post-close adjustment.
    await run('claim', await itemId('2026-11', 'Database'), '--cost-center', 'CC-A', '--rule-scope', 'item', '--as', 'ana@example.com');
    const later = await json('variance', '--period', '2026-11');
    expect(figures(later.rows)).toEqual(figures(before.rows));
    expect(later.rows.map((r: Json) => [r.scope, r.actual, r.postCloseAdjustment])).toEqual([
      ['CC-A', '110', '30'],
      ['(unattributed)', '30', '-30'],
      ['CC-B', '40', '0'],
    ]);
  });
});
