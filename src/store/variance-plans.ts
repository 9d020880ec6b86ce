import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';
import { Money } from '../domain/money.js';

/** A budget or forecast amount of one cost center, category and month. */
export interface PlanAmount {
  readonly costCenter: string;
  /** '' = no category. */
  readonly category: string;
  readonly currency: string;
  /** As imported. */
  readonly original: string;
  /** Sum of budget revisions (recognized savings; negative lowers the budget). */
  readonly revisions: string;
  /** original + revisions. */
  readonly amount: string;
}

/**
 * Budget ('budget') or ITFM forecast ('forecast') amounts for a month (`YYYY-MM-01`), per cost
 * center, category and currency. Budgets are net of the savings ledger's budget revisions
 * (`budget_revision`): revised = budget_line.amount + sum(revisions).
 */
export async function loadPlanAmounts(db: Kysely<Database>, version: 'budget' | 'forecast', month: string): Promise<PlanAmount[]> {
  const lines = await sql<{ cost_center_code: string; category: string; currency: string; amount: string }>`
    SELECT cost_center_code, category, currency, sum(amount)::text AS amount
      FROM budget_line WHERE version = ${version} AND month = ${month}::date
     GROUP BY 1, 2, 3`.execute(db);
  const revisions = new Map<string, string>();
  if (version === 'budget') {
    const r = await sql<{ cost_center_code: string; category: string; currency: string; amount: string }>`
      SELECT cost_center_code, category, currency, sum(amount)::text AS amount
        FROM budget_revision WHERE month = ${month}::date
       GROUP BY 1, 2, 3`.execute(db);
    for (const x of r.rows) revisions.set(JSON.stringify([x.cost_center_code, x.category, x.currency]), x.amount);
  }
  const out: PlanAmount[] = lines.rows.map((l) => {
    const key = JSON.stringify([l.cost_center_code, l.category, l.currency]);
    const rev = revisions.get(key) ?? '0';
    revisions.delete(key);
    return { costCenter: l.cost_center_code, category: l.category, currency: l.currency, original: new Money(l.amount).toFixed(), revisions: new Money(rev).toFixed(), amount: new Money(l.amount).plus(rev).toFixed() };
  });
  // A revision without a budget line still changes the budget (from zero).
  for (const [key, rev] of revisions) {
    const [costCenter, category, currency] = JSON.parse(key) as [string, string, string];
    out.push({ costCenter, category, currency, original: '0', revisions: new Money(rev).toFixed(), amount: new Money(rev).toFixed() });
  }
  return out;
}
