// Row types of the savings area's tables (savings records, people and roles, budget revisions); merged into `Database` in tables.ts.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Decimal = ColumnType<string, string, string>;
type DateText = ColumnType<string, string, string>;

/** A person known to costbridge, by chat identity or email. */
export interface PersonTable {
  id: string;
  name: string | null;
  email: string | null;
  slack_user_id: string | null;
  teams_aad_id: string | null;
  /** The Slack workspace / Teams tenant the chat id was bound in (null when an admin set it). */
  slack_team_id: ColumnType<string | null, string | null | undefined, string | null>;
  teams_tenant_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A role held by a person; `cost_center_code` '' means everywhere. */
export interface PersonRoleTable {
  person_id: string;
  role: string;
  cost_center_code: ColumnType<string, string | undefined, string>;
  created_by: string;
  created_at: Timestamp;
}

/** One saving in the savings ledger. */
export interface SavingTable {
  id: string;
  title: string;
  lever: string;
  lever_kind: string;
  type: string;
  cost_center_code: string;
  category: ColumnType<string, string | undefined, string>;
  filters: ColumnType<unknown, string | undefined, string>;
  effective_date: DateText;
  end_date: DateText | null;
  baseline_start: DateText | null;
  baseline_end: DateText | null;
  basis: string | null;
  reference_cost: string | null;
  estimate_monthly: Decimal;
  currency: string;
  evidence: string | null;
  proposer: string;
  status: ColumnType<string, string | undefined, string>;
  recognized_monthly: Decimal | null;
  recognized_from: DateText | null;
  approver: string | null;
  validated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  recognized_by: string | null;
  recognized_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  closed_by: string | null;
  closed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  reject_reason: string | null;
  request_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

/** One month's budget revision made by recognizing a saving, or the reversal of one. */
export interface BudgetRevisionTable {
  id: Generated<number>;
  saving_id: string;
  cost_center_code: string;
  category: ColumnType<string, string | undefined, string>;
  month: DateText;
  amount: Decimal;
  currency: string;
  reverses: number | null;
  reversed_by: number | null;
  created_by: string;
  created_at: Timestamp;
}

/** The savings area's tables, by table name. */
export interface SavingsTables {
  person: PersonTable;
  person_role: PersonRoleTable;
  saving: SavingTable;
  budget_revision: BudgetRevisionTable;
}
