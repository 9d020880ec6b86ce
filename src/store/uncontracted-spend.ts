import { sql, type Kysely } from 'kysely';
import type { BillingMonth } from '../domain/billing-month.js';
import type { Database } from './tables.js';

/** Lines of a billing month no contract covers, grouped by vendor fields, category, service and currency. */
export interface UncontractedGroup {
  readonly providerName: string | null;
  readonly publisherName: string | null;
  readonly invoiceIssuerName: string | null;
  readonly serviceCategory: string | null;
  readonly serviceName: string | null;
  readonly currency: string;
  readonly lines: number;
  readonly billedCost: string;
  readonly effectiveCost: string;
}

/**
 * Uncontracted lines of a billing month, grouped, from the daily rollup (it carries the vendor fields
 * and whether a contract covers the line; `asOf` is a day, so the charge-day cut is exact).
 */
export async function uncontractedGroups(db: Kysely<Database>, period: BillingMonth, asOf?: string): Promise<UncontractedGroup[]> {
  const cut = asOf === undefined ? sql`` : sql`AND charge_day < ${`${asOf}T00:00:00.000Z`}::timestamptz`;
  const r = await sql<{
    provider_name: string | null; publisher_name: string | null; invoice_issuer_name: string | null; service_category: string | null;
    service_name: string | null; currency: string; lines: number; billed: string; effective: string;
  }>`
    SELECT provider_name, publisher_name, invoice_issuer_name, service_category, service_name, billing_currency AS currency,
           sum(line_count)::int AS lines, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
      FROM cost_rollup
     WHERE billing_period_start >= ${period.start}::timestamptz AND billing_period_start < ${period.end}::timestamptz
       AND NOT contracted ${cut}
     GROUP BY 1, 2, 3, 4, 5, 6`.execute(db);
  return r.rows.map((x) => ({
    providerName: x.provider_name,
    publisherName: x.publisher_name,
    invoiceIssuerName: x.invoice_issuer_name,
    serviceCategory: x.service_category,
    serviceName: x.service_name,
    currency: x.currency,
    lines: x.lines,
    billedCost: x.billed,
    effectiveCost: x.effective,
  }));
}

/** The publishers among `names` with a line in any billing period before `period`. */
export async function publishersSeenBefore(db: Kysely<Database>, period: BillingMonth, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  // One probe per name into the rollup's publisher index, stopping at its first earlier row.
  const r = await sql<{ publisher_name: string }>`
    SELECT n.name AS publisher_name
      FROM unnest(${[...names]}::text[]) AS n(name)
      CROSS JOIN LATERAL (SELECT 1 FROM cost_rollup c
                           WHERE c.billing_period_start < ${period.start}::timestamptz AND c.publisher_name = n.name
                           LIMIT 1) seen`.execute(db);
  return new Set(r.rows.map((x) => x.publisher_name));
}
