// The daily rollup (store/cost-rollup.ts) is kept by every write to cost_line, in the write's own
// transaction. For any random sequence of imports (replace and append, so restatements), attribution
// rules added and removed, cost-center master data loaded and unattributed items claimed, the rollup
// must equal the lines summed by its grain, with no empty rows left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { baseFocusRow, focusCsv, focusPeriodCells } from '../support/focus-csv.js';
import type { Store } from '../../src/store/database.js';
import { importFocusFile } from '../../src/app/import-focus.js';
import { unknownCostCenterValues } from '../../src/store/digest-facts.js';
import { importCostCenters } from '../../src/app/import-cost-centers.js';
import { addAttributionRule, removeAttributionRule } from '../../src/app/attribution-rules.js';
import { addPersonRole } from '../../src/app/add-person-role.js';
import { listUnattributedSpend } from '../../src/app/list-unattributed-spend.js';
import { claimUnattributedItem } from '../../src/app/claim-unattributed-item.js';
import { parseEffectivePeriods } from '../../src/domain/attribution-rule-input.js';
import { parseBillingMonth } from '../../src/domain/billing-month.js';
import { rebuildRollup } from '../../src/store/cost-rollup.js';
import { Money } from '../../src/domain/money.js';
import { uncontractedGroups, type UncontractedGroup } from '../../src/store/uncontracted-spend.js';
import { applyContractText } from '../../src/app/apply-contracts.js';
import { kyselyRunner } from '../../src/store/sql-runner.js';
import { CostbridgeError } from '../../src/domain/costbridge-error.js';

const months = ['2024-08', '2024-09'] as const;

const line = fc.record({
  month: fc.constantFrom(...months),
  day: fc.constantFrom('01', '02', '20'),
  hour: fc.constantFrom('00', '13'),
  provider: fc.constantFrom('AWS', 'Azure'),
  publisher: fc.constantFrom('', 'AWS', 'Acme Market'),
  issuer: fc.constantFrom('', 'AWS', 'Acme Market Inc'),
  account: fc.constantFrom('A1', 'A2'),
  subAccount: fc.constantFrom('s1', 's2', ''),
  service: fc.constantFrom('VM', 'DB'),
  category: fc.constantFrom('Usage', 'Credit', 'Purchase'),
  frequency: fc.constantFrom('Usage-Based', 'Recurring', ''),
  sku: fc.constantFrom('K1', 'K2', ''),
  unit: fc.constantFrom('Hours', 'GB'),
  description: fc.constantFrom('compute hours', ''),
  billed: fc.integer({ min: -5000, max: 100000 }),
  effective: fc.integer({ min: -5000, max: 100000 }),
  list: fc.option(fc.integer({ min: 0, max: 100000 }), { nil: null }),
  quantity: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
  tags: fc.option(
    fc.dictionary(fc.constantFrom('CostCenter', 'owner', 'env', 'app'), fc.constantFrom('CC-1', 'CC-2', 'CC-9', 'prod', 'o@x'), { maxKeys: 3 }),
    { nil: null },
  ),
  demo: fc.boolean(),
});

