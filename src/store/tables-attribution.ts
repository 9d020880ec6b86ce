// Row types of the attribution area's tables (contracts, attribution rules, unattributed items and claims, shared-cost pools, glossary); merged into `Database` in tables.ts.

import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

/** The six `set_*` columns: what a contract, component or rule assigns (null = leaves it alone). */
interface SharedFieldAssignments {
  set_cost_center: string | null;
  set_application: string | null;
  set_legal_entity: string | null;
  set_environment: string | null;
  set_project: string | null;
  set_owner: string | null;
}

/** A contract classified at contract time; `match_*` are SQL LIKE patterns from the file's globs. */
export interface ContractTable extends SharedFieldAssignments {
  id: string;
  category: string;
  match_invoice_issuer: string | null;
  match_publisher: string | null;
  match_provider: string | null;
  match_billing_account: string | null;
  match_sub_account: string | null;
  match_sku: string | null;
  match_charge_description: string | null;
  match_service_category: string | null;
  start_date: ColumnType<string, string, string>;
  end_date: ColumnType<string | null, string | null, string | null>;
  expected_monthly_amount: string | null;
  currency: string | null;
  gl_account: string;
  cost_pool: string | null;
  tower: string | null;
  document: Json;
  source_file: string | null;
  applied_by: string;
  applied_at: Timestamp;
  created_at: Timestamp;
}

/** A contract component (`token`, `license` ...) with its own GL account and attribution. */
export interface ContractComponentTable extends SharedFieldAssignments {
  contract_id: string;
  position: number;
  name: string;
  match_pricing_unit: string | null;
  match_sku: string | null;
  match_charge_description: string | null;
  match_service_subcategory: string | null;
  gl_account: string | null;
}

/** An attribution rule; `match_*` and the tag conditions' `like` are SQL LIKE patterns. */
export interface AttributionRuleTable extends SharedFieldAssignments {
  id: Generated<number>;
  match_provider: string | null;
  match_billing_account: string | null;
  match_sub_account: string | null;
  match_service: string | null;
  match_service_category: string | null;
  match_sku: string | null;
  match_region: string | null;
  match_resource_id: string | null;
  tag_conditions: Json;
  conditions: Json;
  priority: number;
  effective_from: ColumnType<Date, string, string>;
  effective_until: ColumnType<Date | null, string | null, string | null>;
  origin: 'contract' | 'claim' | 'manual' | 'import';
  author: string;
  created_at: Timestamp;
  removed_at: ColumnType<Date | null, string | null | undefined, string | null>;
  removed_by: string | null;
}

/** Unattributed spend of one period and grouping, with its claim or dismissal. */
export interface UnattributedItemTable {
  id: Generated<number>;
  period: ColumnType<string, string, string>;
  provider_name: string;
  billing_account_id: string;
  sub_account_id: string;
  service_name: string;
  status: ColumnType<'open' | 'claimed' | 'dismissed', 'open' | 'claimed' | 'dismissed' | undefined>;
  claimed_by: string | null;
  claimed_at: ColumnType<Date | null, string | null | undefined, string | null>;
  claim_cost_center: string | null;
  claim_scope: 'item' | 'future' | null;
  rule_id: number | null;
  dismissed_by: string | null;
  dismissed_at: ColumnType<Date | null, string | null | undefined, string | null>;
  dismiss_reason: string | null;
  shared_pool: string | null;
  first_seen_at: Timestamp;
}

/** The attribution area's tables, by table name. */
/** The one row of attribution switches stored with the data (so every re-attribution decides alike). */
export interface AttributionSettingTable {
  singleton: ColumnType<boolean, boolean | undefined, never>;
  owner_from_master_data: boolean;
  updated_at: Timestamp;
}

export interface AttributionTables {
  attribution_setting: AttributionSettingTable;
  contract: ContractTable;
  contract_component: ContractComponentTable;
  attribution_rule: AttributionRuleTable;
  unattributed_item: UnattributedItemTable;
}
