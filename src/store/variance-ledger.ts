import { sql, type Kysely, type RawBuilder } from 'kysely';
import { liveFacts } from './cost-facts.js';
import type { Database } from './tables.js';
import type { GlAmount, InvoiceBilled } from '../domain/variance-ledger.js';

/** How far from the period (in months, each side) a GL row's invoice is looked up in FOCUS. */
export const timingWindowMonths = 3;

/**
 * The inputs of the GL timing match for one billing month: FOCUS BilledCost per invoice (the
 * month's invoices, and those of GL rows booked in the month, looked up within
 * {@link timingWindowMonths} months either side), and every GL row of the month or of those invoices.
 */
export async function loadLedgerInputs(
  db: Kysely<Database>,
  period: { start: string; end: string },
  /** The month's cost facts (default: its live lines; a closed month's frozen figures). */
  facts: RawBuilder<unknown> = liveFacts(period),
): Promise<{ invoices: InvoiceBilled[]; gl: GlAmount[] }> {
  const month = period.start.slice(0, 10);
  const here = await sql<{ invoice_id: string; billing_period: string; currency: string; billed: string }>`
    SELECT invoice_id, to_char(billing_period_start AT TIME ZONE 'UTC', 'YYYY-MM') AS billing_period,
           billing_currency AS currency, sum(billed_cost)::text AS billed
      FROM (${facts}) f
     WHERE invoice_id IS NOT NULL
     GROUP BY 1, 2, 3`.execute(db);
  const invoices: InvoiceBilled[] = here.rows.map((r) => ({ invoiceId: r.invoice_id, billingPeriod: r.billing_period, currency: r.currency, billed: r.billed }));
  const focusIds = [...new Set(invoices.map((i) => i.invoiceId))];
  const gl = await sql<{ period: string; cost_center_code: string; invoice_id: string | null; currency: string; amount: string }>`
    SELECT to_char(period, 'YYYY-MM') AS period, cost_center_code, invoice_id, currency, sum(amount)::text AS amount
      FROM gl_actual
     WHERE period = ${month}::date OR invoice_id = ANY(${focusIds}::text[])
        OR invoice_id IN (SELECT invoice_id FROM gl_actual WHERE period = ${month}::date AND invoice_id IS NOT NULL)
     GROUP BY 1, 2, 3, 4`.execute(db);
  const glRows: GlAmount[] = gl.rows.map((r) => ({ period: r.period, costCenter: r.cost_center_code, invoiceId: r.invoice_id, currency: r.currency, amount: r.amount }));
  const known = new Set(focusIds);
  const elsewhere = [...new Set(glRows.filter((g) => g.invoiceId !== null && !known.has(g.invoiceId)).map((g) => g.invoiceId!))];
  if (elsewhere.length > 0) {
    const other = await sql<{ invoice_id: string; billing_period: string; currency: string; billed: string }>`
      SELECT invoice_id, to_char(billing_period_start AT TIME ZONE 'UTC', 'YYYY-MM') AS billing_period,
             billing_currency AS currency, sum(billed_cost)::text AS billed
        FROM cost_line
       WHERE billing_period_start >= ${period.start}::timestamptz - make_interval(months => ${sql.lit(timingWindowMonths)})
         AND billing_period_start < ${period.end}::timestamptz + make_interval(months => ${sql.lit(timingWindowMonths)})
         AND invoice_id = ANY(${elsewhere}::text[])
       GROUP BY 1, 2, 3`.execute(db);
    for (const r of other.rows) invoices.push({ invoiceId: r.invoice_id, billingPeriod: r.billing_period, currency: r.currency, billed: r.billed });
  }
  return { invoices, gl: glRows };
}
