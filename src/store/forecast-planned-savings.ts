import type { Kysely } from 'kysely';
import type { Database } from './tables.js';
import type { PlannedSaving } from '../domain/forecast-planned-savings.js';

/** Savings records effective before `to` and in effect on or after `from` (`YYYY-MM-DD`): effective in [from, to), or earlier with an end date on or after `from`. */
export async function loadPlannedSavings(db: Kysely<Database>, from: string, to: string): Promise<PlannedSaving[]> {
  const rows = await db
    .selectFrom('saving')
    .select(['id', 'title', 'status', 'type', 'cost_center_code', 'effective_date', 'end_date', 'estimate_monthly', 'recognized_monthly', 'currency'])
    .where('effective_date', '<', to)
    .where((w) => w.or([w('effective_date', '>=', from), w('end_date', '>=', from)]))
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
    endDate: r.end_date,
    monthly: r.recognized_monthly ?? r.estimate_monthly,
    currency: r.currency,
  }));
}
