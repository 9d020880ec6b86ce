import type { ColumnType, Generated } from 'kysely';
import type { AttributionTables } from './tables-attribution.js';
import type { VarianceTables } from './tables-variance.js';
import type { SavingsTables } from './tables-savings.js';
import type { ChatTables } from './tables-chat.js';
import type { ReviewTables } from './tables-review.js';

// Row types of the tables kysely queries. Amounts are numeric in Postgres and exact decimal strings here.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Decimal = ColumnType<string, string, string>;

/** One audit row: who did what, from where, with the state before and after. */
export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  surface: string;
  action: string;
  subject_type: string;
  subject_id: string;
  before: unknown;
  after: unknown;
  /** `recorded`, or `refused` for an attempt the policy turned down. */
  outcome: ColumnType<'recorded' | 'refused', 'recorded' | 'refused' | undefined, 'recorded' | 'refused'>;
}

/** One imported file. */
export interface ImportBatchTable {
  id: Generated<number>;
  kind: 'focus' | 'cost-centers' | 'budgets' | 'gl';
  file_name: string;
  sha256: string;
  format: string;
  focus_version: string | null;
  rows: number;
  rejected_rows: Generated<number>;
  billing_periods: ColumnType<string[], string[] | undefined, string[]>;
  warnings: ColumnType<unknown, string | undefined, string>;
  imported_by: string;
  surface: string;
  imported_at: Timestamp;
  /** The FOCUS delivery the file belongs to (null for ITFM files). */
  delivery_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** How an ITFM file was read (`--map` renames, the budgets `--budget-version`); JSON text on insert. */
  read_options: ColumnType<unknown, string | undefined, string>;
}

/** One FOCUS delivery: the files of one `import focus` run, or of one provider manifest. */
export interface ImportDeliveryTable {
  id: Generated<number>;
  mode: 'replace' | 'append';
  fingerprint: string;
  manifest: unknown;
  files: number;
  rows: number;
  rejected_rows: Generated<number>;
  imported_by: string;
  surface: string;
  imported_at: Timestamp;
}

/** What a delivery did to one slice: its rows and per-currency totals (JSON) before and after. */
export interface ImportDeliverySliceTable {
  delivery_id: number;
  billing_account_id: string;
  billing_period_start: ColumnType<Date, string, string>;
  mode: 'replace' | 'append';
  rows_before: number;
  rows_after: number;
  totals_before: unknown;
  totals_after: unknown;
}

/** One (billing account, billing period) slice of cost lines written by a FOCUS import. */
export interface ImportSliceTable {
  batch_id: number;
  billing_account_id: string;
  billing_period_start: ColumnType<Date, string, string>;
  rows: number;
  superseded_by: number | null;
}

/** A FOCUS cost line; only the columns the code reads by name are typed here. */
export interface CostLineTable {
  id: Generated<number>;
  batch_id: number;
  source_line: number;
  billing_account_id: string;
  billing_account_name: string | null;
  billing_currency: string;
  billing_period_start: ColumnType<Date, string, string>;
  billing_period_end: ColumnType<Date, string, string>;
  charge_period_start: ColumnType<Date, string, string>;
  charge_period_end: ColumnType<Date, string, string>;
  charge_category: string;
  billed_cost: Decimal;
  effective_cost: Decimal;
  list_cost: Decimal | null;
  contracted_cost: Decimal | null;
  pricing_quantity: Decimal | null;
  pricing_unit: string | null;
  provider_name: string | null;
  publisher_name: string | null;
  invoice_issuer_name: string | null;
  region_id: string | null;
  region_name: string | null;
  resource_id: string | null;
  service_category: string | null;
  service_name: string | null;
  sub_account_id: string | null;
  sub_account_name: string | null;
  sku_id: string | null;
  tags: unknown;
  extra: unknown;
  cost_center: string | null;
  application: string | null;
  legal_entity: string | null;
  environment: string | null;
  project: string | null;
  owner: string | null;
}

/** ITFM master data: a cost center. */
export interface CostCenterTable {
  code: string;
  name: string;
  parent_code: string | null;
  owner: string | null;
  legal_entity: string | null;
  chat_channel: string | null;
  updated_at: Timestamp;
}

/** A budget or ITFM forecast amount for a cost center, category and month. */
export interface BudgetLineTable {
  id: Generated<number>;
  version: 'budget' | 'forecast';
  cost_center_code: string;
  category: string;
  month: ColumnType<string, string, string>;
  amount: Decimal;
  currency: string;
  batch_id: number | null;
}

/** A general-ledger actual booked to a cost center. */
export interface GlActualTable {
  id: Generated<number>;
  period: ColumnType<string, string, string>;
  cost_center_code: string;
  gl_account: string;
  vendor: string | null;
  invoice_id: string | null;
  amount: Decimal;
  currency: string;
  description: string | null;
  batch_id: number | null;
}

/** A tag key that means one of the six shared fields. */
export interface TagAliasTable {
  tag_key: string;
  field: string;
  priority: ColumnType<number, number | undefined, number>;
  created_by: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
}

/** The database as kysely sees it: the foundation tables plus each area's own (tables-*.ts). */
export interface Database extends AttributionTables, VarianceTables, SavingsTables, ChatTables, ReviewTables {
  audit_log: AuditLogTable;
  import_batch: ImportBatchTable;
  import_slice: ImportSliceTable;
  import_delivery: ImportDeliveryTable;
  import_delivery_slice: ImportDeliverySliceTable;
  cost_line: CostLineTable;
  cost_center: CostCenterTable;
  budget_line: BudgetLineTable;
  gl_actual: GlActualTable;
  tag_alias: TagAliasTable;
}
