// The digest's unknown cost-center tag values (store/digest-facts.ts) read only lines whose cost
// center did not come from their tag (a partial index); every such value is listed whatever set the
// line's cost center instead (a rule, which is what a claim adds too, or nothing), and known values never are. Both databases.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { storeKinds } from '../support/test-stores.js';
import { useTestWorkspace } from '../support/test-workspace.js';
import { focusCsv, focusPeriodCells, focusRows } from '../support/focus-csv.js';
import { importFocusFile } from '../../src/app/import-focus.js';
import { importCostCenters } from '../../src/app/import-cost-centers.js';
import { addAttributionRule } from '../../src/app/attribution-rules.js';
import { addPersonRole } from '../../src/app/add-person-role.js';
import { parseEffectivePeriods } from '../../src/domain/attribution-rule-input.js';
import { parseBillingMonth } from '../../src/domain/billing-month.js';
import { unknownCostCenterValues } from '../../src/store/digest-facts.js';

describe.each(storeKinds)('unknown cost-center tag values on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  const who = { actor: 'fin@acme.example', surface: 'cli' as const };

  beforeAll(async () => {
    expect((await addPersonRole(ws.store, { user: 'fin@acme.example', role: 'admin', ...who })).ok).toBe(true);
  });

  it('lists every unknown value, whether a rule, or nothing, set the line’s cost center, and no known one', async () => {
    await writeFile(join(ws.dir, 'cc.csv'), 'code,name\nCC-1,One\nCC-2,Two\n');
    await importCostCenters(ws.store, { path: join(ws.dir, 'cc.csv'), ...who });
    const rows = focusRows(5, (i) => ({
      ...focusPeriodCells('2024-09', '0' + (i + 1), '00'),
      BillingAccountId: 'A1',
      ServiceName: i < 2 ? 'Ruled' : 'Free',
      BilledCost: `${i + 1}.00`,
      EffectiveCost: `${i + 1}.00`,
      Tags: JSON.stringify({ CostCenter: ['CC-1', 'CC-9', 'CC-9', 'CC-8', 'CC-2'][i] }),
    }));
    await writeFile(join(ws.dir, 'f.csv'), focusCsv(rows));
    await importFocusFile(ws.store, { path: join(ws.dir, 'f.csv'), ...who });
    // A rule gives the 'Ruled' lines CC-2: line 2 keeps its unknown tag value CC-9 beside it.
    await addAttributionRule(ws.store, { conditions: { service: 'Ruled' }, assign: { cost_center: 'CC-2' }, priority: 10, periods: parseEffectivePeriods('2024-09', undefined), ...who });
    const values = await unknownCostCenterValues(ws.store.db, parseBillingMonth('2024-09'), 10);
    expect(values.map((v) => ({ ...v, effective: Number(v.effective) }))).toEqual([
      { value: 'CC-9', currency: 'USD', effective: 5, lines: 2 },
      { value: 'CC-8', currency: 'USD', effective: 4, lines: 1 },
    ]);
    // A month-to-date cut takes only lines charged before it.
    const cut = await unknownCostCenterValues(ws.store.db, parseBillingMonth('2024-09'), 10, '2024-09-03');
    expect(cut.map((v) => [v.value, v.lines])).toEqual([['CC-9', 1]]);
  });
});
