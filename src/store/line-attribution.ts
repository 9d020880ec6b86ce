import { sql, type Kysely } from 'kysely';
import type { BillingMonth } from '../domain/billing-month.js';
import { sharedFields, type SharedField } from '../domain/shared-fields.js';
import type { Database } from './tables.js';

/** What explain reads of a stored line: identity, FOCUS facts, tags and each attribution layer. */
export interface StoredLineAttribution {
  readonly id: number;
  readonly billingPeriodStart: string;
  readonly providerName: string | null;
  readonly billingAccountId: string;
  readonly subAccountId: string | null;
  readonly serviceName: string | null;
  readonly skuId: string | null;
  readonly resourceId: string | null;
  readonly billedCost: string;
  readonly effectiveCost: string;
  readonly currency: string;
  readonly tags: Record<string, unknown> | null;
  readonly values: Record<SharedField, string | null>;
  readonly sources: Record<SharedField, string | null>;
  readonly tagValues: Record<SharedField, string | null>;
  readonly tagKeys: Partial<Record<SharedField, string>> | null;
  readonly contractId: string | null;
  readonly contractComponent: string | null;
  readonly glAccount: string | null;
}

const limitLines = 500;

/** A line by id, or a resource's lines in a billing month (at most 500, oldest charge first). */
export async function findLineAttributions(
  db: Kysely<Database>,
  target: { lineId: number } | { resourceId: string; period: BillingMonth },
): Promise<StoredLineAttribution[]> {
  const where =
    'lineId' in target
      ? sql`c.id = ${target.lineId}`
      : sql`c.resource_id = ${target.resourceId} AND c.billing_period_start >= ${target.period.start}::timestamptz
            AND c.billing_period_start < ${target.period.end}::timestamptz`;
  const r = await sql<Record<string, unknown>>`
    SELECT c.id, to_char(c.billing_period_start AT TIME ZONE 'UTC', 'YYYY-MM') AS period, c.provider_name, c.billing_account_id,
           c.sub_account_id, c.service_name, c.sku_id, c.resource_id, c.billed_cost::text AS billed, c.effective_cost::text AS effective,
           c.billing_currency, c.tags, c.tag_keys, c.contract_id, c.contract_component, c.gl_account,
           ${sql.join(sharedFields.flatMap((f) => [sql.ref(`c.${f}`), sql.ref(`c.${f}_source`), sql.ref(`c.tag_${f}`)]))}
      FROM cost_line c WHERE ${where}
     ORDER BY c.charge_period_start, c.id LIMIT ${limitLines}`.execute(db);
  const pick = (row: Record<string, unknown>, prefix: string, suffix: string) =>
    Object.fromEntries(sharedFields.map((f) => [f, (row[`${prefix}${f}${suffix}`] as string | null) ?? null])) as Record<SharedField, string | null>;
  return r.rows.map((row) => ({
    id: Number(row.id),
    billingPeriodStart: row.period as string,
    providerName: row.provider_name as string | null,
    billingAccountId: row.billing_account_id as string,
    subAccountId: row.sub_account_id as string | null,
    serviceName: row.service_name as string | null,
    skuId: row.sku_id as string | null,
    resourceId: row.resource_id as string | null,
    billedCost: row.billed as string,
    effectiveCost: row.effective as string,
    currency: row.billing_currency as string,
    tags: row.tags as Record<string, unknown> | null,
    values: pick(row, '', ''),
    sources: pick(row, '', '_source'),
    tagValues: pick(row, 'tag_', ''),
    tagKeys: row.tag_keys as Partial<Record<SharedField, string>> | null,
    contractId: row.contract_id as string | null,
    contractComponent: row.contract_component as string | null,
    glAccount: row.gl_account as string | null,
  }));
}
