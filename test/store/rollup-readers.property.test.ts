// Readers that need no line detail read the daily rollup (store/cost-rollup.ts) instead of the lines.
// For random imports (hours within a day, quantities that cancel, credits, SKUs falling back to the
// description, demo lines), the variance's price-key totals and the per-scope sums must come out of
// the rollup exactly as they come out of the lines: whole months, a month-to-date cut, one scope
// value, lines without one, on both bases; and the unattributed items the digest stores from the
// rollup are the ones the attribution area stores from the lines.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { storeKinds } from '../support/test-stores.js';
import { useTestWorkspace } from '../support/test-workspace.js';
import { baseFocusRow, focusCsv, focusPeriodCells } from '../support/focus-csv.js';
import { importFocusFile } from '../../src/app/import-focus.js';
import { parseBillingMonth } from '../../src/domain/billing-month.js';
import { liveFacts } from '../../src/store/cost-facts.js';
import { liveFactsFor } from '../../src/store/cost-rollup.js';
import { sumByScope, sumPriceKeys, type ScopedPriceKeyTotal } from '../../src/store/variance-price-keys.js';
import { Money } from '../../src/domain/money.js';
import { ensureUnattributedItems, listUnattributedSpend } from '../../src/app/list-unattributed-spend.js';

const months = ['2024-08', '2024-09'] as const;

const line = fc.record({
  month: fc.constantFrom(...months),
  day: fc.constantFrom('01', '02', '15', '20'),
  hour: fc.constantFrom('00', '13', '23'),
  provider: fc.constantFrom('AWS', 'Azure'),
  account: fc.constantFrom('A1', 'A2'),
  service: fc.constantFrom('VM', 'DB'),
  category: fc.constantFrom('Usage', 'Usage', 'Credit', 'Purchase', 'Tax'),
  sku: fc.constantFrom('K1', 'K2', ''),
  unit: fc.constantFrom('Hours', 'GB'),
  description: fc.constantFrom('compute hours', 'storage'),
  billed: fc.integer({ min: -5000, max: 100000 }),
  effective: fc.integer({ min: -5000, max: 100000 }),
  quantity: fc.option(fc.integer({ min: -3, max: 1000 }), { nil: null }),
  costCenter: fc.option(fc.constantFrom('CC-1', 'CC-2'), { nil: null }),
  demo: fc.boolean(),
});

const money = (cents: number) => (cents / 100).toFixed(cents % 7 === 0 ? 6 : 2);

type Line = typeof line extends fc.Arbitrary<infer T> ? T : never;

function csvOf(lines: readonly Line[]): string {
  return focusCsv(
    lines.map((l) => {
      return {
        ...baseFocusRow,
        ...focusPeriodCells(l.month, l.day, l.hour),
        ChargeCategory: l.category,
        ProviderName: l.provider,
        BillingAccountId: l.account,
        ServiceName: l.service,
        SkuId: l.sku,
        PricingUnit: l.unit,
        ChargeDescription: l.description,
        BilledCost: money(l.billed),
        EffectiveCost: money(l.effective),
        PricingQuantity: l.quantity === null ? '' : String(l.quantity),
        Tags: l.costCenter === null ? '' : JSON.stringify({ CostCenter: l.costCenter }),
        x_Demo: l.demo ? 'synthetic' : '',
      };
    }),
    { columns: [...Object.keys(baseFocusRow), 'SkuId', 'x_Demo'] },
  );
}

/** Totals in a canonical order with amounts normalized (numeric equality ignores scale). */
function canonical(rows: readonly ScopedPriceKeyTotal[]): string[] {
  return rows.map((r) => JSON.stringify({ ...r, cost: new Money(r.cost).toFixed(), quantity: new Money(r.quantity).toFixed() })).sort();
}

const priceKeyColumns = ['cost_center', 'charge_period_start', 'billing_currency', 'provider_name', 'service_name', 'price_key', 'pricing_unit', 'charge_category', 'quantified'];

