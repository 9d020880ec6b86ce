import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { setUpOrganisation } from './savings-setup.js';

describe.each(storeKinds)('costbridge savings commands on %s', (kind) => {
  let tdb: TestDatabase;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    await setUpOrganisation(tdb);
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('propose, validate, recognize, list, show and ledger from the command line', async () => {
    const p = await cli(tdb, 'savings', 'propose', '--title', 'Savings plan for CI runners', '--lever', 'negotiated-price', '--type', 'reduction',
      '--cost-center', 'PLAT', '--category', 'Cloud', '--filter', 'provider=Nimbus', '--filter', 'service=Virtual Machines', '--filter', 'service=Kubernetes',
      '--effective', '2026-04-01', '--estimate', '1200.50', '--evidence', 'quote Q-77', '--as', 'fin@example.com');
    expect(p.stderr).toBe('');
    const id = /^(SAV-\d{4}) proposed: Savings plan for CI runners \(negotiated-price, reduction, PLAT, estimate USD 1,200.50\/month from 2026-04-01\)$/m.exec(p.stdout)?.[1];
    expect(id).toBeDefined();

    const v = await cli(tdb, 'savings', 'validate', id!, '--amount', '1000', '--as', 'ita@example.com', '--json');
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, alreadyDone: false, saving: { id, status: 'validated', recognizedMonthly: '1000', version: 2 }, revisions: [], overlaps: [] });
    const stale = await cli(tdb, 'savings', 'recognize', id!, '--from', '2026-11', '--as', 'itb@example.com', '--expect-version', '1');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`${id} changed since you looked at it (version 1): it was validated by ita@example.com`);
    expect(stale.stderr).toContain('(validated, version 2); nothing was changed');
    const r = await cli(tdb, 'savings', 'recognize', id!, '--from', '2026-11', '--as', 'itb@example.com', '--expect-version', '2');
    expect(r.stdout).toContain(`${id} recognized: now recognized (version 3)`);
    expect(r.stdout).toContain('budget revisions written: 2026-11 USD -1,000.00, 2026-12 USD -1,000.00');
    const again = await cli(tdb, 'savings', 'recognize', id!, '--from', '2026-11', '--as', 'itb@example.com');
    expect(again.stdout).toContain('nothing changed');

    const list = JSON.parse((await cli(tdb, 'savings', 'list', '--json')).stdout);
    expect(list.items).toEqual([
      { id, title: 'Savings plan for CI runners', lever: 'negotiated-price', type: 'reduction', status: 'recognized', costCenter: 'PLAT', estimateMonthly: '1200.5', measured: {}, recognizedMonthly: '1000', proposer: 'fin@example.com', approver: 'ita@example.com', overlaps: [] },
    ]);
    expect(JSON.parse((await cli(tdb, 'savings', 'list', '--status', 'proposed', '--json')).stdout)).toEqual({ items: [] });
    expect(JSON.parse((await cli(tdb, 'savings', 'list', '--period', '2026-03', '--json')).stdout)).toEqual({ items: [] });
    expect((await cli(tdb, 'savings', 'list')).stdout).toMatch(new RegExp(`${id}\\s+recognized\\s+negotiated-price\\s+reduction\\s+PLAT\\s+USD 1,200.50\\s+-\\s+USD 1,000.00\\s+-\\s+Savings plan`));

    const show = await cli(tdb, 'savings', 'show', id!);
    expect(show.stdout).toContain('scope: provider=Nimbus, service=Kubernetes, service=Virtual Machines');
    expect(show.stdout).toContain('evidence: quote Q-77');
    expect(show.stdout).toContain('no cost lines are stored for the billing accounts in scope');
    expect(show.stdout).toMatch(/saving\.propose\n.*saving\.validate\n.*saving\.recognize/);
    const json = JSON.parse((await cli(tdb, 'savings', 'show', id!, '--json')).stdout);
    expect(json.revisions.map((x: { month: string; amount: string }) => [x.month, x.amount])).toEqual([['2026-11', '-1000'], ['2026-12', '-1000']]);
    expect(json.history.map((h: { action: string; surface: string }) => [h.action, h.surface])).toEqual([['saving.propose', 'cli'], ['saving.validate', 'cli'], ['saving.recognize', 'cli']]);

    const csv = parse((await cli(tdb, 'savings', 'ledger', '--year', '2026', '--csv')).stdout, { columns: true });
    expect(csv).toEqual(['11', '12'].map((m) => ({
      month: `2026-${m}`, cost_center: 'PLAT', category: 'Cloud', currency: 'USD', reduction: '1000', avoidance: '0', budget_revision: '-1000', original_budget: '10000', revised_budget: '9000',
    })));
    expect((await cli(tdb, 'savings', 'ledger', '--year', '2026')).stdout).toMatch(/2026-11\s+PLAT\s+Cloud\s+USD 1,000.00\s+USD 0.00\s+USD -1,000.00\s+USD 10,000.00\s+USD 9,000.00/);
    expect((await cli(tdb, 'savings', 'ledger', '--year', '2025')).stdout).toContain('No recognized savings or budget revisions in 2025.');
  });

  it('names what is wrong: bad flags, unknown ids, illegal transitions, segregation of duties', async () => {
    const base = ['savings', 'propose', '--title', 't', '--lever', 'cleanup', '--type', 'reduction', '--cost-center', 'PLAT', '--effective', '2026-05-01', '--estimate', '10', '--as', 'fin@example.com'];
    const bad = async (args: string[], message: string, code = 1) => {
      const r = await cli(tdb, ...args);
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(message);
    };
    await bad([...base, '--filter', 'colour=red'], '--filter "colour=red": unknown field "colour"; use one of provider, billing-account, sub-account, service-category, service, sku, region, resource, commitment-discount-id');
    await bad([...base, '--filter', 'service'], '--filter must be FIELD=VALUE, got "service"');
    await bad([...base.slice(0, -6), '--effective', '2026-02-30', '--estimate', '10'], '--effective must be a date like 2026-03-01, got "2026-02-30"');
    await bad([...base.slice(0, -4), '--estimate', '-5', '--as', 'fin@example.com'], '--estimate must be a positive amount such as 1200 or 99.95, got "-5"');
    await bad(['savings', 'propose', '--title', 't', '--lever', 'magic', '--type', 'reduction', '--cost-center', 'PLAT', '--effective', '2026-05-01', '--estimate', '1'], '--lever must be one of commitment-discount, negotiated-price, license-harvest, rightsizing, cleanup, scheduling, architecture');
    await bad(['savings', 'propose', '--title', 't'], "required option '--lever <lever>' not specified", 2);
    await bad([...base, '--reference', 'list'], '--reference applies to rate levers');
    await bad(['savings', 'validate', 'SAV-9999', '--amount', '1', '--as', 'ita@example.com'], 'no saving "SAV-9999"');
    await bad(['savings', 'recognize', 'SAV-0001', '--from', '2026-13', '--as', 'ita@example.com'], '--from must be a month like 2024-09, got "2026-13"');
    await bad(['savings', 'ledger', '--year', '26'], '--year must be a year like 2026');

    const mine = JSON.parse((await cli(tdb, ...base.slice(0, -2), '--as', 'both@example.com', '--json')).stdout).saving.id;
    await bad(['savings', 'approve', mine, '--as', 'both@example.com'], `both@example.com proposed ${mine} and may not approve it (segregation of duties)`);
    await bad(['savings', 'reject', mine, '--reason', ' ', '--as', 'ita@example.com'], '--reason is empty');
    expect((await cli(tdb, 'savings', 'reject', mine, '--reason', 'duplicate', '--as', 'ita@example.com')).stdout).toContain(`${mine} rejected: now rejected`);
    await bad(['savings', 'approve', mine, '--as', 'itb@example.com'], `${mine} is rejected (rejected is final); only a saving that is validated can be recognized`);
  });
});
