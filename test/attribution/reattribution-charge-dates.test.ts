// Re-attribution decides once for all lines that share what the decision reads, but a contract
// covers a line by its own charge date: lines alike in every other column, charged before, inside
// and after a contract's dates, must each get their own contract (or none), through a contract
// applied after the import, a rule added over them and removed again, and the contract's dates
// changed (lines on the contract alike until then part ways); the rollup follows.
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { storeKinds } from '../support/test-stores.js';
import { useTestWorkspace } from '../support/test-workspace.js';
import { focusCsv, focusPeriodCells, focusRows } from '../support/focus-csv.js';
import { importFocusFile } from '../../src/app/import-focus.js';
import { applyContracts } from '../../src/app/apply-contracts.js';
import { addAttributionRule, removeAttributionRule } from '../../src/app/attribution-rules.js';
import { parseEffectivePeriods } from '../../src/domain/attribution-rule-input.js';

const days = ['02', '14', '15', '20', '21', '30'] as const;
// The contract covers 15 to 20 September, both days included.
const covered = (day: string) => day >= '15' && day <= '20';

interface LineState {
  day: string;
  application: string | null;
  application_source: string | null;
  project: string | null;
  contract_id: string | null;
  gl_account: string | null;
}

describe.each(storeKinds)('re-attribution by charge date on %s', (kind) => {
  const ws = useTestWorkspace(kind);
  const who = { actor: 'dates@test', surface: 'cli' as const };


  const lines = async () =>
    (
      await sql<LineState>`
        SELECT to_char(charge_period_start AT TIME ZONE 'UTC', 'DD') AS day, application, application_source, project, contract_id, gl_account
          FROM cost_line ORDER BY charge_period_start`.execute(ws.store.db)
    ).rows;

  /** Amounts per application and project in the lines and in the rollup: they must be the same. */
  const totals = async (table: 'cost_line' | 'cost_rollup') =>
    (
      await sql<{ application: string | null; project: string | null; billed: string }>`
        SELECT application, project, sum(billed_cost)::text AS billed FROM ${sql.table(table)}
         GROUP BY application, project ORDER BY application NULLS FIRST, project NULLS FIRST`.execute(ws.store.db)
    ).rows;

  it('gives each of several lines alike but for their charge day its own contract, through contract, rule add and remove, and new contract dates', async () => {
    const csv = join(ws.dir, 'lines.csv');
    // Same account, SKU, tags and everything the decision reads; only the charge day (and amount) differ.
    await writeFile(csv, focusCsv(focusRows(days.length, (i) => ({ ...focusPeriodCells('2024-09', days[i]!, '00'), BilledCost: `${i + 1}.00`, Tags: '{"env":"prod"}' }))));
    expect((await importFocusFile(ws.store, { path: csv, ...who })).rows).toBe(days.length);

    const contracts = join(ws.dir, 'contracts.yaml');
    const applyContract = async (startDate: string, endDate: string) => {
      const contract = { id: 'K-mid', vendor: { providerName: 'Nimbus' }, category: 'saas', startDate, endDate, glAccount: '6410', attribution: { application: 'contracted-app' } };
      await writeFile(contracts, stringify({ contracts: [contract] }));
      await applyContracts(ws.store, { path: contracts, ...who });
    };
    await applyContract('2024-09-15', '2024-09-20');
    const afterContract = await lines();
    expect(afterContract.map((l) => l.day)).toEqual([...days]);
    for (const l of afterContract) {
      expect(l, `line charged on the ${l.day}th`).toMatchObject(
        covered(l.day)
          ? { contract_id: 'K-mid', gl_account: '6410', application: 'contracted-app', application_source: 'contract' }
          : { contract_id: null, gl_account: null, application: null, application_source: null },
      );
    }
    expect(await totals('cost_rollup')).toEqual(await totals('cost_line'));

    const { ruleId } = await addAttributionRule(ws.store, {
      conditions: { subAccount: 'sub-1' },
      assign: { application: 'rule-app', project: 'rule-prj' },
      priority: 1,
      periods: parseEffectivePeriods('2024-09'),
      ...who,
    });
    for (const l of await lines()) {
      // The contract outranks the rule where it covers the line; the rule's project applies to all.
      expect(l, `line charged on the ${l.day}th`).toMatchObject(
        covered(l.day)
          ? { contract_id: 'K-mid', application: 'contracted-app', application_source: 'contract', project: 'rule-prj' }
          : { contract_id: null, application: 'rule-app', application_source: `rule:${ruleId}`, project: 'rule-prj' },
      );
    }
    expect(await totals('cost_rollup')).toEqual(await totals('cost_line'));

    const removed = await removeAttributionRule(ws.store, { ruleId, ...who });
    expect(removed.ok).toBe(true);
    expect(await lines()).toEqual(afterContract);
    expect(await totals('cost_rollup')).toEqual(await totals('cost_line'));

    // Now 14 to 17 September: the 14th joins, the 15th stays, the 20th (on the contract like the 15th) leaves.
    await applyContract('2024-09-14', '2024-09-17');
    for (const l of await lines()) {
      expect(l, `line charged on the ${l.day}th`).toMatchObject(
        l.day === '14' || l.day === '15'
          ? { contract_id: 'K-mid', gl_account: '6410', application: 'contracted-app', application_source: 'contract' }
          : { contract_id: null, gl_account: null, application: null, application_source: null },
      );
    }
    expect(await totals('cost_rollup')).toEqual(await totals('cost_line'));
  });
});
