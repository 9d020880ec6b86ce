import { sql, type Kysely, type Transaction } from 'kysely';
import type { BillingMonth } from '../domain/billing-month.js';
import { sharedFieldFlag, type SharedField } from '../domain/shared-fields.js';
import type { Database, } from './tables.js';
import type { UnattributedItemTable } from './tables-attribution.js';
import type { Selectable } from 'kysely';

/** An item's grouping: provider, billing account, sub-account, service ('' when the lines have none). */
export interface ItemGrouping {
  readonly provider: string;
  readonly billingAccountId: string;
  readonly subAccountId: string;
  readonly service: string;
}

/** Unattributed lines of one grouping, currency and reason, with exact sums on both bases. */
export interface UnattributedGroup extends ItemGrouping {
  readonly currency: string;
  readonly reason: string;
  readonly lines: number;
  readonly billedCost: string;
  readonly effectiveCost: string;
}

/** A stored item row. */
export type ItemRow = Selectable<UnattributedItemTable>;

const groupingSql = `coalesce(c.provider_name, '') AS provider, coalesce(c.billing_account_id, '') AS billing_account_id,
       coalesce(c.sub_account_id, '') AS sub_account_id, coalesce(c.service_name, '') AS service`;

/** SQL: the line lacks one of the required fields. */
function lacking(required: readonly SharedField[]): string {
  return `(${required.map((f) => `c.${f} IS NULL`).join(' OR ')})`;
}

/** SQL: why a line is unattributed, in people's words. */
function reasonSql(required: readonly SharedField[]): string {
  const parts = required.map((f) =>
    f === 'cost_center'
      ? `CASE WHEN c.cost_center IS NULL THEN CASE WHEN c.tag_cost_center IS NOT NULL THEN 'unknown cost center value ' || c.tag_cost_center ELSE 'no cost-center' END END`
      : `CASE WHEN c.${f} IS NULL THEN 'no ${sharedFieldFlag(f)}' END`,
  );
  return `CASE WHEN c.tags IS NULL OR c.tags = '{}'::jsonb THEN 'no tags' ELSE concat_ws('; ', ${parts.join(', ')}) END`;
}

/** Exact totals of a billing month per currency, on both bases. */
export async function periodTotals(
  db: Kysely<Database>,
  period: BillingMonth,
): Promise<{ currency: string; billedCost: string; effectiveCost: string }[]> {
  const r = await sql<{ currency: string; billed: string; effective: string }>`
    SELECT billing_currency AS currency, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
      FROM cost_rollup WHERE billing_period_start >= ${period.start}::timestamptz AND billing_period_start < ${period.end}::timestamptz
     GROUP BY billing_currency ORDER BY billing_currency`.execute(db);
  return r.rows.map((x) => ({ currency: x.currency, billedCost: x.billed, effectiveCost: x.effective }));
}

/** The unattributed lines of a billing month, grouped by item grouping, currency and reason. */
export async function unattributedGroups(
  db: Kysely<Database>,
  period: BillingMonth,
  required: readonly SharedField[],
): Promise<UnattributedGroup[]> {
  const r = await sql<{
    provider: string; billing_account_id: string; sub_account_id: string; service: string; currency: string;
    reason: string; lines: number; billed: string; effective: string;
  }>`
    SELECT ${sql.raw(groupingSql)}, c.billing_currency AS currency, ${sql.raw(reasonSql(required))} AS reason,
           count(*)::int AS lines, sum(c.billed_cost)::text AS billed, sum(c.effective_cost)::text AS effective
      FROM cost_line c
     WHERE c.billing_period_start >= ${period.start}::timestamptz AND c.billing_period_start < ${period.end}::timestamptz
       AND ${sql.raw(lacking(required))}
     GROUP BY 1, 2, 3, 4, 5, 6`.execute(db);
  return r.rows.map((x) => ({
    provider: x.provider,
    billingAccountId: x.billing_account_id,
    subAccountId: x.sub_account_id,
    service: x.service,
    currency: x.currency,
    reason: x.reason,
    lines: x.lines,
    billedCost: x.billed,
    effectiveCost: x.effective,
  }));
}