describe.each(storeKinds)('readers on the daily rollup equal the same readers on the lines on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  let n = 0;


  it('variance price-key totals and per-scope sums, whole months and month to date, all scopes and one', async () => {
    const current = parseBillingMonth(months[1]);
    const prior = parseBillingMonth(months[0]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(undefined, '02', '15'),
        fc.constantFrom(undefined, null, 'CC-1'),
        fc.constantFrom('billed' as const, 'effective' as const),
        async (lines, cutDay, scopeValue, basis) => {
          for (const table of ['cost_line', 'cost_rollup', 'import_slice', 'import_delivery_slice', 'import_batch', 'import_delivery', 'unattributed_item']) {
            await sql`DELETE FROM ${sql.table(table)}`.execute(ws.store.db);
          }
          const path = join(ws.dir, `focus-${++n}.csv`);
          await writeFile(path, csvOf(lines));
          await importFocusFile(ws.store, { path, mode: 'replace', actor: 'fin@acme.example', surface: 'cli' });
          const cut = (m: string) => (cutDay === undefined ? undefined : `${m}-${cutDay}T00:00:00.000Z`);
          const keys = async (rollup: boolean) =>
            canonical(
              await sumPriceKeys(ws.store.db, {
                current: { facts: rollup ? liveFactsFor(current, priceKeyColumns) : liveFacts(current), chargedBefore: cut(months[1]) },
                comparison: { facts: rollup ? liveFactsFor(prior, priceKeyColumns) : liveFacts(prior), chargedBefore: cut(months[0]) },
                basis,
                scopeColumn: 'cost_center',
                scopeValue,
              }),
            );
          const fromRollup = await keys(true);
          expect(fromRollup).toEqual(await keys(false));
          // The import kept the rollup, so the first side really read every line from it.
          const held = await sql<{ n: string | null }>`SELECT sum(line_count)::text AS n FROM cost_rollup`.execute(ws.store.db);
          expect(Number(held.rows[0]!.n)).toBe(lines.length);
          const scoped = async (rollup: boolean) =>
            (await sumByScope(ws.store.db, { facts: rollup ? liveFactsFor(current, ['cost_center', 'charge_period_start']) : liveFacts(current), chargedBefore: cut(months[1]) }, basis, 'cost_center', scopeValue))
              .map((r) => JSON.stringify([r.scope, r.currency, new Money(r.cost).toFixed()]))
              .sort();
          expect(await scoped(true)).toEqual(await scoped(false));
        },
      ),
      { numRuns: kind === 'pglite' ? 15 : 25 },
    );
  });

  it('unattributed items stored from the rollup are the ones listing the lines stores', async () => {
    const items = async () =>
      (await sql<{ k: string }>`SELECT concat_ws('|', period, provider_name, billing_account_id, sub_account_id, service_name) AS k FROM unattributed_item`.execute(ws.store.db)).rows
        .map((r) => r.k)
        .sort();
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), fc.constantFrom(['cost-center'], ['cost-center', 'owner']), async (lines, requiredFields) => {
        for (const table of ['cost_line', 'cost_rollup', 'import_slice', 'import_delivery_slice', 'import_batch', 'import_delivery', 'unattributed_item']) {
          await sql`DELETE FROM ${sql.table(table)}`.execute(ws.store.db);
        }
        const path = join(ws.dir, `focus-${++n}.csv`);
        await writeFile(path, csvOf(lines));
        await importFocusFile(ws.store, { path, mode: 'replace', actor: 'fin@acme.example', surface: 'cli' });
        for (const m of months) await ensureUnattributedItems(ws.store, { period: parseBillingMonth(m), requiredFields });
        const fromRollup = await items();
        await sql`DELETE FROM unattributed_item`.execute(ws.store.db);
        for (const m of months) {
          await listUnattributedSpend(ws.store, { period: parseBillingMonth(m), basis: 'effective', requiredFields, thresholds: { minAmount: '0', minShare: '0' } });
        }
        expect(fromRollup).toEqual(await items());
        expect(fromRollup.length).toBe(new Set(lines.filter((l) => l.costCenter === null || (requiredFields as readonly string[]).includes('owner')).map((l) => `${l.month}|${l.provider}|${l.account}|${l.service}`)).size);
      }),
      { numRuns: kind === 'pglite' ? 10 : 20 },
    );
  });
});
