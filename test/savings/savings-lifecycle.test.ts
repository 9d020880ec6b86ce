import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import type { Store } from '../../src/store/database.js';
import { proposeSaving, type ProposeSavingRequest } from '../../src/app/propose-saving.js';
import { validateSaving } from '../../src/app/validate-saving.js';
import { recognizeSaving } from '../../src/app/recognize-saving.js';
import { approveSaving } from '../../src/app/approve-saving.js';
import { rejectSaving } from '../../src/app/reject-saving.js';
import { withdrawSaving } from '../../src/app/withdraw-saving.js';
import { reverseSaving } from '../../src/app/reverse-saving.js';
import { showSaving } from '../../src/app/show-saving.js';
import { savingsLedger } from '../../src/app/savings-ledger.js';
import { setUpOrganisation } from './savings-setup.js';

const now = new Date('2026-03-10T12:00:00Z');

function proposal(overrides: Partial<ProposeSavingRequest> = {}): ProposeSavingRequest {
  return {
    title: 'Rightsize the build fleet',
    lever: 'rightsizing',
    type: 'reduction',
    costCenter: 'PLAT',
    category: 'Cloud',
    filters: { service: ['Virtual Machines'] },
    effectiveDate: '2026-03-01',
    estimateMonthly: '1000',
    currency: 'USD',
    evidence: 'https://wiki.example.com/rightsizing',
    actor: 'fin@example.com',
    surface: 'cli',
    ...overrides,
  };
}

