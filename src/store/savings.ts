import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from './tables.js';
import type { SavingTable } from './tables-savings.js';
import type { Store } from './database.js';
import { recordAudit, type AuditEntry } from './audit-log.js';
import { costCenterChain, resolveActor } from './people.js';
import { normalizeDecimal } from '../domain/money.js';
import {
  normalizeSavingFilters,
  savingId,
  type LeverKind,
  type ReferenceCost,
  type Saving,
  type SavingLever,
  type SavingStatus,
  type SavingType,
  type UsageBasis,
} from '../domain/saving.js';
import type { Person } from '../domain/people.js';
import type { PlannedRevision } from '../domain/saving-recognition.js';

type Db = Kysely<Database> | Transaction<Database>;

function iso(d: Date | string | null): string | null {
  return d === null ? null : typeof d === 'string' ? new Date(d).toISOString() : d.toISOString();
}

function dateText(d: string | Date | null): string | null {
  if (d === null) return null;
  return typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

function toSaving(r: Selectable<SavingTable>): Saving {
  const filters = (typeof r.filters === 'string' ? JSON.parse(r.filters) : r.filters) as Record<string, string[]>;
  return {
    id: r.id,
    title: r.title,
    lever: r.lever as SavingLever,
    leverKind: r.lever_kind as LeverKind,
    type: r.type as SavingType,
    costCenter: r.cost_center_code,
    category: r.category,
    filters: normalizeSavingFilters(filters ?? {}),
    effectiveDate: dateText(r.effective_date)!,
    endDate: dateText(r.end_date),
    baselineStart: dateText(r.baseline_start),
    baselineEnd: dateText(r.baseline_end),
    basis: r.basis as UsageBasis | null,
    referenceCost: r.reference_cost as ReferenceCost | null,
    estimateMonthly: normalizeDecimal(r.estimate_monthly),
    currency: r.currency,
    evidence: r.evidence,
    proposer: r.proposer,
    status: r.status as SavingStatus,
    recognizedMonthly: r.recognized_monthly === null ? null : normalizeDecimal(r.recognized_monthly),
    recognizedFrom: r.recognized_from === null ? null : dateText(r.recognized_from)!.slice(0, 7),
    approver: r.approver,
    recognizedBy: r.recognized_by,
    closedBy: r.closed_by,
    rejectReason: r.reject_reason,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    version: r.version,
  };
}

/** A saving as proposed, before it has an id. */
export type SavingDraft = Omit<
  Saving,
  'id' | 'status' | 'recognizedMonthly' | 'recognizedFrom' | 'approver' | 'recognizedBy' | 'closedBy' | 'rejectReason' | 'createdAt' | 'updatedAt' | 'version'
>;

/**
 * Stores a new proposal and its audit row in one transaction. With a `requestKey` already used,
 * nothing is written and the saving stored under that key is returned with `created: false`.
 */
export async function insertSaving(
  db: Kysely<Database>,
  draft: SavingDraft,
  requestKey: string | undefined,
  audit: (saving: Saving) => Omit<AuditEntry, 'subjectType' | 'subjectId' | 'after'> & { after?: unknown },
): Promise<{ saving: Saving; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    if (requestKey !== undefined) {
      const earlier = await trx.selectFrom('saving').selectAll().where('request_key', '=', requestKey).executeTakeFirst();
      if (earlier) return { saving: toSaving(earlier), created: false };
    }
    const { n } = (await sql<{ n: number }>`SELECT nextval('saving_number_seq')::bigint AS n`.execute(trx)).rows[0]!;
    const inserted = await trx
      .insertInto('saving')
      .values({
        id: savingId(Number(n)),
        title: draft.title,
        lever: draft.lever,
        lever_kind: draft.leverKind,
        type: draft.type,
        cost_center_code: draft.costCenter,
        category: draft.category,
        filters: JSON.stringify(draft.filters),
        effective_date: draft.effectiveDate,
        end_date: draft.endDate,
        baseline_start: draft.baselineStart,
        baseline_end: draft.baselineEnd,
        basis: draft.basis,
        reference_cost: draft.referenceCost,
        estimate_monthly: draft.estimateMonthly,
        currency: draft.currency,
        evidence: draft.evidence,
        proposer: draft.proposer,
        request_key: requestKey ?? null,
      })
      // A concurrent submission with the same key won: keep its row, write nothing.
      .onConflict((oc) => oc.column('request_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) {
      const winner = await trx.selectFrom('saving').selectAll().where('request_key', '=', requestKey!).executeTakeFirstOrThrow();
      return { saving: toSaving(winner), created: false };
    }
    const saving = toSaving(inserted);
    const entry = audit(saving);
    await recordAudit(trx, { ...entry, subjectType: 'saving', subjectId: saving.id, after: entry.after ?? saving });
    return { saving, created: true };
  });
}

