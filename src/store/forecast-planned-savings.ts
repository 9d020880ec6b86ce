import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';
import type { PlannedSaving } from '../domain/forecast-planned-savings.js';

const required = ['id', 'status', 'cost_center_code', 'effective_date', 'estimate_monthly', 'currency'] as const;
const optional = ['title', 'type', 'recognized_monthly'] as const;

/**
 * Savings records effective in [from, to) (`YYYY-MM-DD`), read from the savings ledger's `saving`
 * table; an empty list while that table does not exist. Optional columns it lacks read as null.
 */
export async function loadPlannedSavings(db: Kysely<Database>, from: string, to: string): Promise<PlannedSaving[]> {
  const columns = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns WHERE table_name = 'saving' AND table_schema = current_schema()`.execute(db);
  const have = new Set(columns.rows.map((c) => c.column_name));
  if (!required.every((c) => have.has(c))) return [];
  const pick = (c: (typeof optional)[number]) => (have.has(c) ? sql`${sql.ref(c)}::text` : sql`NULL::text`);
  const rows = await sql<{
    id: string;
    title: string | null;
    status: string;
    type: string | null;
    cost_center_code: string;
    effective_date: string;
    estimate_monthly: string;
    recognized_monthly: string | null;
    currency: string;
  }>`
    SELECT id::text AS id, ${pick('title')} AS title, status::text AS status, ${pick('type')} AS type, cost_center_code::text AS cost_center_code,
           to_char(effective_date, 'YYYY-MM-DD') AS effective_date, estimate_monthly::text AS estimate_monthly,
           ${pick('recognized_monthly')} AS recognized_monthly, currency::text AS currency
      FROM saving
     WHERE effective_date >= ${from}::date AND effective_date < ${to}::date
     ORDER BY effective_date, id`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id,
    title: r.title ?? r.id,
    status: r.status,
    type: r.type,
    costCenter: r.cost_center_code,
    effectiveDate: r.effective_date,
    monthly: r.recognized_monthly ?? r.estimate_monthly,
    currency: r.currency,
  }));
}