const importStep = fc.record({ kind: fc.constant('import' as const), mode: fc.constantFrom('replace' as const, 'append' as const), lines: fc.array(line, { minLength: 1, maxLength: 12 }) });
const step = fc.oneof(
  importStep,
  fc.record({
    kind: fc.constant('rule' as const),
    provider: fc.constantFrom('AWS', 'A*', '*'),
    service: fc.option(fc.constantFrom('VM', 'D*'), { nil: undefined }),
    costCenter: fc.constantFrom('CC-1', 'CC-2'),
    owner: fc.option(fc.constantFrom('r@x'), { nil: undefined }),
    priority: fc.integer({ min: 0, max: 3 }),
    from: fc.constantFrom(...months),
  }),
  fc.record({ kind: fc.constant('unrule' as const), pick: fc.nat() }),
  // A contract covering some lines, or the same id again with other terms (lines gain and lose it).
  fc.record({
    kind: fc.constant('contract' as const),
    id: fc.constantFrom('K1', 'K2'),
    vendor: fc.constantFrom({ publisherName: 'Acme*' }, { providerName: 'AWS' }, { invoiceIssuerName: 'Acme Market Inc', skuId: 'K1' }),
    start: fc.constantFrom('2024-08-01', '2024-09-01'),
    end: fc.option(fc.constantFrom('2024-08-01', '2024-09-19'), { nil: undefined }),
    costCenter: fc.option(fc.constantFrom('CC-1', 'CC-2'), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('centers' as const), codes: fc.subarray(['CC-1', 'CC-2', 'CC-9'], { minLength: 1 }) }),
  fc.record({ kind: fc.constant('centers' as const), codes: fc.constant(['CC-1', 'CC-2']) }),
  fc.record({ kind: fc.constant('claim' as const), month: fc.constantFrom(...months), pick: fc.nat(), scope: fc.constantFrom('item' as const, 'future' as const) }),
);

type UncontractedRow = { -readonly [K in keyof UncontractedGroup]: UncontractedGroup[K] };
const sortGroups = (rows: UncontractedRow[]) => rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const money = (cents: number) => (cents / 100).toFixed(cents % 7 === 0 ? 4 : 2);

type Line = typeof line extends fc.Arbitrary<infer T> ? T : never;

function csvOf(lines: readonly Line[]): string {
  return focusCsv(
    lines.map((l) => {
      return {
        ...baseFocusRow,
        ...focusPeriodCells(l.month, l.day, l.hour),
        ChargeCategory: l.category,
        ChargeFrequency: l.frequency,
        ProviderName: l.provider,
        PublisherName: l.publisher,
        InvoiceIssuerName: l.issuer,
        BillingAccountId: l.account,
        SubAccountId: l.subAccount,
        ServiceName: l.service,
        SkuId: l.sku,
        PricingUnit: l.unit,
        ChargeDescription: l.description,
        BilledCost: money(l.billed),
        EffectiveCost: money(l.effective),
        ListCost: l.list === null ? '' : money(l.list),
        PricingQuantity: l.quantity === null ? '' : String(l.quantity),
        Tags: l.tags === null ? '' : JSON.stringify(l.tags),
        x_Demo: l.demo ? 'synthetic' : '',
      };
    }),
    { columns: [...Object.keys(baseFocusRow), 'SkuId', 'ChargeFrequency', 'x_Demo'] },
  );
}

const grain = `billing_period_start, charge_day, billing_currency, provider_name, billing_account_id, sub_account_id, region_id,
  service_category, service_name, sku_id, price_key, pricing_unit, quantified, charge_category, cost_center, application, legal_entity,
  environment, project, owner, synthetic, publisher_name, invoice_issuer_name, contracted`;
const sums = 'billed_cost, effective_cost, list_cost, contracted_cost, pricing_quantity, consumed_quantity, line_count';
const fromLines = `SELECT billing_period_start, date_trunc('day', charge_period_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS charge_day,
  billing_currency, provider_name, billing_account_id, sub_account_id, region_id, service_category, service_name, sku_id,
  coalesce(sku_id, sku_price_id, charge_description) AS price_key, pricing_unit,
  (charge_category = 'Usage' AND pricing_quantity IS NOT NULL AND pricing_quantity <> 0) AS quantified, charge_category, cost_center, application, legal_entity, environment, project, owner, coalesce(extra->>'x_Demo' = 'synthetic', false) AS synthetic,
  publisher_name, invoice_issuer_name, contract_id IS NOT NULL AS contracted,
  sum(billed_cost) AS billed_cost, sum(effective_cost) AS effective_cost, coalesce(sum(list_cost), 0) AS list_cost,
  coalesce(sum(contracted_cost), 0) AS contracted_cost, coalesce(sum(pricing_quantity), 0) AS pricing_quantity,
  coalesce(sum(consumed_quantity), 0) AS consumed_quantity, count(*) AS line_count
  FROM cost_line GROUP BY ${grain}`;

describe.each(storeKinds)('the daily rollup equals the lines on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let dir: string;
  let n = 0;
  const who = { actor: 'fin@acme.example', surface: 'cli' as const };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    dir = await mkdtemp(join(tmpdir(), 'costbridge-rollup-'));
    const admin = await addPersonRole(store, { user: 'fin@acme.example', role: 'admin', actor: 'fin@acme.example', surface: 'cli' });
    expect(admin.ok).toBe(true);
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const reset = async () => {
    for (const table of ['cost_line', 'cost_rollup', 'import_provider_freshness', 'import_slice', 'import_delivery_slice', 'import_batch', 'import_delivery', 'unattributed_item', 'attribution_rule', 'contract_component', 'contract', 'cost_center']) {
      await sql`DELETE FROM ${sql.table(table)}`.execute(store.db);
    }
  };

  /** Rows in one side and not the other (numeric equality ignores scale), and empty rollup rows. */
  const differences = async () => {
    const r = await sql<{ side: string; row: string }>`
      (SELECT 'lines only' AS side, x::text AS row FROM (${sql.raw(fromLines)} EXCEPT ALL SELECT ${sql.raw(grain)}, ${sql.raw(sums)} FROM cost_rollup) x)
      UNION ALL
      (SELECT 'rollup only', x::text FROM (SELECT ${sql.raw(grain)}, ${sql.raw(sums)} FROM cost_rollup EXCEPT ALL ${sql.raw(fromLines)}) x)`.execute(store.db);
    return r.rows;
  };

  /** The per-file freshness summary against the same summary computed from the stored lines. */
  const freshnessDifferences = async () => {
    const fromLines = `SELECT batch_id, billing_account_id, billing_period_start, provider_name, bool_or(charge_frequency = 'Usage-Based') AS usage_based,
                              max(charge_period_start) FILTER (WHERE charge_category = 'Usage') AS last_usage, max(charge_period_start) AS last_charge
                         FROM cost_line GROUP BY 1, 2, 3, 4`;
    const stored = `SELECT batch_id, billing_account_id, billing_period_start, provider_name, usage_based, last_usage, last_charge FROM import_provider_freshness`;
    const r = await sql<{ side: string; row: string }>`
      (SELECT 'lines only' AS side, x::text AS row FROM (${sql.raw(fromLines)} EXCEPT ALL ${sql.raw(stored)}) x)
      UNION ALL
      (SELECT 'summary only', x::text FROM (${sql.raw(stored)} EXCEPT ALL ${sql.raw(fromLines)}) x)`.execute(store.db);
    return r.rows;
  };

  /** Cost-center tag values master data does not know, by their definition over every line of the month. */
  const unknownTagValuesOfLines = async (month: string) => {
    const r = await sql<{ value: string; currency: string; effective: string; lines: string }>`
      SELECT c.tag_cost_center AS value, c.billing_currency AS currency, sum(c.effective_cost)::text AS effective, count(*) AS lines
        FROM cost_line c
       WHERE c.billing_period_start = ${`${month}-01`} AND c.tag_cost_center IS NOT NULL
         AND EXISTS (SELECT 1 FROM cost_center) AND NOT EXISTS (SELECT 1 FROM cost_center x WHERE x.code = c.tag_cost_center)
       GROUP BY 1, 2 ORDER BY sum(c.effective_cost) DESC, 1`.execute(store.db);
    return r.rows.map((x) => ({ ...x, lines: Number(x.lines) }));
  };

  /** Uncontracted lines of a month charged before a day, grouped, by their definition over the lines. */
  const uncontractedOfLines = async (month: string, before: string) => {
    const r = await sql<UncontractedRow>`
      SELECT provider_name AS "providerName", publisher_name AS "publisherName", invoice_issuer_name AS "invoiceIssuerName",
             service_category AS "serviceCategory", service_name AS "serviceName", billing_currency AS currency,
             count(*)::int AS lines, sum(billed_cost)::text AS "billedCost", sum(effective_cost)::text AS "effectiveCost"
        FROM cost_line
       WHERE billing_period_start = ${`${month}-01`} AND contract_id IS NULL AND charge_period_start < ${`${before}T00:00:00Z`}::timestamptz
       GROUP BY 1, 2, 3, 4, 5, 6`.execute(store.db);
    return sortGroups(r.rows.map((x) => ({ ...x, billedCost: new Money(x.billedCost).toFixed(), effectiveCost: new Money(x.effectiveCost).toFixed() })));
  };

  it('after any sequence of imports, restatements, rules, contracts, master data and claims', async () => {
    await fc.assert(
      // Lines first, so the changes after them have something to move.
      fc.asyncProperty(fc.tuple(importStep, fc.array(step, { minLength: 1, maxLength: 6 })), async ([first, rest]) => {
        const steps = [first, ...rest];
        await reset();
        const rules: number[] = [];
        for (const s of steps) {
          if (s.kind === 'import') {
            const path = join(dir, `focus-${++n}.csv`);
            await writeFile(path, csvOf(s.lines));
            await importFocusFile(store, { path, mode: s.mode, ...who });
          } else if (s.kind === 'rule') {
            const conditions = { provider: s.provider, ...(s.service ? { service: s.service } : {}) };
            const assign = { cost_center: s.costCenter, ...(s.owner ? { owner: s.owner } : {}) };
            // Refused (nothing written) while the cost center is not in master data.
            const added = await addAttributionRule(store, { conditions, assign, priority: s.priority, periods: parseEffectivePeriods(s.from, undefined), ...who }).catch(
              (e: unknown) => {
                if (e instanceof CostbridgeError && e.code === 'INPUT_INVALID') return undefined;
                throw e;
              },
            );
            if (added) rules.push(added.ruleId);
          } else if (s.kind === 'contract') {
            const contract = {
              id: s.id, vendor: s.vendor, category: 'saas', startDate: s.start, ...(s.end && s.end >= s.start ? { endDate: s.end } : {}), glAccount: '6410',
              ...(s.costCenter ? { attribution: { cost_center: s.costCenter } } : {}),
            };
            // Refused (nothing written) while the cost center is not in master data.
            await applyContractText(store, { text: JSON.stringify(contract), origin: 'property', ...who }).catch((e: unknown) => {
              if (e instanceof CostbridgeError && e.code === 'INPUT_INVALID') return undefined;
              throw e;
            });
          } else if (s.kind === 'unrule') {
            if (rules.length > 0) await removeAttributionRule(store, { ruleId: rules.splice(s.pick % rules.length, 1)[0]!, ...who });
          } else if (s.kind === 'centers') {
            const path = join(dir, `centers-${++n}.csv`);
            await writeFile(path, `code,name\n${s.codes.map((c) => `${c},Center ${c}`).join('\n')}\n`);
            await importCostCenters(store, { path, ...who });
          } else {
            const spend = await listUnattributedSpend(store, {
              period: parseBillingMonth(s.month), basis: 'effective', requiredFields: ['cost_center'], thresholds: { minAmount: '0', minShare: '0' },
            });
            const open = spend.items.filter((i) => i.status === 'open');
            if (open.length > 0) {
              await claimUnattributedItem(store, { itemId: open[s.pick % open.length]!.id, costCenter: 'CC-1', scope: s.scope, ...who });
            }
          }
          expect(await differences()).toEqual([]);
          expect(await freshnessDifferences()).toEqual([]);
          for (const m of months) expect(await unknownCostCenterValues(store.db, parseBillingMonth(m), 1000)).toEqual(await unknownTagValuesOfLines(m));
          for (const m of months) {
            for (const before of [`${m}-02`, `${m}-21`]) {
              const groups = await uncontractedGroups(store.db, parseBillingMonth(m), before);
              expect(sortGroups(groups.map((g) => ({ ...g, billedCost: new Money(g.billedCost).toFixed(), effectiveCost: new Money(g.effectiveCost).toFixed() })))).toEqual(
                await uncontractedOfLines(m, before),
              );
            }
          }
        }
        const empty = await sql<{ n: string }>`SELECT count(*) AS n FROM cost_rollup WHERE line_count = 0`.execute(store.db);
        expect(Number(empty.rows[0]!.n)).toBe(0);
        // The loaders that bypass the application (benchmarks) rebuild it; the same rows come out.
        await rebuildRollup(kyselyRunner(store.db));
        expect(await differences()).toEqual([]);
      }),
      { numRuns: kind === 'pglite' ? 12 : 20 },
    );
  });
});
