import type { AttributionSetup, LineAttribution } from '../domain/attribution.js';
import { focusColumns } from '../domain/focus-columns.js';
import type { FocusLine } from '../domain/focus-row.js';
import { sharedFields } from '../domain/shared-fields.js';
import { loadAttributionSetup } from './attribution-setup.js';
import { auditInsertSql, type Surface } from './audit-log.js';
import { inTransaction, type CopyIn, type RawSession, type Store } from './database.js';
import { CostLineCopyEncoder } from './copy-text.js';
import { ensureCostLinePartition } from './cost-line-partitions.js';
import { attributionLockKey } from './reattribution.js';
import { sessionRunner } from './sql-runner.js';

// FOCUS imports on one database take this lock so restated slices are replaced one import at a
// time (two imports of the same slice would otherwise both survive), and so attribution changes
// (rules, contracts, claims) wait for a running import instead of missing its lines.
const focusImportLockKey = attributionLockKey;

/** The COPY column list for the catalog columns a file has (the others stay null and are not sent). */
function copyColumns(catalogIndexes: readonly number[]): string[] {
  return [
    'batch_id',
    'source_line',
    ...catalogIndexes.map((i) => focusColumns[i]!.dbColumn),
    ...lineColumns,
  ];
}

const lineColumns = [
  'extra',
  ...sharedFields,
  ...sharedFields.map((f) => `tag_${f}`),
  'tag_keys',
  ...sharedFields.map((f) => `${f}_source`),
  'contract_id',
  'contract_component',
  'gl_account',
];

/** The import batch a FOCUS file becomes. */
export interface NewFocusBatch {
  readonly fileName: string;
  readonly sha256: string;
  readonly format: string;
  readonly focusVersion: string;
  readonly importedBy: string;
  readonly surface: Surface;
  /** Catalog indexes of the columns the lines can have values in (the file's FOCUS columns). */
  readonly catalogIndexes: readonly number[];
}

/** What one (billing account, billing period) slice of the file held once loaded. */
export interface LoadedSlice {
  readonly billingAccountId: string;
  readonly billingPeriodStart: string;
  readonly rows: number;
  readonly replacedBatchIds: readonly number[];
}

/** Exact sums of what a batch loaded, per billing currency. */
export interface LoadedTotals {
  readonly currency: string;
  readonly billedCost: string;
  readonly effectiveCost: string;
}

/** A FOCUS file being loaded inside one transaction. */
export interface FocusLoad {
  /** The batch id of an earlier import of the same bytes whose lines are all still current. */
  currentBatchWithSha(sha256: string): Promise<{ id: number; importedAt: Date } | undefined>;
  /** Records the batch; must be called once before `add`. */
  begin(batch: NewFocusBatch): Promise<number>;
  /** Aliases, rules, contracts and cost centers as they are inside this import's transaction. */
  attributionSetup(): Promise<AttributionSetup>;
  /**
   * Appends validated lines with their attribution (same order), replacing earlier imports of each
   * slice the first time it is seen.
   */
  add(lines: readonly FocusLine[], attributions: readonly LineAttribution[]): Promise<void>;
  /** Ends the load: slice bookkeeping, counts and the audit row. The transaction commits after `fn` returns. */
  complete(summary: { rows: number; rejected: number; warnings: readonly string[] }): Promise<{
    slices: LoadedSlice[];
    totals: LoadedTotals[];
  }>;
}

/**
 * Runs `fn` with a FOCUS load in one transaction: it commits when `fn` returns and rolls back when
 * it throws, so a file is stored whole or not at all.
 */
export async function withFocusLoad<T>(store: Store, fn: (load: FocusLoad) => Promise<T>): Promise<T> {
  return store.session((s) =>
    inTransaction(s, async () => {
      if (store.kind === 'postgres') await s.query('SELECT pg_advisory_xact_lock($1)', [focusImportLockKey]);
      return fn(new SessionFocusLoad(s));
    }),
  );
}

class SessionFocusLoad implements FocusLoad {
  readonly #s: RawSession;
  #batchId = 0;
  #batch: NewFocusBatch | undefined;
  #copy: CopyIn | undefined;
  readonly #slices = new Map<string, { accountId: string; periodStart: string; rows: number; replaced: number[] }>();
  readonly #partitions = new Set<string>();
  readonly #encoder = new CostLineCopyEncoder();

  constructor(s: RawSession) {
    this.#s = s;
  }

