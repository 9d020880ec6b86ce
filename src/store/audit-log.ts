import type { Kysely, Transaction } from 'kysely';
import type { Database } from './tables.js';

/** The surfaces a decision can come from. */
export type Surface = 'cli' | 'slack' | 'teams' | 'schedule' | 'system';

/** One thing a person (or the schedule) did, for the audit trail. */
export interface AuditEntry {
  readonly actor: string;
  readonly surface: Surface;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** Default `recorded`; `refused` for an attempt that was turned down (nothing else changed). */
  readonly outcome?: 'recorded' | 'refused';
}

/** Appends an audit row; call it inside the transaction that makes the change. */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: entry.actor,
      surface: entry.surface,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      outcome: entry.outcome ?? 'recorded',
    })
    .execute();
}

/** The SQL and parameters of an audit insert, for raw sessions (COPY imports) that cannot use kysely. */
export function auditInsertSql(entry: AuditEntry): { sql: string; params: unknown[] } {
  return {
    sql: `INSERT INTO audit_log (actor, surface, action, subject_type, subject_id, before, after, outcome)
          VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)`,
    params: [
      entry.actor,
      entry.surface,
      entry.action,
      entry.subjectType,
      entry.subjectId,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      entry.outcome ?? 'recorded',
    ],
  };
}