/**
 * The item groupings of a billing month's unattributed lines (from the daily rollup, which holds
 * every column a grouping and the required fields need), in a stable order.
 */
export async function unattributedGroupings(db: Kysely<Database>, period: BillingMonth, required: readonly SharedField[]): Promise<ItemGrouping[]> {
  if (required.length === 0) return [];
  const r = await sql<{ provider: string; billing_account_id: string; sub_account_id: string; service: string }>`
    SELECT DISTINCT ${sql.raw(groupingSql)}
      FROM cost_rollup c
     WHERE c.billing_period_start >= ${period.start}::timestamptz AND c.billing_period_start < ${period.end}::timestamptz
       AND ${sql.raw(lacking(required))}
     ORDER BY 1, 2, 3, 4`.execute(db);
  return r.rows.map((x) => ({ provider: x.provider, billingAccountId: x.billing_account_id, subAccountId: x.sub_account_id, service: x.service }));
}

/** The `limit` costliest resources (on a basis) of each grouping's unattributed lines. */
export async function topUnattributedResources(
  db: Kysely<Database>,
  period: BillingMonth,
  required: readonly SharedField[],
  basis: 'billed' | 'effective',
  limit: number,
): Promise<(ItemGrouping & { currency: string; resourceId: string; cost: string })[]> {
  const cost = basis === 'billed' ? 'c.billed_cost' : 'c.effective_cost';
  const r = await sql<{
    provider: string; billing_account_id: string; sub_account_id: string; service: string; currency: string; resource_id: string; cost: string;
  }>`
    SELECT provider, billing_account_id, sub_account_id, service, currency, resource_id, cost::text AS cost FROM (
      SELECT g.*, row_number() OVER (PARTITION BY provider, billing_account_id, sub_account_id, service, currency
                                     ORDER BY abs(cost) DESC, resource_id COLLATE "C") AS n
        FROM (SELECT ${sql.raw(groupingSql)}, c.billing_currency AS currency, c.resource_id, sum(${sql.raw(cost)}) AS cost
                FROM cost_line c
               WHERE c.billing_period_start >= ${period.start}::timestamptz AND c.billing_period_start < ${period.end}::timestamptz
                 AND c.resource_id IS NOT NULL AND ${sql.raw(lacking(required))}
               GROUP BY 1, 2, 3, 4, 5, 6) g) ranked
     WHERE n <= ${limit}
     ORDER BY provider, billing_account_id, sub_account_id, service, currency, n`.execute(db);
  return r.rows.map((x) => ({
    provider: x.provider,
    billingAccountId: x.billing_account_id,
    subAccountId: x.sub_account_id,
    service: x.service,
    currency: x.currency,
    resourceId: x.resource_id,
    cost: x.cost,
  }));
}

/** Stores an item for each grouping not stored yet (stable ids), then returns every item of the period. */
export async function ensureItems(db: Kysely<Database>, periodDate: string, groupings: readonly ItemGrouping[]): Promise<ItemRow[]> {
  const unique = [...new Map(groupings.map((g) => [JSON.stringify(g), g])).values()];
  for (let i = 0; i < unique.length; i += 1000) {
    await db
      .insertInto('unattributed_item')
      .values(
        unique.slice(i, i + 1000).map((g) => ({
          period: periodDate,
          provider_name: g.provider,
          billing_account_id: g.billingAccountId,
          sub_account_id: g.subAccountId,
          service_name: g.service,
        })),
      )
      .onConflict((oc) => oc.columns(['period', 'provider_name', 'billing_account_id', 'sub_account_id', 'service_name']).doNothing())
      .execute();
  }
  return db.selectFrom('unattributed_item').selectAll().where('period', '=', periodDate).orderBy('id').execute();
}

