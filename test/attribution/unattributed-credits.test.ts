import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { baseFocusRow, focusCsv } from '../support/focus-csv.js';
import type { Store } from '../../src/store/database.js';
import { claimUnattributedItem } from '../../src/app/claim-unattributed-item.js';
import { isAlerted, isUnattributedCredit } from '../../src/domain/unattributed-spend.js';
import { unattributedGroups } from '../../src/store/digest-facts.js';
import { parseBillingMonth } from '../../src/domain/billing-month.js';
import { listUnattributedSpend, unattributedItemSpend } from '../../src/app/list-unattributed-spend.js';
import { findUnattributedItem } from '../../src/store/unattributed-item-lookup.js';
import { unattributedAlertView } from '../../src/server/view-inputs/unattributed-alert-view.js';
import { unattributedSpendAlert } from '../../src/messages/views/unattributed-spend-alert.js';
import { renderSlackMessage } from '../../src/chat/slack/render.js';

const oct = { BillingPeriodStart: '2024-10-01T00:00:00Z', BillingPeriodEnd: '2024-11-01T00:00:00Z', ChargePeriodStart: '2024-10-02T00:00:00Z', ChargePeriodEnd: '2024-10-03T00:00:00Z' };
const row = (o: Record<string, string>) => ({ ...baseFocusRow, Tags: '', ...oct, ...o });

describe('what counts as an unattributed credit', () => {
  it('is a net cost ≤ 0 on both bases; a commitment-covered usage item (billed 0, effective > 0) is spend', () => {
    expect(isUnattributedCredit('-141', '-141')).toBe(true);
    expect(isUnattributedCredit('0', '0')).toBe(true);
    expect(isUnattributedCredit('0', '50')).toBe(false);
    expect(isUnattributedCredit('30', '-1')).toBe(false);
  });
  it('never alerts a cost ≤ 0, however large', () => {
    const t = { minAmount: '100', minShare: '0.01' };
    expect(isAlerted('open', '-141', '1000', t)).toBe(false);
    expect(isAlerted('open', '0', '1000', t)).toBe(false);
    expect(isAlerted('open', '141', '1000', t)).toBe(true);
  });
});

