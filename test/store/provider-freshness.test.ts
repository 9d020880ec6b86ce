// Freshness per provider (store/digest-facts.ts): the latest import holding any of its lines, the
// latest usage charge day (any charge's when it has no usage) and whether it bills usage-based,
// over lines of several imports, months and charge frequencies, on both databases. The import keeps
// the per-file summary freshness reads in step with the lines: test/store/cost-rollup.property.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import type { Store } from '../../src/store/database.js';
import { ensureCostLinePartition } from '../../src/store/cost-line-partitions.js';
import { providerFreshness } from '../../src/store/digest-facts.js';
import { rebuildProviderFreshness } from '../../src/store/import-provider-freshness.js';
import { kyselyRunner } from '../../src/store/sql-runner.js';

describe.each(storeKinds)('provider freshness on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('takes each provider’s latest import, latest usage charge day and charge frequency across imports and months', async () => {
    await store.session(async (s) => {
      await ensureCostLinePartition(s, new Date('2026-08-01T00:00:00Z'));
      await ensureCostLinePartition(s, new Date('2026-09-01T00:00:00Z'));
      await s.exec(`INSERT INTO import_batch (id, kind, file_name, sha256, format, rows, imported_by, surface, imported_at) VALUES
        (1, 'focus', 'a.csv', 'a', 'csv', 3, 'fin', 'cli', '2026-09-01T02:00:00Z'),
        (2, 'focus', 'b.csv', 'b', 'csv', 3, 'fin', 'cli', '2026-09-10T02:00:00Z'),
        (3, 'focus', 'c.csv', 'c', 'csv', 1, 'fin', 'cli', '2026-08-20T02:00:00Z')`);
    });
    const line = (batch: number, n: number, provider: string | null, category: string, chargeStart: string, frequency: string | null) => {
      const period = `${chargeStart.slice(0, 7)}-01T00:00:00Z`;
      return sql`INSERT INTO cost_line (batch_id, source_line, billing_account_id, billing_currency, billing_period_start, billing_period_end,
                                        charge_period_start, charge_period_end, charge_category, billed_cost, effective_cost, provider_name, charge_frequency)
                 VALUES (${batch}, ${n}, 'BA', 'USD', ${period}::timestamptz, ${period}::timestamptz + interval '1 month',
                         ${chargeStart}::timestamptz, ${chargeStart}::timestamptz + interval '1 hour', ${category}, 1, 1, ${provider}, ${frequency})`.execute(store.db);
    };
    // Nimbus: usage in the older import (late in the day, UTC), a later purchase in the newer one.
    await line(1, 1, 'Nimbus', 'Usage', '2026-08-30T23:00:00Z', 'Usage-Based');
    await line(2, 1, 'Nimbus', 'Purchase', '2026-09-05T00:00:00Z', 'One-Time');
    await line(1, 2, 'Nimbus', 'Usage', '2026-08-02T00:00:00Z', null);
    // Ledgerly: monthly subscriptions only, in the old import and one imported before it.
    await line(1, 3, 'Ledgerly', 'Purchase', '2026-08-15T13:00:00Z', 'Recurring');
    await line(3, 1, 'Ledgerly', 'Purchase', '2026-08-01T00:00:00Z', 'Recurring');
    // Lines without a provider or a charge frequency.
    await line(2, 2, null, 'Usage', '2026-09-03T00:00:00Z', null);
    await line(2, 3, null, 'Tax', '2026-09-09T00:00:00Z', null);

    // Written here without the import (which keeps the per-file summary itself), so rebuilt from the lines.
    await rebuildProviderFreshness(kyselyRunner(store.db));
    const rows = await providerFreshness(store.db);
    expect(rows.map((r) => ({ ...r, lastImportAt: r.lastImportAt.toISOString() }))).toEqual([
      { provider: 'Ledgerly', lastImportAt: '2026-09-01T02:00:00.000Z', lastChargeDate: '2026-08-15', usageBased: false },
      { provider: 'Nimbus', lastImportAt: '2026-09-10T02:00:00.000Z', lastChargeDate: '2026-08-30', usageBased: true },
      { provider: '(no provider)', lastImportAt: '2026-09-10T02:00:00.000Z', lastChargeDate: '2026-09-03', usageBased: true },
    ]);
  });
});
