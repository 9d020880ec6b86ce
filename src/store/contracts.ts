import { sql, type Kysely, type Transaction } from 'kysely';
import type { SharedFieldValues } from '../domain/attribution.js';
import type { ContractDefinition } from '../domain/contract-document.js';
import { globToLike } from '../domain/glob-pattern.js';
import { sharedFields } from '../domain/shared-fields.js';
import type { Database } from './tables.js';

const likeOf = (glob: string | undefined) => (glob === undefined ? null : globToLike(glob));

function setColumns(values: SharedFieldValues) {
  return Object.fromEntries(sharedFields.map((f) => [`set_${f}`, values[f] ?? null])) as {
    set_cost_center: string | null; set_application: string | null; set_legal_entity: string | null;
    set_environment: string | null; set_project: string | null; set_owner: string | null;
  };
}

/** A stored contract as listed: its definition plus who applied it, when, from which file. */
export interface StoredContract {
  readonly definition: ContractDefinition;
  readonly sourceFile: string | null;
  readonly appliedBy: string;
  readonly appliedAt: Date;
}

/** Inserts or replaces a contract (and its components) by id; returns the definition it replaced. */
export async function upsertContract(
  trx: Transaction<Database>,
  c: ContractDefinition,
  meta: { sourceFile: string; appliedBy: string },
): Promise<ContractDefinition | undefined> {
  const previous = await trx.selectFrom('contract').select('document').where('id', '=', c.id).forUpdate().executeTakeFirst();
  const row = {
    id: c.id,
    category: c.category,
    match_invoice_issuer: likeOf(c.vendor.invoiceIssuerName),
    match_publisher: likeOf(c.vendor.publisherName),
    match_provider: likeOf(c.vendor.providerName),
    match_billing_account: likeOf(c.vendor.billingAccountId),
    match_sub_account: likeOf(c.vendor.subAccountId),
    match_sku: likeOf(c.vendor.skuId),
    match_charge_description: likeOf(c.vendor.chargeDescription),
    match_service_category: likeOf(c.vendor.serviceCategory),
    start_date: c.startDate,
    end_date: c.endDate,
    expected_monthly_amount: c.expectedMonthlyAmount,
    currency: c.currency,
    gl_account: c.glAccount,
    cost_pool: c.costPool,
    tower: c.tower,
    ...setColumns(c.attribution),
    document: JSON.stringify(c),
    source_file: meta.sourceFile,
    applied_by: meta.appliedBy,
  };
  const { id: _id, ...update } = row;
  await trx
    .insertInto('contract')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...update, applied_at: sql<Date>`now()` }))
    .execute();
  await trx.deleteFrom('contract_component').where('contract_id', '=', c.id).execute();
  if (c.components.length > 0) {
    await trx
      .insertInto('contract_component')
      .values(
        c.components.map((p, position) => ({
          contract_id: c.id,
          position,
          name: p.name,
          match_pricing_unit: likeOf(p.match.pricingUnit),
          match_sku: likeOf(p.match.skuId),
          match_charge_description: likeOf(p.match.chargeDescription),
          match_service_subcategory: likeOf(p.match.serviceSubcategory),
          gl_account: p.glAccount,
          ...setColumns(p.attribution),
        })),
      )
      .execute();
  }
  return previous ? (previous.document as ContractDefinition) : undefined;
}

/** Whether a contract id is stored (inside the transaction that would add it). */
export async function contractExists(db: Kysely<Database> | Transaction<Database>, id: string): Promise<boolean> {
  return (await db.selectFrom('contract').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Every contract, by id. */
export async function listContracts(db: Kysely<Database>): Promise<StoredContract[]> {
  const rows = await db.selectFrom('contract').select(['document', 'source_file', 'applied_by', 'applied_at']).orderBy('id').execute();
  return rows.map((r) => ({
    definition: r.document as ContractDefinition,
    sourceFile: r.source_file,
    appliedBy: r.applied_by,
    appliedAt: r.applied_at,
  }));
}

/** Lines per contract (and component) and their exact cost, for the listing. */
export async function contractLineTotals(
  db: Kysely<Database>,
): Promise<{ contractId: string; lines: number; billedCost: string; effectiveCost: string }[]> {
  const r = await sql<{ contract_id: string; lines: number; billed: string; effective: string }>`
    SELECT contract_id, count(*)::int AS lines, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
      FROM cost_line WHERE contract_id IS NOT NULL GROUP BY contract_id`.execute(db);
  return r.rows.map((x) => ({ contractId: x.contract_id, lines: x.lines, billedCost: x.billed, effectiveCost: x.effective }));
}