describe.each(storeKinds)('unattributed credits on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-credits-'));
    const cc = join(dir, 'cc.csv');
    await writeFile(cc, 'code,name,owner\nCC-100,Platform,plat@acme.example\n');
    expect((await cli(tdb, 'import', 'cost-centers', cc)).code).toBe(0);
    const rows = [
      // Spend: 300 on VM.
      row({ SubAccountId: 'sub-a', ServiceName: 'VM', BilledCost: '300', EffectiveCost: '300' }),
      // A credit: a -141 refund on Support, with a +10 line in the same group (net -131 on both bases).
      row({ SubAccountId: 'sub-a', ServiceName: 'Support', ChargeCategory: 'Credit', PricingQuantity: '', BilledCost: '-141', EffectiveCost: '-141' }),
      row({ SubAccountId: 'sub-a', ServiceName: 'Support', BilledCost: '10', EffectiveCost: '10' }),
      // Covered by a commitment: billed 0, effective 150: spend, on the effective basis.
      row({ SubAccountId: 'sub-b', ServiceName: 'DB', BilledCost: '0', EffectiveCost: '150' }),
      // Attributed, for the total.
      row({ SubAccountId: 'sub-c', ServiceName: 'VM', BilledCost: '1000', EffectiveCost: '1000', Tags: '{"CostCenter":"CC-100"}' }),
    ];
    const path = join(dir, 'lines.csv');
    await writeFile(path, focusCsv(rows));
    expect((await cli(tdb, 'import', 'focus', path)).code).toBe(0);
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists credits apart, never alerted, while the unattributed total still includes them', async () => {
    const out = JSON.parse((await cli(tdb, 'unattributed', '--period', '2024-10', '--json')).stdout);
    // 1,300 + 150 - 131 = 1,319 in total; unattributed 300 + 150 - 131 = 319, of which credits -131.
    expect(out).toMatchObject({ total: '1319', unattributedTotal: '319', creditTotal: '-131' });
    expect(out.items.map((i: { service: string; cost: string; alert: boolean }) => [i.service, i.cost, i.alert])).toEqual([
      ['VM', '300', true],
      ['DB', '150', true],
    ]);
    expect(out.credits.map((i: { service: string; cost: string; billedCost: string; alert: boolean }) => [i.service, i.cost, i.billedCost, i.alert])).toEqual([
      ['Support', '-131', '-131', false],
    ]);
    const billed = JSON.parse((await cli(tdb, 'unattributed', '--period', '2024-10', '--basis', 'billed', '--json')).stdout);
    // On the billed basis the commitment-covered DB item costs 0: still listed, not alerted, not a credit.
    expect(billed.items.map((i: { service: string; cost: string; alert: boolean }) => [i.service, i.cost, i.alert])).toEqual([
      ['VM', '300', true],
      ['DB', '0', false],
    ]);
    const text = (await cli(tdb, 'unattributed', '--period', '2024-10')).stdout;
    expect(text).toMatch(/Unattributed credits \(1, USD -131\.00; net cost ≤ 0 on both bases: not spend to claim, never alerted\): item \d+ Nimbus · Support USD -131\.00/);
  });

  it('the chat command\'s message lists the same credits apart, with no button, as the CLI does', async () => {
    const spend = await listUnattributedSpend(store, { period: parseBillingMonth('2024-10'), basis: 'effective', requiredFields: ['cost_center'], thresholds: { minAmount: '0', minShare: '0' } });
    const view = unattributedAlertView(spend);
    expect(view.items.map((i) => i.service)).toEqual(['VM', 'DB']);
    expect(view.credits).toEqual([expect.objectContaining({ service: 'Support', effectiveCost: '-131', billedCost: '-131', currency: 'USD' })]);
    const rendered = JSON.stringify(renderSlackMessage(unattributedSpendAlert(view)));
    expect(rendered).toContain('Unattributed credits (1, USD -131.00 effective)');
    expect(rendered).toContain('Nimbus · Support USD -131.00');
    // Claim / Not mine for the two spend items only.
    expect(rendered.match(/"text":"Claim"/g)).toHaveLength(2);
  });

  it('one item read alone (what a Claim click shows) agrees with the month list on both bases: spend, commitment-covered, credit', async () => {
    const period = parseBillingMonth('2024-10');
    const requiredFields = ['cost_center'];
    for (const basis of ['effective', 'billed'] as const) {
      const month = await listUnattributedSpend(store, { period, basis, requiredFields, thresholds: { minAmount: '0', minShare: '0' } });
      const all = [...month.items, ...month.credits];
      expect(all.length).toBe(3);
      for (const listed of all) {
        const item = (await findUnattributedItem(store.db, listed.id))!;
        const alone = await unattributedItemSpend(store, item, { period, basis, requiredFields });
        if (month.credits.some((c) => c.id === listed.id)) expect(alone).toEqual({ credit: true });
        else expect(alone).toEqual({ credit: false, spend: { currency: listed.currency, billedCost: listed.billedCost, effectiveCost: listed.effectiveCost } });
      }
    }
  });

  it('refuses a claim on a credit (a forged button or the CLI), audited as refused; spend stays claimable', async () => {
    const credit = JSON.parse((await cli(tdb, 'unattributed', '--period', '2024-10', '--json')).stdout).credits[0];
    const forged = await claimUnattributedItem(store, { itemId: credit.id, costCenter: 'CC-100', scope: 'item', actor: 'plat@acme.example', surface: 'slack' });
    expect(forged).toMatchObject({ ok: false, code: 'CREDIT' });
    const viaCli = await cli(tdb, 'claim', String(credit.id), '--cost-center', 'CC-100', '--as', 'plat@acme.example');
    expect(viaCli.code).not.toBe(0);
    expect(viaCli.stderr).toMatch(/unattributed credit .*no spend to claim/);
    const audit = await sql<{ outcome: string; n: number }>`
      SELECT outcome, count(*)::int AS n FROM audit_log WHERE action = 'unattributed.claim' AND subject_id = ${String(credit.id)} GROUP BY 1`.execute(store.db);
    expect(audit.rows).toEqual([{ outcome: 'refused', n: 2 }]);
    const status = await sql<{ status: string }>`SELECT status FROM unattributed_item WHERE id = ${credit.id}`.execute(store.db);
    expect(status.rows[0]!.status).toBe('open');
  });

  it('keeps credits out of the digest\'s claimable groups', async () => {
    const groups = await unattributedGroups(store.db, parseBillingMonth('2024-10'), ['cost_center', 'owner']);
    expect(groups.map((g) => [g.service, g.effective])).toEqual([
      ['VM', '300'],
      ['DB', '150'],
    ]);
  });
});