describe.each(storeKinds)('savings lifecycle on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;

  const audit = async (id: string) =>
    (await sql<{ action: string; actor: string; surface: string }>`
      SELECT action, actor, surface FROM audit_log WHERE subject_type = 'saving' AND subject_id = ${id} AND outcome = 'recorded' ORDER BY id`.execute(store.db)).rows;
  /** Ends a test's saving whatever its state: a recognition is reversed (itfm), then the proposer withdraws it. */
  const cleanUp = async (id: string, proposer = 'fin@example.com') => {
    await reverseSaving(store, { id, reason: 'test clean-up', actor: 'itb@example.com', surface: 'cli' });
    const w = await withdrawSaving(store, { id, actor: proposer, surface: 'cli' });
    if (!w.ok) throw new Error(w.message);
  };
  /** The revised budget exactly as the variance engineer computes it. */
  const revised = async (cc: string, category: string, month: string) =>
    (await sql<{ original: string; revised: string }>`
      SELECT b.amount::text AS original,
             (b.amount + coalesce((SELECT sum(r.amount) FROM budget_revision r
                                    WHERE r.cost_center_code = b.cost_center_code AND r.category = b.category AND r.month = b.month), 0))::text AS revised
        FROM budget_line b
       WHERE b.version = 'budget' AND b.cost_center_code = ${cc} AND b.category = ${category} AND b.month = ${month}::date`.execute(store.db)).rows[0]!;
  const propose = async (overrides: Partial<ProposeSavingRequest> = {}) => {
    const r = await proposeSaving(store, proposal(overrides));
    if (!r.ok) throw new Error(r.message);
    return r;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    await setUpOrganisation(tdb);
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('only finops or the cost center owner may propose, and only known people', async () => {
    expect(await proposeSaving(store, proposal({ actor: 'stranger@example.com' }))).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('"stranger@example.com" is not a known person') });
    expect(await proposeSaving(store, proposal({ actor: 'ita@example.com' }))).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('it needs finops or owner of PLAT or of a cost center above it') });
    expect(await proposeSaving(store, proposal({ costCenter: 'NOPE' }))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await proposeSaving(store, proposal({ lever: 'commitment-discount' }))).toMatchObject({ ok: false, code: 'INPUT_INVALID', message: expect.stringContaining('commitment-discount-id') });
    expect(await proposeSaving(store, proposal({ baselineStart: '2026-02-10', baselineEnd: '2026-03-05' }))).toMatchObject({ ok: false, code: 'INPUT_INVALID', message: expect.stringContaining('before the effective date') });
    const byOwner = await propose({ actor: 'owner@example.com', title: 'Owner cleanup' });
    expect(byOwner.saving).toMatchObject({ status: 'proposed', proposer: 'owner@example.com', version: 1, baselineStart: '2026-01-30', baselineEnd: '2026-02-28', basis: 'effective' });
    // The owner of PLAT is not the owner of ENG.
    expect(await proposeSaving(store, proposal({ actor: 'owner@example.com', costCenter: 'ENG' }))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('runs proposed -> validated -> recognized -> (reject refused) -> reversed -> rejected, with budget revisions and their reversal', async () => {
    const { saving } = await propose();
    expect(saving.id).toMatch(/^SAV-\d{4}$/);
    expect(saving.estimateMonthly).toBe('1000');

    expect(await validateSaving(store, { id: saving.id, amount: '800', actor: 'fin2@example.com', surface: 'cli' })).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('fin2@example.com may not sign off a saving of PLAT: it needs itfm') });
    expect(await recognizeSaving(store, { id: saving.id, from: '2026-10', actor: 'ita@example.com', surface: 'cli' })).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION', message: `${saving.id} is proposed; only a saving that is validated can be recognized` });

    const v = await validateSaving(store, { id: saving.id, amount: '800.00', actor: 'ita@example.com', surface: 'slack' });
    expect(v).toMatchObject({ ok: true, alreadyDone: false, saving: { status: 'validated', recognizedMonthly: '800', approver: 'ita@example.com', version: 2 } });
    // The same validation again: one transition only.
    expect(await validateSaving(store, { id: saving.id, amount: '800', actor: 'ita@example.com', surface: 'slack' })).toMatchObject({ ok: true, alreadyDone: true, saving: { version: 2 } });
    expect(await validateSaving(store, { id: saving.id, amount: '750', actor: 'ita@example.com', surface: 'slack' })).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });

    expect(await recognizeSaving(store, { id: saving.id, from: '2026-02', actor: 'itb@example.com', surface: 'cli' })).toMatchObject({ ok: false, code: 'INPUT_INVALID', message: expect.stringContaining('takes effect on 2026-03-01') });
    const r = await recognizeSaving(store, { id: saving.id, from: '2026-10', actor: 'itb@example.com', surface: 'teams' });
    if (!r.ok) throw new Error(r.message);
    expect(r.saving).toMatchObject({ status: 'recognized', recognizedFrom: '2026-10', recognizedBy: 'itb@example.com', version: 3 });
    expect(r.revisions.map((x) => [x.month, x.amount, x.costCenter, x.category, x.currency])).toEqual([
      ['2026-10', '-800', 'PLAT', 'Cloud', 'USD'],
      ['2026-11', '-800', 'PLAT', 'Cloud', 'USD'],
      ['2026-12', '-800', 'PLAT', 'Cloud', 'USD'],
    ]);
    expect(await revised('PLAT', 'Cloud', '2026-10-01')).toEqual({ original: '10000', revised: '9200' });
    expect(await revised('PLAT', 'Cloud', '2026-09-01')).toEqual({ original: '10000', revised: '10000' });
    // The original budget line is untouched, and the uncategorised budget is not revised.
    expect(await revised('PLAT', '', '2026-10-01')).toEqual({ original: '2500.50', revised: '2500.50' });

    const ledger = await savingsLedger(store, { year: 2026 });
    const oct = ledger.rows.find((x) => x.month === '2026-10' && x.costCenter === 'PLAT')!;
    expect(oct).toEqual({ month: '2026-10', costCenter: 'PLAT', category: 'Cloud', currency: 'USD', reduction: '800', avoidance: '0', budgetRevision: '-800', originalBudget: '10000', revisedBudget: '9200' });
    expect(ledger.savings.map((s) => s.saving.id)).toContain(saving.id);

    // A rejection never silently undoes a recognition: it is refused, naming the way to undo it.
    expect(await rejectSaving(store, { id: saving.id, reason: 'the fleet grew back', actor: 'ita@example.com', surface: 'cli' })).toMatchObject({
      ok: false,
      code: 'ILLEGAL_TRANSITION',
      message: `${saving.id} is recognized; only a saving that is proposed or validated can be rejected; to undo its recognition: costbridge savings reverse ${saving.id} --reason "..." (itfm)`,
    });
    expect(await reverseSaving(store, { id: saving.id, reason: 'x', actor: 'fin2@example.com', surface: 'cli' })).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('it needs itfm') });
    const rev = await reverseSaving(store, { id: saving.id, reason: 'the fleet grew back', actor: 'ita@example.com', surface: 'cli' });
    if (!rev.ok) throw new Error(rev.message);
    expect(rev.saving).toMatchObject({ status: 'validated', recognizedMonthly: '800', recognizedFrom: null, recognizedBy: null, version: 4 });
    expect(rev.revisions.map((x) => x.amount)).toEqual(['800', '800', '800']);
    expect(await revised('PLAT', 'Cloud', '2026-10-01')).toEqual({ original: '10000', revised: '10000' });
    const rej = await rejectSaving(store, { id: saving.id, reason: 'the fleet grew back', actor: 'ita@example.com', surface: 'cli' });
    if (!rej.ok) throw new Error(rej.message);
    expect(rej.saving).toMatchObject({ status: 'rejected', closedBy: 'ita@example.com', rejectReason: 'the fleet grew back', version: 5 });
    expect(rej.revisions).toEqual([]);
    const rows = (await sql<{ id: number; reverses: number | null; reversed_by: number | null }>`
      SELECT id, reverses, reversed_by FROM budget_revision WHERE saving_id = ${saving.id} ORDER BY id`.execute(store.db)).rows;
    expect(rows).toHaveLength(6);
    for (const orig of rows.filter((x) => x.reverses === null)) expect(rows.find((x) => x.id === orig.reversed_by)?.reverses).toBe(orig.id);
    const after = await savingsLedger(store, { year: 2026 });
    expect(after.savings.map((s) => s.saving.id)).not.toContain(saving.id);
    expect(after.rows.find((x) => x.month === '2026-10' && x.costCenter === 'PLAT')).toMatchObject({ reduction: '0', budgetRevision: '0', revisedBudget: '10000' });

    // Final states stay final.
    expect(await validateSaving(store, { id: saving.id, amount: '800', actor: 'itb@example.com', surface: 'cli' })).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION', message: `${saving.id} is rejected (rejected is final); only a saving that is proposed can be validated` });
    expect(await withdrawSaving(store, { id: saving.id, actor: 'fin@example.com', surface: 'cli' })).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    expect(await rejectSaving(store, { id: saving.id, reason: 'the fleet grew back', actor: 'ita@example.com', surface: 'cli' })).toMatchObject({ ok: true, alreadyDone: true });

    expect(await audit(saving.id)).toEqual([
      { action: 'saving.propose', actor: 'fin@example.com', surface: 'cli' },
      { action: 'saving.validate', actor: 'ita@example.com', surface: 'slack' },
      { action: 'saving.recognize', actor: 'itb@example.com', surface: 'teams' },
      { action: 'saving.reverse', actor: 'ita@example.com', surface: 'cli' },
      { action: 'saving.reject', actor: 'ita@example.com', surface: 'cli' },
    ]);
    const states = (await sql<{ action: string; before: { status: string }; after: { status: string; reason?: string } }>`
      SELECT action, before, after FROM audit_log WHERE subject_id = ${saving.id} AND action IN ('saving.reverse', 'saving.reject') AND outcome = 'recorded' ORDER BY id`.execute(store.db)).rows;
    expect(states.map((x) => [x.action, x.before.status, x.after.status])).toEqual([
      ['saving.reverse', 'recognized', 'validated'],
      ['saving.reject', 'validated', 'rejected'],
    ]);
    expect(states[0]!.after.reason).toBe('the fleet grew back');
  });

  it('a reversed recognition can be recognized again; only the standing rows revise the budget', async () => {
    const { saving } = await propose({ estimateMonthly: '500' });
    const first = await approveSaving(store, { id: saving.id, actor: 'ita@example.com', surface: 'cli', now, from: '2026-10' });
    if (!first.ok) throw new Error(first.message);
    expect((await reverseSaving(store, { id: saving.id, reason: 'measured too early', actor: 'itb@example.com', surface: 'cli' })).ok).toBe(true);
    const again = await recognizeSaving(store, { id: saving.id, from: '2026-11', actor: 'itb@example.com', surface: 'cli', expectedVersion: 4 });
    expect(again).toMatchObject({ ok: true, saving: { status: 'recognized', recognizedFrom: '2026-11', recognizedBy: 'itb@example.com', version: 5 } });
    expect(await revised('PLAT', 'Cloud', '2026-10-01')).toEqual({ original: '10000', revised: '10000' });
    expect(await revised('PLAT', 'Cloud', '2026-11-01')).toEqual({ original: '10000', revised: '9500' });
    await cleanUp(saving.id);
  });

  it('segregation of duties: nobody approves their own proposal, even holding both roles', async () => {
    const { saving } = await propose({ actor: 'both@example.com' });
    for (const attempt of [
      validateSaving(store, { id: saving.id, amount: '10', actor: 'both@example.com', surface: 'cli' }),
      approveSaving(store, { id: saving.id, actor: 'both@example.com', surface: 'cli', now, from: '2026-04' }),
    ]) {
      expect(await attempt).toMatchObject({ ok: false, code: 'SEGREGATION_OF_DUTIES', message: expect.stringContaining('segregation of duties') });
    }
    // Another itfm person may; the proposer may also decide on other people's savings.
    expect(await approveSaving(store, { id: saving.id, actor: 'ita@example.com', surface: 'cli', now, from: '2026-04' })).toMatchObject({ ok: true });
    const other = await propose();
    expect(await validateSaving(store, { id: other.saving.id, amount: '10', actor: 'both@example.com', surface: 'cli' })).toMatchObject({ ok: true });
    await cleanUp(saving.id, 'both@example.com');
    await cleanUp(other.saving.id);
  });

  it('itfm roles scoped to a cost center cover it and its descendants only', async () => {
    const plat = await propose();
    const eng = await propose({ costCenter: 'ENG', category: '' });
    expect(await validateSaving(store, { id: eng.saving.id, amount: '5', actor: 'itplat@example.com', surface: 'cli' })).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('itfm for PLAT') });
    expect(await validateSaving(store, { id: plat.saving.id, amount: '5', actor: 'itplat@example.com', surface: 'cli' })).toMatchObject({ ok: true });
    expect(await validateSaving(store, { id: eng.saving.id, amount: '5', actor: 'iteng@example.com', surface: 'cli' })).toMatchObject({ ok: true });
    for (const id of [plat.saving.id, eng.saving.id]) await withdrawSaving(store, { id, actor: 'fin@example.com', surface: 'cli' });
  });

  it('withdraw: only by the proposer, never of a recognized saving (reversed first)', async () => {
    const { saving } = await propose({ effectiveDate: '2026-06-15', estimateMonthly: '300' });
    const a = await approveSaving(store, { id: saving.id, actor: 'ita@example.com', surface: 'cli', now });
    if (!a.ok) throw new Error(a.message);
    // Default amount: the estimate; default month: the later of the effective month and now's month.
    expect(a.saving).toMatchObject({ status: 'recognized', recognizedMonthly: '300', recognizedFrom: '2026-06', version: 3 });
    expect(a.revisions).toHaveLength(7);
    expect(await revised('PLAT', 'Cloud', '2026-06-01')).toEqual({ original: '10000', revised: '9700' });
    expect(await withdrawSaving(store, { id: saving.id, actor: 'fin2@example.com', surface: 'cli' })).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('only the proposer') });
    expect(await withdrawSaving(store, { id: saving.id, actor: 'fin@example.com', surface: 'cli' })).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('savings reverse') });
    expect((await reverseSaving(store, { id: saving.id, reason: 'the resize was rolled back', actor: 'itb@example.com', surface: 'cli' })).ok).toBe(true);
    const w = await withdrawSaving(store, { id: saving.id, actor: 'fin@example.com', surface: 'cli' });
    expect(w).toMatchObject({ ok: true, saving: { status: 'withdrawn', closedBy: 'fin@example.com' } });
    expect(await revised('PLAT', 'Cloud', '2026-06-01')).toEqual({ original: '10000', revised: '10000' });
    expect(await withdrawSaving(store, { id: saving.id, actor: 'fin@example.com', surface: 'cli' })).toMatchObject({ ok: true, alreadyDone: true });
    expect((await audit(saving.id)).map((x) => x.action)).toEqual(['saving.propose', 'saving.validate', 'saving.recognize', 'saving.reverse', 'saving.withdraw']);
    expect(await sql`SELECT 1 FROM audit_log WHERE subject_id = ${saving.id} AND action = 'saving.withdraw' AND actor = 'fin2@example.com' AND outcome = 'refused'`.execute(store.db).then((r) => r.rows.length)).toBe(1);
  });

  it('cost avoidance is recognized in the ledger but never lowers a budget line', async () => {
    const { saving } = await propose({ type: 'avoidance', title: 'Avoid the new GPU cluster', lever: 'architecture', estimateMonthly: '4000' });
    const a = await approveSaving(store, { id: saving.id, actor: 'itb@example.com', surface: 'cli', now, amount: '3500', from: '2026-11' });
    expect(a).toMatchObject({ ok: true, revisions: [], saving: { status: 'recognized', recognizedMonthly: '3500' } });
    const n = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM budget_revision WHERE saving_id = ${saving.id}`.execute(store.db)).rows[0]!.n;
    expect(n).toBe(0);
    const ledger = await savingsLedger(store, { year: 2026 });
    expect(ledger.rows.filter((x) => x.avoidance !== '0')).toEqual([
      { month: '2026-11', costCenter: 'PLAT', category: 'Cloud', currency: 'USD', reduction: '0', avoidance: '3500', budgetRevision: '0', originalBudget: '10000', revisedBudget: '10000' },
      { month: '2026-12', costCenter: 'PLAT', category: 'Cloud', currency: 'USD', reduction: '0', avoidance: '3500', budgetRevision: '0', originalBudget: '10000', revisedBudget: '10000' },
    ]);
    await cleanUp(saving.id);
  });

  it('refuses a recognition whose budget is kept in another currency, and rolls the validation back', async () => {
    const { saving } = await propose({ costCenter: 'DATA', currency: 'USD' });
    const a = await approveSaving(store, { id: saving.id, actor: 'ita@example.com', surface: 'cli', now, from: '2026-05' });
    expect(a).toMatchObject({ ok: false, code: 'CURRENCY_MISMATCH', saving: { status: 'proposed', version: 1 } });
    expect((await audit(saving.id)).map((x) => x.action)).toEqual(['saving.propose']);
    // Without a currency, the budget's own currency is used.
    const eur = await propose({ costCenter: 'DATA', currency: undefined });
    expect(eur.saving.currency).toBe('EUR');
    for (const id of [saving.id, eur.saving.id]) await withdrawSaving(store, { id, actor: 'fin@example.com', surface: 'cli' });
  });

  it('flags a proposal overlapping a validated or recognized saving, and shows it to the approver', async () => {
    const base = await propose({ filters: { service: ['Kubernetes'], 'sub-account': ['prod'] }, title: 'K8s bin packing' });
    const early = await propose({ filters: { service: ['Kubernetes'] }, title: 'Proposed only' });
    // Overlap counts only against validated or recognized savings.
    expect(early.overlaps).toEqual([]);
    await validateSaving(store, { id: base.saving.id, amount: '100', actor: 'ita@example.com', surface: 'cli' });
    const same = await propose({ filters: { service: ['Kubernetes', 'Databases'] }, title: 'Same dollars' });
    expect(same.overlaps).toEqual([base.saving.id]);
    const otherService = await propose({ filters: { service: ['Databases'] }, title: 'Other service' });
    expect(otherService.overlaps).toEqual([]);
    const otherCc = await propose({ costCenter: 'ENG', category: '', filters: { service: ['Kubernetes'] }, title: 'Other cost center' });
    expect(otherCc.overlaps).toEqual([]);
    const before = await propose({ effectiveDate: '2026-01-01', endDate: '2026-02-28', filters: { service: ['Kubernetes'] }, title: 'Ended before' });
    expect(before.overlaps).toEqual([]);
    const shown = await showSaving(store, { id: early.saving.id });
    expect(shown).toMatchObject({ ok: true, overlaps: [{ id: base.saving.id, status: 'validated', title: 'K8s bin packing' }] });
    const v = await validateSaving(store, { id: same.saving.id, amount: '50', actor: 'itb@example.com', surface: 'cli' });
    expect(v).toMatchObject({ ok: true, overlaps: [base.saving.id] });
    const list = JSON.parse((await cli(tdb, 'savings', 'list', '--status', 'validated', '--json')).stdout);
    const item = list.items.find((i: { id: string }) => i.id === same.saving.id);
    expect(Object.keys(item)).toEqual(['id', 'title', 'lever', 'type', 'status', 'costCenter', 'estimateMonthly', 'measured', 'recognizedMonthly', 'proposer', 'approver', 'overlaps']);
    expect(item).toMatchObject({ status: 'validated', costCenter: 'PLAT', estimateMonthly: '1000', recognizedMonthly: '50', proposer: 'fin@example.com', approver: 'itb@example.com', overlaps: [base.saving.id] });
    for (const s of [base, early, same, otherService, otherCc, before]) await withdrawSaving(store, { id: s.saving.id, actor: 'fin@example.com', surface: 'cli' });
  });

  it('the same proposal submitted twice with one request key is stored once', async () => {
    const [a, b] = await Promise.all([proposeSaving(store, proposal({ requestKey: `slack-${kind}-1` })), proposeSaving(store, proposal({ requestKey: `slack-${kind}-1` }))]);
    if (!a.ok || !b.ok) throw new Error('refused');
    expect(a.saving.id).toBe(b.saving.id);
    expect([a.alreadyDone, b.alreadyDone].sort()).toEqual([false, true]);
    expect(await audit(a.saving.id)).toHaveLength(1);
    await withdrawSaving(store, { id: a.saving.id, actor: 'fin@example.com', surface: 'cli' });
  });

  it('double submission of the same approval: one transition, one budget revision set', async () => {
    const { saving } = await propose();
    const request = { id: saving.id, actor: 'ita@example.com', surface: 'slack' as const, now, amount: '900', from: '2026-09', expectedVersion: 1 };
    const second = kind === 'postgres' ? await tdb.open() : store;
    const results = await Promise.all([approveSaving(store, request), approveSaving(second, request), approveSaving(store, request)]);
    for (const r of results) expect(r).toMatchObject({ ok: true, saving: { status: 'recognized', version: 3 } });
    expect(results.filter((r) => r.ok && !r.alreadyDone)).toHaveLength(1);
    const revisions = (await sql<{ month: string; amount: string }>`
      SELECT to_char(month, 'YYYY-MM') AS month, amount::text FROM budget_revision WHERE saving_id = ${saving.id} ORDER BY month`.execute(store.db)).rows;
    expect(revisions).toEqual(['09', '10', '11', '12'].map((m) => ({ month: `2026-${m}`, amount: '-900' })));
    expect((await audit(saving.id)).map((x) => x.action)).toEqual(['saving.propose', 'saving.validate', 'saving.recognize']);
    await cleanUp(saving.id);
  });

  it('concurrent approve vs reject on the same record: exactly one wins', async () => {
    const second = kind === 'postgres' ? await tdb.open() : store;
    const winners: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { saving } = await propose({ title: `race ${i}` });
      const approve = approveSaving(i % 2 === 0 ? store : second, { id: saving.id, actor: 'ita@example.com', surface: 'slack', now, from: '2026-07', expectedVersion: 1 });
      const reject = rejectSaving(i % 2 === 0 ? second : store, { id: saving.id, reason: 'not real', actor: 'itb@example.com', surface: 'teams', expectedVersion: 1 });
      const [a, r] = await Promise.all([approve, reject]);
      expect([a.ok, r.ok].filter(Boolean)).toHaveLength(1);
      const loser = a.ok ? r : a;
      expect(loser).toMatchObject({ ok: false, code: 'CONFLICT', message: expect.stringContaining('changed since you looked at it (version 1)') });
      const stored = (await sql<{ status: string; n: number; sum: string | null }>`
        SELECT s.status, (SELECT count(*)::int FROM budget_revision r WHERE r.saving_id = s.id) AS n,
               (SELECT sum(amount)::text FROM budget_revision r WHERE r.saving_id = s.id) AS sum
          FROM saving s WHERE s.id = ${saving.id}`.execute(store.db)).rows[0]!;
      if (a.ok) {
        winners.push('approve');
        expect(stored).toEqual({ status: 'recognized', n: 6, sum: '-6000' });
        expect((await audit(saving.id)).map((x) => x.action)).toEqual(['saving.propose', 'saving.validate', 'saving.recognize']);
        await cleanUp(saving.id);
      } else {
        winners.push('reject');
        expect(stored).toEqual({ status: 'rejected', n: 0, sum: null });
        expect((await audit(saving.id)).map((x) => x.action)).toEqual(['saving.propose', 'saving.reject']);
      }
    }
    expect(winners).toHaveLength(6);
  });

  it('approve and reject racing without a version (as the CLI sends them): exactly one succeeds, whichever lands first; a recognition is never silently undone', async () => {
    const second = kind === 'postgres' ? await tdb.open() : store;
    const winners = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const { saving } = await propose({ title: `unversioned race ${i}` });
      const startApprove = () => approveSaving(i % 2 === 0 ? store : second, { id: saving.id, actor: 'ita@example.com', surface: 'cli', now, from: '2026-07' });
      const startReject = () => rejectSaving(i % 2 === 0 ? second : store, { id: saving.id, reason: 'not real', actor: 'itb@example.com', surface: 'cli' });
      // Started in either order, running at once.
      const [a, r] = i % 4 < 2 ? await Promise.all([startApprove(), startReject()]) : await (async () => {
        const rejecting = startReject();
        const approving = startApprove();
        return Promise.all([approving, rejecting]);
      })();
      expect([a.ok, r.ok].filter(Boolean)).toHaveLength(1);
      const loser = a.ok ? r : a;
      expect(loser).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
      const stored = (await sql<{ status: string; sum: string | null }>`
        SELECT s.status, (SELECT sum(amount)::text FROM budget_revision r WHERE r.saving_id = s.id) AS sum FROM saving s WHERE s.id = ${saving.id}`.execute(store.db)).rows[0]!;
      // Whoever won, the saving is in the winner's state: never recognized-then-rejected.
      expect(stored).toEqual(a.ok ? { status: 'recognized', sum: '-6000' } : { status: 'rejected', sum: null });
      winners.add(a.ok ? 'approve' : 'reject');
      if (a.ok) await cleanUp(saving.id);
    }
    if (second !== store) await second.close();
  });
});