/** Locks and reads one item. */
export async function itemForUpdate(trx: Transaction<Database>, id: number): Promise<ItemRow | undefined> {
  return trx.selectFrom('unattributed_item').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Records a claim on an item. */
export async function markItemClaimed(
  trx: Transaction<Database>,
  id: number,
  claim: { by: string; costCenter: string; scope: 'item' | 'future'; ruleId: number },
): Promise<Date> {
  const row = await trx
    .updateTable('unattributed_item')
    .set({
      status: 'claimed',
      claimed_by: claim.by,
      claimed_at: sql<string>`now()`,
      claim_cost_center: claim.costCenter,
      claim_scope: claim.scope,
      rule_id: claim.ruleId,
    })
    .where('id', '=', id)
    .returning('claimed_at')
    .executeTakeFirstOrThrow();
  return row.claimed_at!;
}

/** Records a dismissal on an item. */
export async function markItemDismissed(
  trx: Transaction<Database>,
  id: number,
  dismissal: { by: string; reason: string; sharedPool: string | null },
): Promise<Date> {
  const row = await trx
    .updateTable('unattributed_item')
    .set({
      status: 'dismissed',
      dismissed_by: dismissal.by,
      dismissed_at: sql<string>`now()`,
      dismiss_reason: dismissal.reason,
      shared_pool: dismissal.sharedPool,
    })
    .where('id', '=', id)
    .returning('dismissed_at')
    .executeTakeFirstOrThrow();
  return row.dismissed_at!;
}

/** The net cost, on both bases, of an item's lines that still lack a required field (what a claim would take). */
export async function itemNetCost(
  db: Kysely<Database> | Transaction<Database>,
  item: ItemRow,
  required: readonly SharedField[],
): Promise<{ billedCost: string; effectiveCost: string; lines: number }> {
  const month = String(item.period).slice(0, 10);
  const r = await sql<{ billed: string; effective: string; lines: number }>`
    SELECT coalesce(sum(c.billed_cost), 0)::text AS billed, coalesce(sum(c.effective_cost), 0)::text AS effective, count(*)::int AS lines
      FROM cost_line c
     WHERE c.billing_period_start = ${month}::timestamptz
       AND coalesce(c.provider_name, '') = ${item.provider_name} AND coalesce(c.billing_account_id, '') = ${item.billing_account_id}
       AND coalesce(c.sub_account_id, '') = ${item.sub_account_id} AND coalesce(c.service_name, '') = ${item.service_name}
       AND ${sql.raw(lacking(required))}`.execute(db);
  const row = r.rows[0]!;
  return { billedCost: row.billed, effectiveCost: row.effective, lines: Number(row.lines) };
}

/**
 * The unattributed lines of one item in its billing month, per currency, with exact sums on both
 * bases: what `unattributedGroups` reports for that item's grouping, read without scanning the month.
 */
export async function itemUnattributedByCurrency(
  db: Kysely<Database>,
  item: ItemRow,
  period: BillingMonth,
  required: readonly SharedField[],
): Promise<{ currency: string; billedCost: string; effectiveCost: string; lines: number }[]> {
  const r = await sql<{ currency: string; billed: string; effective: string; lines: number }>`
    SELECT c.billing_currency AS currency, sum(c.billed_cost)::text AS billed, sum(c.effective_cost)::text AS effective, count(*)::int AS lines
      FROM cost_line c
     WHERE c.billing_period_start >= ${period.start}::timestamptz AND c.billing_period_start < ${period.end}::timestamptz
       AND coalesce(c.provider_name, '') = ${item.provider_name} AND coalesce(c.billing_account_id, '') = ${item.billing_account_id}
       AND coalesce(c.sub_account_id, '') = ${item.sub_account_id} AND coalesce(c.service_name, '') = ${item.service_name}
       AND ${sql.raw(lacking(required))}
     GROUP BY c.billing_currency ORDER BY c.billing_currency`.execute(db);
  return r.rows.map((x) => ({ currency: x.currency, billedCost: x.billed, effectiveCost: x.effective, lines: Number(x.lines) }));
}
