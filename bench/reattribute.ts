import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { writeFocusBenchFile } from '../src/demo/focus-bench-file.js';
import { importFocusFile } from '../src/app/import-focus.js';
import { addAttributionRule, removeAttributionRule } from '../src/app/attribution-rules.js';
import { parseEffectivePeriods } from '../src/domain/attribution-rule-input.js';
import { openStore } from '../src/store/database.js';
import { migrate } from '../src/store/migrator.js';
import { createBenchDatabase, median } from './bench-database.js';

/**
 * Loads N FOCUS lines (default 1,000,000) into a fresh Postgres database, then K times (default 3)
 * adds a rule matching the production sub-accounts (most lines) and times the add, which
 * re-attributes every matching line in one set-based UPDATE; the rule is removed between runs.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { rows: { type: 'string', default: '1000000' }, repeat: { type: 'string', default: '3' } },
  });
  const rows = Number(values.rows);
  const repeat = Number(values.repeat);
  const dir = await mkdtemp(join(tmpdir(), 'costbridge-bench-'));
  const db = await createBenchDatabase();
  const store = await openStore({ databaseUrl: db.url });
  try {
    await migrate(store);
    const file = join(dir, 'focus.csv');
    await writeFocusBenchFile(file, rows, 42);
    const loaded = await importFocusFile(store, { path: file, actor: 'bench', surface: 'cli' });
    if (loaded.rows !== rows) throw new Error(`imported ${loaded.rows} rows, expected ${rows}`);
    await sql`ANALYZE cost_line`.execute(store.db);
    const rule = {
      conditions: { subAccount: 'nb-prod-*' },
      assign: { legal_entity: 'ACME-BENCH', project: 'PRJ-BENCH' },
      priority: 100,
      periods: parseEffectivePeriods('2026-01'),
      actor: 'bench',
      surface: 'cli' as const,
    };
    const times: number[] = [];
    let matched = 0;
    let changed = 0;
    for (let i = 0; i < repeat; i++) {
      const started = process.hrtime.bigint();
      const added = await addAttributionRule(store, rule);
      times.push(Number(process.hrtime.bigint() - started) / 1e9);
      changed = added.linesChanged;
      const m = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cost_line WHERE sub_account_id LIKE 'nb-prod-%'`.execute(store.db);
      matched = m.rows[0]!.n;
      const removed = await removeAttributionRule(store, { ruleId: added.ruleId, actor: 'bench', surface: 'cli' });
      if (!removed.ok) throw new Error(removed.message);
    }
    const seconds = median(times);
    console.log(
      JSON.stringify({
        bench: 'reattribute',
        lines: rows,
        matched,
        changed,
        seconds: Math.round(seconds * 1000) / 1000,
        linesPerSecond: Math.round(matched / seconds),
        repeat,
      }),
    );
  } finally {
    await store.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
