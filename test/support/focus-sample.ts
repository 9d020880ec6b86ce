import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import type { Store } from '../../src/store/database.js';

/** The FOCUS project's 1,000-row sample (test/fixtures/focus-1.0-sample). */
export const samplePath = fileURLToPath(new URL('../fixtures/focus-1.0-sample/focus_sample.csv', import.meta.url));

/** The sample's exact totals from its README, by billing period and provider. */
export const sampleTotals = [
  ['2024-09-01', 'AWS', 942, '18.00663861840', '13.00000000000'],
  ['2024-09-01', 'Microsoft', 51, '1.97651418586', '1.97651418586'],
  ['2024-09-01', 'Oracle', 6, '0.29707392473', '0'],
  ['2024-10-01', 'Oracle', 1, '0.24000000000', '0'],
] as const;

/** The sample's header line and its data lines as written (no cell in it spans lines), with each line's provider and period. */
export function sampleLines(): { header: string; rows: { line: string; provider: string; period: string }[] } {
  const text = readFileSync(samplePath, 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const records = parse(text, { columns: true }) as Record<string, string>[];
  if (records.length !== lines.length - 1) throw new Error('the sample has a cell spanning lines; split it with a CSV parser');
  return {
    header: lines[0]!,
    rows: records.map((r, i) => ({ line: lines[i + 1]!, provider: r.ProviderName!, period: r.BillingPeriodStart!.slice(0, 7) })),
  };
}

/** Cuts `items` into `parts` consecutive runs at the given (sorted, distinct) cut points. */
export function cut<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const points = [0, ...cuts.filter((c) => c > 0 && c < items.length), items.length];
  const out: T[][] = [];
  for (let i = 0; i + 1 < points.length; i++) out.push(items.slice(points[i], points[i + 1]));
  return out;
}

/** Asserts the stored lines of the given providers equal the sample's README totals; returns the mismatches. */
export async function sampleTotalMismatches(
  store: Store,
  providers: readonly string[] = ['AWS', 'Microsoft', 'Oracle'],
  periods: readonly string[] = ['2024-09-01', '2024-10-01'],
): Promise<string[]> {
  const rows = await sql<{ period: string; provider: string; n: number; billed: string; effective: string }>`
    SELECT to_char(billing_period_start, 'YYYY-MM-DD') AS period, provider_name AS provider, count(*)::int AS n,
           sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
      FROM cost_line WHERE provider_name = ANY(${[...providers]}) AND to_char(billing_period_start, 'YYYY-MM-DD') = ANY(${[...periods]})
     GROUP BY 1, 2 ORDER BY 1, 2`.execute(store.db);
  const expected = sampleTotals.filter((t) => providers.includes(t[1]) && periods.includes(t[0]));
  const problems: string[] = [];
  if (rows.rows.length !== expected.length) problems.push(`${rows.rows.length} (period, provider) groups stored, ${expected.length} expected`);
  for (const [period, provider, n, billed, effective] of expected) {
    const r = rows.rows.find((x) => x.period === period && x.provider === provider);
    if (!r) {
      problems.push(`${period} ${provider}: nothing stored`);
      continue;
    }
    if (r.n !== n || !new Decimal(r.billed).eq(billed) || !new Decimal(r.effective).eq(effective)) {
      problems.push(`${period} ${provider}: ${r.n} rows, billed ${r.billed}, effective ${r.effective}; expected ${n}, ${billed}, ${effective}`);
    }
  }
  return problems;
}