/** One saving by id. */
export async function getSaving(db: Db, id: string): Promise<Saving | undefined> {
  const row = await db.selectFrom('saving').selectAll().where('id', '=', id.trim().toUpperCase()).executeTakeFirst();
  return row ? toSaving(row) : undefined;
}

/** Savings, oldest first, optionally of one status. */
export async function listSavings(db: Db, filter: { status?: SavingStatus } = {}): Promise<Saving[]> {
  let q = db.selectFrom('saving').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map(toSaving);
}

/** A budget revision row as people read it. */
export interface BudgetRevision {
  readonly id: number;
  readonly savingId: string;
  readonly costCenter: string;
  readonly category: string;
  /** `YYYY-MM`. */
  readonly month: string;
  readonly amount: string;
  readonly currency: string;
  readonly reverses: number | null;
  readonly reversedBy: number | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

function toRevision(r: Selectable<Database['budget_revision']>): BudgetRevision {
  return {
    id: Number(r.id),
    savingId: r.saving_id,
    costCenter: r.cost_center_code,
    category: r.category,
    month: dateText(r.month)!.slice(0, 7),
    amount: normalizeDecimal(r.amount),
    currency: r.currency,
    reverses: r.reverses === null ? null : Number(r.reverses),
    reversedBy: r.reversed_by === null ? null : Number(r.reversed_by),
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
  };
}

/** The budget revisions of one saving, or of every saving touching a year, in id order. */
export async function listBudgetRevisions(db: Db, filter: { savingId?: string; year?: number }): Promise<BudgetRevision[]> {
  let q = db.selectFrom('budget_revision').selectAll();
  if (filter.savingId !== undefined) q = q.where('saving_id', '=', filter.savingId);
  if (filter.year !== undefined) q = q.where('month', '>=', `${filter.year}-01-01`).where('month', '<', `${filter.year + 1}-01-01`);
  return (await q.orderBy('id').execute()).map(toRevision);
}

/** The original ('budget' version) amount of a cost center's category in each month, with its currency. */
export async function originalBudget(
  db: Db,
  costCenter: string,
  category: string,
  months: readonly string[],
): Promise<Array<{ month: string; amount: string; currency: string }>> {
  if (months.length === 0) return [];
  const rows = await db
    .selectFrom('budget_line')
    .select(['month', 'amount', 'currency'])
    .where('version', '=', 'budget')
    .where('cost_center_code', '=', costCenter)
    .where('category', '=', category)
    .where('month', 'in', months)
    .orderBy('month')
    .execute();
  return rows.map((r) => ({ month: dateText(r.month)!.slice(0, 7), amount: normalizeDecimal(r.amount), currency: r.currency }));
}

/** Who did what to a saving, oldest first (from the audit log; refused attempts are not its history). */
export async function savingHistory(db: Db, id: string): Promise<Array<{ at: string; actor: string; surface: string; action: string; before: unknown; after: unknown }>> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['at', 'actor', 'surface', 'action', 'before', 'after'])
    .where('subject_type', '=', 'saving')
    .where('subject_id', '=', id)
    .where('outcome', '=', 'recorded')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ at: iso(r.at)!, actor: r.actor, surface: r.surface, action: r.action, before: r.before, after: r.after }));
}

/** The changes a transition makes to a saving's row (the version and updated_at move on their own). */
export interface SavingChange {
  readonly status: SavingStatus;
  readonly recognizedMonthly?: string;
  readonly recognizedFrom?: string;
  readonly approver?: string;
  readonly recognizedBy?: string;
  readonly closedBy?: string;
  readonly rejectReason?: string;
  /** Undo the recognition: recognized from / at / by are cleared (the saving stays validated). */
  readonly clearRecognition?: boolean;
}

/** The operations a decision on one saving makes, all inside one transaction. */
export interface SavingDecisionTx {
  /** The transaction itself, for the people and policy functions (authorization, refusal audit rows). */
  readonly db: Transaction<Database>;
  /** The saving, locked until the transaction ends (concurrent decisions wait and see its new state). */
  lock(id: string): Promise<Saving | undefined>;
  /** The person an actor names, with roles. */
  person(actor: string): Promise<Person | undefined>;
  /** The cost center followed by its ancestors. */
  costCenterChain(code: string): Promise<string[]>;
  /** Moves the saving to a new state, bumping its version. */
  change(saving: Saving, change: SavingChange): Promise<Saving>;
  /** Writes one recognition revision per month. */
  addRevisions(saving: Saving, planned: readonly PlannedRevision[], actor: string): Promise<BudgetRevision[]>;
  /** Writes a reversal for every revision of the saving not reversed yet, and links both ways. */
  reverseRevisions(saving: Saving, actor: string): Promise<BudgetRevision[]>;
  /** The original budget lines the planned months would revise. */
  originalBudget(costCenter: string, category: string, months: readonly string[]): Promise<Array<{ month: string; amount: string; currency: string }>>;
  audit(entry: AuditEntry): Promise<void>;
}

