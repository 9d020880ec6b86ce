import type { ColumnType, Generated } from 'kysely';

// Row types of the variance area's tables (variance explanations, materiality overrides); merged into `Database` in tables.ts.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Decimal = ColumnType<string, string, string>;

/** One person's explanation of one component of a variance. */
export interface VarianceExplanationTable {
  id: Generated<number>;
  /** First day of the billing month. */
  period: ColumnType<string, string, string>;
  scope_field: string;
  scope: string;
  component: string;
  planned: boolean;
  text: string;
  saving_id: string | null;
  change_ref: string | null;
  author: string;
  surface: string;
  created_at: Timestamp;
}

/** A cost center's own materiality threshold. */
export interface VarianceThresholdTable {
  cost_center_code: string;
  amount: Decimal;
  share: Decimal;
  updated_by: string;
  updated_at: Timestamp;
}

/** The variance area's tables, by table name. */
export interface VarianceTables {
  variance_explanation: VarianceExplanationTable;
  variance_threshold: VarianceThresholdTable;
}
