import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { proposeSaving } from '../../src/app/propose-saving.js';
import { grantRole } from '../../src/store/people.js';
import type { Store } from '../../src/store/database.js';
import { cli } from '../support/run-cli.js';
import { baseFocusRow, focusCsv } from '../support/focus-csv.js';
import type { TestDatabase } from '../support/test-stores.js';

const columns = [...Object.keys(baseFocusRow), 'ResourceId'];
const row = (o: Record<string, string>) => ({ ...baseFocusRow, ResourceId: '', ...o });
const sep = { BillingPeriodStart: '2024-09-01T00:00:00Z', BillingPeriodEnd: '2024-10-01T00:00:00Z', ChargePeriodStart: '2024-09-02T00:00:00Z', ChargePeriodEnd: '2024-09-03T00:00:00Z' };
const oct = { BillingPeriodStart: '2024-10-01T00:00:00Z', BillingPeriodEnd: '2024-11-01T00:00:00Z', ChargePeriodStart: '2024-10-02T00:00:00Z', ChargePeriodEnd: '2024-10-03T00:00:00Z' };

/**
 * The organisation the chat interaction tests run against, seeded through the CLI and the use
 * cases: two cost centers; ana (itfm), bo (owner of CC-100), cy (owner of CC-200), fin (finops and
 * itfm: proposes savings);
 * September and October 2024 FOCUS lines with a material CC-100 variance, three unattributed items
 * (DB untagged, VM with an unknown cost center, Cache untagged) and new AI spend from TokenCo that no
 * contract classifies.
 */
export async function seedOrganisation(tdb: TestDatabase, store: Store): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'costbridge-chat-seed-'));
  try {
    const file = async (name: string, content: string) => {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    };
    expect((await cli(tdb, 'import', 'cost-centers', await file('cc.csv', 'code,name,owner\nCC-100,Platform,plat@acme.example\nCC-200,Data,\n'))).code).toBe(0);
    const rows = [
      row({ BillingAccountId: 'U-1', SubAccountId: 'sub-a', ServiceName: 'Virtual Machines', BilledCost: '100', EffectiveCost: '100', ListCost: '120', ContractedCost: '100', Tags: '{"CostCenter":"CC-100","owner":"o"}', ...sep }),
      row({ BillingAccountId: 'U-1', SubAccountId: 'sub-a', ServiceName: 'Virtual Machines', BilledCost: '5000', EffectiveCost: '5000', ListCost: '6000', ContractedCost: '5000', Tags: '{"CostCenter":"CC-100","owner":"o"}', ...oct }),
      row({ BillingAccountId: 'U-1', SubAccountId: 'sub-a', ServiceName: 'DB', ResourceId: 'db-1', BilledCost: '200.25', EffectiveCost: '200.5', Tags: '', ...oct }),
      row({ BillingAccountId: 'U-1', SubAccountId: 'sub-a', ServiceName: 'DB', ResourceId: 'db-2', BilledCost: '100', EffectiveCost: '100', Tags: '', ...oct }),
      row({ BillingAccountId: 'U-2', SubAccountId: 'sub-b', ServiceName: 'Virtual Machines', BilledCost: '190', EffectiveCost: '190', Tags: '{"CostCenter":"CC-9999","owner":"o"}', ...oct }),
      row({ BillingAccountId: 'U-3', SubAccountId: 'sub-c', ServiceName: 'Cache', BilledCost: '145', EffectiveCost: '145', Tags: '', ...oct }),
      row({
        BillingAccountId: 'U-1', SubAccountId: 'sub-a', ServiceName: 'TokenCo Models', ServiceCategory: 'AI and Machine Learning', PublisherName: 'TokenCo',
        PricingUnit: '1K Tokens', BilledCost: '700', EffectiveCost: '700', Tags: '{"CostCenter":"CC-200","owner":"o"}', ...oct,
      }),
    ];
    expect((await cli(tdb, 'import', 'focus', await file('focus.csv', focusCsv(rows, { columns })))).code).toBe(0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const by = { actor: 'test', surface: 'cli' as const };
  await grantRole(store.db, { id: 'ana', details: { name: 'Ana Ito', slackUserId: 'UANA', teamsAadId: 'aad-ana' }, role: 'itfm', costCenter: null }, by);
  await grantRole(store.db, { id: 'bo', details: { name: 'Bo Chen', slackUserId: 'UBO', teamsAadId: 'aad-bo', email: 'bo@acme.example' }, role: 'owner', costCenter: 'CC-100' }, by);
  await grantRole(store.db, { id: 'fin', details: { name: 'Fin Ops', slackUserId: 'UFIN' }, role: 'finops', costCenter: null }, by);
  await grantRole(store.db, { id: 'fin', details: {}, role: 'itfm', costCenter: null }, by);
  await grantRole(store.db, { id: 'cy', details: { name: 'Cy Data', slackUserId: 'UCY', teamsAadId: 'aad-cy', email: 'cy@acme.example' }, role: 'owner', costCenter: 'CC-200' }, by);
}

/** A saving fin proposes for CC-100 (so fin may not approve it). */
export async function proposeTestSaving(store: Store, title: string): Promise<string> {
  const r = await proposeSaving(store, {
    title,
    lever: 'rightsizing',
    type: 'reduction',
    costCenter: 'CC-100',
    category: '',
    filters: { service: ['Virtual Machines'] },
    effectiveDate: '2024-10-01',
    estimateMonthly: '400',
    currency: 'USD',
    evidence: 'https://wiki.example.com/rightsizing',
    actor: 'fin',
    surface: 'cli',
  });
  if (!r.ok) throw new Error(r.message);
  return r.saving.id;
}
