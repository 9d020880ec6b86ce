import type { Kysely } from 'kysely';
import type { Database } from './tables.js';
import { recordAudit, type Surface } from './audit-log.js';
import type { MaterialityThreshold } from '../domain/materiality.js';
import { normalizeDecimal } from '../domain/money.js';

/** A cost center's own materiality threshold. */
export interface CostCenterThreshold extends MaterialityThreshold {
  readonly costCenter: string;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

/** Every per-cost-center threshold, by cost center code. */
export async function loadThresholds(db: Kysely<Database>): Promise<Map<string, CostCenterThreshold>> {
  const rows = await db.selectFrom('variance_threshold').selectAll().orderBy('cost_center_code').execute();
  return new Map(
    rows.map((r) => [
      r.cost_center_code,
      {
        costCenter: r.cost_center_code,
        amount: normalizeDecimal(r.amount),
        share: normalizeDecimal(r.share),
        updatedBy: r.updated_by,
        updatedAt: new Date(r.updated_at).toISOString(),
      },
    ]),
  );
}

/** Sets (or replaces) a cost center's threshold with its audit row, in one transaction; row-locked against concurrent setters. */
export async function upsertThreshold(
  db: Kysely<Database>,
  t: { costCenter: string; amount: string; share: string; actor: string; surface: Surface },
): Promise<{ before: MaterialityThreshold | null; after: CostCenterThreshold }> {
  return db.transaction().execute(async (trx) => {
    const prior = await trx.selectFrom('variance_threshold').selectAll().where('cost_center_code', '=', t.costCenter).forUpdate().executeTakeFirst();
    const row = await trx
      .insertInto('variance_threshold')
      .values({ cost_center_code: t.costCenter, amount: t.amount, share: t.share, updated_by: t.actor, updated_at: new Date() })
      .onConflict((oc) => oc.column('cost_center_code').doUpdateSet({ amount: t.amount, share: t.share, updated_by: t.actor, updated_at: new Date() }))
      .returningAll()
      .executeTakeFirstOrThrow();
    const before = prior ? { amount: normalizeDecimal(prior.amount), share: normalizeDecimal(prior.share) } : null;
    const after: CostCenterThreshold = {
      costCenter: row.cost_center_code,
      amount: normalizeDecimal(row.amount),
      share: normalizeDecimal(row.share),
      updatedBy: row.updated_by,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
    await recordAudit(trx, {
      actor: t.actor,
      surface: t.surface,
      action: 'variance.threshold.set',
      subjectType: 'cost_center',
      subjectId: t.costCenter,
      before,
      after: { amount: after.amount, share: after.share },
    });
    return { before, after };
  });
}

/** Owner and chat channel of cost centers, by code (unknown codes are absent). */
export async function loadCostCenterContacts(
  db: Kysely<Database>,
  codes: readonly string[],
): Promise<Map<string, { name: string; owner: string | null; chatChannel: string | null }>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('cost_center').select(['code', 'name', 'owner', 'chat_channel']).where('code', 'in', [...codes]).execute();
  return new Map(rows.map((r) => [r.code, { name: r.name, owner: r.owner, chatChannel: r.chat_channel }]));
}