  async currentBatchWithSha(sha256: string) {
    const rows = await this.#s.query<{ id: number; imported_at: Date }>(
      `SELECT b.id, b.imported_at FROM import_batch b
        WHERE b.kind = 'focus' AND b.sha256 = $1
          AND NOT EXISTS (SELECT 1 FROM import_slice sl WHERE sl.batch_id = b.id AND sl.superseded_by IS NOT NULL)
        ORDER BY b.id DESC LIMIT 1`,
      [sha256],
    );
    const row = rows[0];
    return row ? { id: row.id, importedAt: row.imported_at } : undefined;
  }

  async begin(batch: NewFocusBatch): Promise<number> {
    const rows = await this.#s.query<{ id: number }>(
      `INSERT INTO import_batch (kind, file_name, sha256, format, focus_version, rows, imported_by, surface)
       VALUES ('focus', $1, $2, $3, $4, 0, $5, $6) RETURNING id`,
      [batch.fileName, batch.sha256, batch.format, batch.focusVersion, batch.importedBy, batch.surface],
    );
    this.#batchId = rows[0]!.id;
    this.#batch = batch;
    return this.#batchId;
  }

  attributionSetup(): Promise<AttributionSetup> {
    return loadAttributionSetup(sessionRunner(this.#s));
  }

  async add(lines: readonly FocusLine[], attributions: readonly LineAttribution[]): Promise<void> {
    if (attributions.length !== lines.length) throw new Error('FocusLoad.add needs one attribution per line');
    if (this.#batchId === 0) throw new Error('FocusLoad.begin must be called before add');
    // Lines of one slice come in runs: only look the slice up when the run changes.
    let current: { rows: number } | undefined;
    let account: string | undefined;
    let period = NaN;
    for (const line of lines) {
      if (current && line.billingAccountId === account && line.billingPeriodStartMs === period) {
        current.rows++;
        continue;
      }
      const key = `${line.billingAccountId}\u0001${line.billingPeriodStart}`;
      current = this.#slices.get(key);
      if (current) current.rows++;
      else current = await this.#openSlice(key, line);
      account = line.billingAccountId;
      period = line.billingPeriodStartMs;
    }
    const catalogIndexes = this.#batch!.catalogIndexes;
    this.#copy ??= this.#s.copyIn('cost_line', copyColumns(catalogIndexes));
    await this.#copy.write(this.#encoder.encode(this.#batchId, catalogIndexes, lines, attributions));
  }

  async #openSlice(key: string, line: FocusLine): Promise<{ rows: number }> {
    // DDL and DELETE cannot run while a COPY is streaming on this connection: close it first.
    if (this.#copy) {
      await this.#copy.end();
      this.#copy = undefined;
    }
    const period = line.billingPeriodStart;
    if (!this.#partitions.has(period)) {
      await ensureCostLinePartition(this.#s, new Date(line.billingPeriodStartMs));
      this.#partitions.add(period);
    }
    await this.#s.query('DELETE FROM cost_line WHERE billing_period_start = $1 AND billing_account_id = $2', [
      period,
      line.billingAccountId,
    ]);
    const superseded = await this.#s.query<{ batch_id: number }>(
      `UPDATE import_slice SET superseded_by = $3
        WHERE billing_account_id = $1 AND billing_period_start = $2 AND superseded_by IS NULL
        RETURNING batch_id`,
      [line.billingAccountId, period, this.#batchId],
    );
    const slice = {
      // A copy: the line's value is a slice that would keep its whole CSV chunk in memory.
      accountId: line.billingAccountId.split('').join(''),
      periodStart: period,
      rows: 1,
      replaced: superseded.map((r) => r.batch_id),
    };
    this.#slices.set(key, slice);
    return slice;
  }

  async complete(summary: { rows: number; rejected: number; warnings: readonly string[] }) {
    if (this.#copy) {
      await this.#copy.end();
      this.#copy = undefined;
    }
    const slices = [...this.#slices.values()].sort(
      (a, b) => a.periodStart.localeCompare(b.periodStart) || a.accountId.localeCompare(b.accountId),
    );
    for (const sl of slices) {
      await this.#s.query(
        `INSERT INTO import_slice (batch_id, billing_account_id, billing_period_start, rows) VALUES ($1, $2, $3, $4)`,
        [this.#batchId, sl.accountId, sl.periodStart, sl.rows],
      );
    }
    const periods = [...new Set(slices.map((sl) => sl.periodStart))].sort();
    await this.#s.query(
      `UPDATE import_batch SET rows = $2, rejected_rows = $3, billing_periods = $4, warnings = $5::jsonb WHERE id = $1`,
      [this.#batchId, summary.rows, summary.rejected, periods, JSON.stringify(summary.warnings)],
    );
    const totals = periods.length
      ? await this.#s.query<{ currency: string; billed: string; effective: string }>(
          `SELECT billing_currency AS currency, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
             FROM cost_line WHERE batch_id = $1 AND billing_period_start = ANY($2::timestamptz[])
            GROUP BY billing_currency ORDER BY billing_currency`,
          [this.#batchId, periods],
        )
      : [];
    const loaded: LoadedSlice[] = slices.map((sl) => ({
      billingAccountId: sl.accountId,
      billingPeriodStart: sl.periodStart,
      rows: sl.rows,
      replacedBatchIds: sl.replaced,
    }));
    const batch = this.#batch!;
    const audit = auditInsertSql({
      actor: batch.importedBy,
      surface: batch.surface,
      action: 'import.focus',
      subjectType: 'import_batch',
      subjectId: String(this.#batchId),
      after: {
        file: batch.fileName,
        sha256: batch.sha256,
        focusVersion: batch.focusVersion,
        rows: summary.rows,
        rejected: summary.rejected,
        slices: loaded,
      },
    });
    await this.#s.query(audit.sql, audit.params);
    return {
      slices: loaded,
      totals: totals.map((t) => ({ currency: t.currency, billedCost: t.billed, effectiveCost: t.effective })),
    };
  }
}
