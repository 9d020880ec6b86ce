import type { Kysely } from 'kysely';
import type { Database } from './tables.js';
import type { PlannedSaving } from '../domain/forecast-planned-savings.js';

/** Savings records effective in [from, to) (`YYYY-MM-DD`), read from the savings ledger's `saving` table. */
export async function loadPlannedSavings(db: Kysely<Database>, from: string, to: string): Promise<PlannedSaving[]> {
  const rows = await db
    .selectFrom('saving')
    .select(['id', 'title', 'status', 'type', 'cost_center_code', 'effective_date', 'estimate_monthly', 'recognized_monthly', 'currency'])
    .where('effective_date', '>=', from)
    .where('effective_date', '<', to)
    .orderBy('effective_date')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    type: r.type,
    costCenter: r.cost_center_code,
    effectiveDate: r.effective_date,
    monthly: r.recognized_monthly ?? r.estimate_monthly,
    currency: r.currency,
  }));
}