/** Runs one decision on savings in one transaction; everything it wrote is rolled back if it throws. */
export async function withSavingDecision<T>(store: Store, fn: (tx: SavingDecisionTx) => Promise<T>): Promise<T> {
  return store.db.transaction().execute(async (trx) => {
    const tx: SavingDecisionTx = {
      db: trx,
      async lock(id) {
        const row = await trx.selectFrom('saving').selectAll().where('id', '=', id.trim().toUpperCase()).forUpdate().executeTakeFirst();
        return row ? toSaving(row) : undefined;
      },
      person: (actor) => resolveActor(trx, actor),
      costCenterChain: (code) => costCenterChain(trx, code),
      async change(saving, c) {
        const now = sql<Date>`now()`;
        const row = await trx
          .updateTable('saving')
          .set({
            status: c.status,
            ...(c.recognizedMonthly !== undefined ? { recognized_monthly: c.recognizedMonthly } : {}),
            ...(c.recognizedFrom !== undefined ? { recognized_from: `${c.recognizedFrom}-01`, recognized_at: now as never } : {}),
            ...(c.approver !== undefined ? { approver: c.approver, validated_at: now as never } : {}),
            ...(c.recognizedBy !== undefined ? { recognized_by: c.recognizedBy } : {}),
            ...(c.closedBy !== undefined ? { closed_by: c.closedBy, closed_at: now as never } : {}),
            ...(c.rejectReason !== undefined ? { reject_reason: c.rejectReason } : {}),
            ...(c.clearRecognition ? { recognized_from: null, recognized_at: null, recognized_by: null } : {}),
            version: sql<number>`version + 1` as never,
            updated_at: now as never,
          })
          .where('id', '=', saving.id)
          .where('version', '=', saving.version)
          .returningAll()
          .executeTakeFirstOrThrow();
        return toSaving(row);
      },
      async addRevisions(saving, planned, actor) {
        if (planned.length === 0) return [];
        const rows = await trx
          .insertInto('budget_revision')
          .values(
            planned.map((p) => ({
              saving_id: saving.id,
              cost_center_code: saving.costCenter,
              category: saving.category,
              month: p.month,
              amount: p.amount,
              currency: saving.currency,
              created_by: actor,
            })),
          )
          .returningAll()
          .execute();
        return rows.map(toRevision);
      },
      async reverseRevisions(saving, actor) {
        const open = await trx
          .selectFrom('budget_revision')
          .selectAll()
          .where('saving_id', '=', saving.id)
          .where('reverses', 'is', null)
          .where('reversed_by', 'is', null)
          .orderBy('month')
          .forUpdate()
          .execute();
        const out: BudgetRevision[] = [];
        for (const r of open) {
          const reversal = await trx
            .insertInto('budget_revision')
            .values({
              saving_id: r.saving_id,
              cost_center_code: r.cost_center_code,
              category: r.category,
              month: dateText(r.month)!,
              amount: sql<string>`-(${r.amount}::numeric)` as never,
              currency: r.currency,
              reverses: r.id,
              created_by: actor,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await trx.updateTable('budget_revision').set({ reversed_by: reversal.id }).where('id', '=', r.id).execute();
          out.push(toRevision(reversal));
        }
        return out;
      },
      originalBudget: (costCenter, category, months) => originalBudget(trx, costCenter, category, months),
      audit: (entry) => recordAudit(trx, entry),
    };
    return fn(tx);
  });
}

/** The currencies a cost center's budget ('budget' version) is kept in. */
export async function budgetCurrencies(db: Db, costCenter: string): Promise<string[]> {
  const rows = await db
    .selectFrom('budget_line')
    .select('currency')
    .distinct()
    .where('version', '=', 'budget')
    .where('cost_center_code', '=', costCenter)
    .orderBy('currency')
    .execute();
  return rows.map((r) => r.currency);
}

/** 'budget' version lines of some cost centers in a calendar year. */
export async function budgetLinesInYear(
  db: Db,
  year: number,
  costCenters: readonly string[],
): Promise<Array<{ costCenter: string; category: string; month: string; amount: string; currency: string }>> {
  if (costCenters.length === 0) return [];
  const rows = await db
    .selectFrom('budget_line')
    .select(['cost_center_code', 'category', 'month', 'amount', 'currency'])
    .where('version', '=', 'budget')
    .where('cost_center_code', 'in', [...new Set(costCenters)])
    .where('month', '>=', `${year}-01-01`)
    .where('month', '<', `${year + 1}-01-01`)
    .execute();
  return rows.map((r) => ({ costCenter: r.cost_center_code, category: r.category, month: dateText(r.month)!.slice(0, 7), amount: normalizeDecimal(r.amount), currency: r.currency }));
}
