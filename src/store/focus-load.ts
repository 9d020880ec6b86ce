import { Decimal } from 'decimal.js';
import type { AttributionSetup, LineAttribution } from '../domain/attribution.js';
import { focusColumns } from '../domain/focus-columns.js';
import type { FocusLine } from '../domain/focus-row.js';
import { sharedFields } from '../domain/shared-fields.js';
import { loadAttributionSetup } from './attribution-setup.js';
import { copyString } from '../domain/cell-values.js';
import { auditInsertSql, type Surface } from './audit-log.js';
import { inTransaction, type CopyIn, type RawSession, type Store } from './database.js';
import { CostLineCopyEncoder } from './copy-text.js';
import { ensureCostLinePartition } from './cost-line-partitions.js';
import { addToRollupSql, dropRollupSlice, rollupChangeColumns, withHashedRollupGrouping } from './cost-rollup.js';
import { dropProviderFreshnessSlice, ProviderFreshnessTally, type SliceFreshness } from './import-provider-freshness.js';
import { attributionLockKey } from './reattribution.js';
import { sessionRunner } from './sql-runner.js';

// FOCUS imports on one database take this lock so restated slices are replaced one delivery at a
// time (two deliveries of the same slice would otherwise both survive), and so attribution changes
// (rules, contracts, claims) wait for a running import instead of missing its lines.
const focusImportLockKey = attributionLockKey;

/** How a delivery treats the slices it touches: replaced by its rows, or its rows added to them. */
export type DeliveryMode = 'replace' | 'append';

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

/** A delivery about to be loaded. */
export interface NewFocusDelivery {
  readonly mode: DeliveryMode;
  /** Identifies the same delivery imported again (mode, encoding and the files' sha256). */
  readonly fingerprint: string;
  /** The provider manifest that selected the files, as JSON-able data; null for none. */
  readonly manifest: unknown;
  readonly importedBy: string;
  readonly surface: Surface;
}

/** The import batch one file of a delivery becomes. */
export interface NewFocusBatch {
  readonly fileName: string;
  readonly sha256: string;
  readonly format: string;
  readonly focusVersion: string;
  /** Catalog indexes of the columns the lines can have values in (the file's FOCUS columns). */
  readonly catalogIndexes: readonly number[];
}

/** Exact sums per billing currency. */
export interface LoadedTotals {
  readonly currency: string;
  readonly billedCost: string;
  readonly effectiveCost: string;
}

/** A slice's stored rows and totals at one moment. */
export interface SliceState {
  readonly rows: number;
  readonly totals: readonly LoadedTotals[];
}

/** What a delivery did to one (billing account, billing period) slice. */
export interface DeliveredSlice {
  readonly billingAccountId: string;
  readonly billingPeriodStart: string;
  readonly mode: DeliveryMode;
  /** Rows the delivery loaded into the slice. */
  readonly rows: number;
  readonly before: SliceState;
  readonly after: SliceState;
  /** Deliveries whose rows of this slice were replaced (mode replace). */
  readonly replacedDeliveryIds: readonly number[];
}

/** An earlier file whose rows are still stored. */
export interface StoredFile {
  readonly sha256: string;
  readonly fileName: string;
  readonly deliveryId: number;
  readonly importedAt: Date;
}

/** A FOCUS delivery being loaded inside one transaction. */
export interface FocusDeliveryLoad {
  /** An earlier replace delivery with this fingerprint whose slices still hold exactly its rows. */
  unchangedDelivery(fingerprint: string): Promise<{ id: number; importedAt: Date } | undefined>;
  /** Earlier files with any of these sha256 whose rows are still stored. */
  storedFiles(sha256s: readonly string[]): Promise<StoredFile[]>;
  /** Aliases, rules, contracts and cost centers as they are inside this import's transaction. */
  attributionSetup(): Promise<AttributionSetup>;
  /** Records the delivery; must be called once before the first file. */
  begin(delivery: NewFocusDelivery): Promise<number>;
  /** Records one file of the delivery; lines added next belong to it. */
  beginFile(batch: NewFocusBatch): Promise<number>;
  /**
   * Appends validated lines of the current file with their attribution (same order). The first time
   * the delivery touches a slice, a replace delivery deletes the slice's stored lines.
   */
  add(lines: readonly FocusLine[], attributions: readonly LineAttribution[]): Promise<void>;
  /** Ends the current file: its counts and slices. */
  endFile(summary: { rows: number; rejected: number; warnings: readonly string[] }): Promise<void>;
  /** Ends the delivery: slice states before and after, counts and the audit row. The transaction commits after `fn` returns. */
  complete(summary: { rows: number; rejected: number; files: readonly unknown[] }): Promise<{
    slices: DeliveredSlice[];
    totals: LoadedTotals[];
  }>;
}

/**
 * Runs `fn` with a FOCUS delivery load in one transaction: it commits when `fn` returns and rolls
 * back when it throws, so a delivery is stored whole or not at all.
 */
export async function withFocusDelivery<T>(store: Store, fn: (load: FocusDeliveryLoad) => Promise<T>): Promise<T> {
  return store.session((s) =>
    inTransaction(s, async () => {
      if (store.kind === 'postgres') await s.query('SELECT pg_advisory_xact_lock($1)', [focusImportLockKey]);
      return fn(new SessionDeliveryLoad(s));
    }),
  );
}

interface SliceEntry {
  readonly accountId: string;
  readonly periodStart: string;
  readonly before: SliceState;
  readonly replacedDeliveryIds: number[];
  rows: number;
}

class SessionDeliveryLoad implements FocusDeliveryLoad {
  readonly #s: RawSession;
  #deliveryId = 0;
  #delivery: NewFocusDelivery | undefined;
  #batchId = 0;
  #batch: NewFocusBatch | undefined;
  readonly #batchIds: number[] = [];
  #copy: CopyIn | undefined;
  readonly #slices = new Map<string, SliceEntry>();
  /** Rows of the current file per slice key. */
  #fileSlices = new Map<string, number>();
  readonly #partitions = new Set<string>();
  readonly #encoder = new CostLineCopyEncoder();
  readonly #freshness = new ProviderFreshnessTally();

  constructor(s: RawSession) {
    this.#s = s;
  }

  async unchangedDelivery(fingerprint: string) {
    // Unchanged: its slices are all still there, none was restated since, and no other delivery added rows to them.
    const rows = await this.#s.query<{ id: number; imported_at: Date }>(
      `SELECT d.id, d.imported_at FROM import_delivery d
        WHERE d.fingerprint = $1 AND d.mode = 'replace'
          AND NOT EXISTS (
            SELECT 1 FROM import_batch b JOIN import_slice sl ON sl.batch_id = b.id
             WHERE b.delivery_id = d.id AND sl.superseded_by IS NOT NULL)
          AND NOT EXISTS (
            SELECT 1 FROM import_batch b
              JOIN import_slice sl ON sl.batch_id = b.id
              JOIN import_slice other ON other.billing_account_id = sl.billing_account_id
                                     AND other.billing_period_start = sl.billing_period_start
                                     AND other.superseded_by IS NULL
              JOIN import_batch ob ON ob.id = other.batch_id
             WHERE b.delivery_id = d.id AND ob.delivery_id IS DISTINCT FROM d.id)
          AND NOT EXISTS (
            SELECT 1 FROM import_delivery_slice ds
             WHERE ds.delivery_id = d.id
               AND NOT EXISTS (
                 SELECT 1 FROM import_slice sl JOIN import_batch b ON b.id = sl.batch_id
                  WHERE b.delivery_id = d.id AND sl.superseded_by IS NULL
                    AND sl.billing_account_id = ds.billing_account_id AND sl.billing_period_start = ds.billing_period_start))
        ORDER BY d.id DESC LIMIT 1`,
      [fingerprint],
    );
    const row = rows[0];
    return row ? { id: Number(row.id), importedAt: row.imported_at } : undefined;
  }

  async storedFiles(sha256s: readonly string[]): Promise<StoredFile[]> {
    if (sha256s.length === 0) return [];
    const rows = await this.#s.query<{ sha256: string; file_name: string; delivery_id: number; imported_at: Date }>(
      `SELECT b.sha256, b.file_name, b.delivery_id, b.imported_at FROM import_batch b
        WHERE b.kind = 'focus' AND b.sha256 = ANY($1::text[])
          AND EXISTS (SELECT 1 FROM import_slice sl WHERE sl.batch_id = b.id AND sl.superseded_by IS NULL)
        ORDER BY b.id`,
      [sha256s],
    );
    return rows.map((r) => ({ sha256: r.sha256, fileName: r.file_name, deliveryId: Number(r.delivery_id), importedAt: r.imported_at }));
  }

  attributionSetup(): Promise<AttributionSetup> {
    return loadAttributionSetup(sessionRunner(this.#s));
  }

  async begin(delivery: NewFocusDelivery): Promise<number> {
    const rows = await this.#s.query<{ id: number }>(
      `INSERT INTO import_delivery (mode, fingerprint, manifest, files, rows, imported_by, surface)
       VALUES ($1, $2, $3::jsonb, 0, 0, $4, $5) RETURNING id`,
      [delivery.mode, delivery.fingerprint, delivery.manifest === null ? null : JSON.stringify(delivery.manifest), delivery.importedBy, delivery.surface],
    );
    this.#deliveryId = Number(rows[0]!.id);
    this.#delivery = delivery;
    return this.#deliveryId;
  }

  async beginFile(batch: NewFocusBatch): Promise<number> {
    if (this.#deliveryId === 0) throw new Error('FocusDeliveryLoad.begin must be called before beginFile');
    await this.#endCopy();
    const delivery = this.#delivery!;
    const rows = await this.#s.query<{ id: number }>(
      `INSERT INTO import_batch (kind, file_name, sha256, format, focus_version, rows, imported_by, surface, delivery_id)
       VALUES ('focus', $1, $2, $3, $4, 0, $5, $6, $7) RETURNING id`,
      [batch.fileName, batch.sha256, batch.format, batch.focusVersion, delivery.importedBy, delivery.surface, this.#deliveryId],
    );
    this.#batchId = Number(rows[0]!.id);
    this.#batchIds.push(this.#batchId);
    this.#batch = batch;
    this.#fileSlices = new Map();
    return this.#batchId;
  }

  async add(lines: readonly FocusLine[], attributions: readonly LineAttribution[]): Promise<void> {
    if (attributions.length !== lines.length) throw new Error('FocusDeliveryLoad.add needs one attribution per line');
    if (this.#batchId === 0) throw new Error('FocusDeliveryLoad.beginFile must be called before add');
    if (lines.length === 0) return;
    // Lines of one slice come in runs: only look the slice up when the run changes.
    let key = '';
    let count = 0;
    let account: string | undefined;
    let period = NaN;
    let freshness: SliceFreshness | undefined;
    const flush = () => {
      if (count === 0) return;
      this.#slices.get(key)!.rows += count;
      this.#fileSlices.set(key, (this.#fileSlices.get(key) ?? 0) + count);
      count = 0;
    };
    for (const line of lines) {
      if (count > 0 && line.billingAccountId === account && line.billingPeriodStartMs === period) {
        count++;
        freshness!.add(line);
        continue;
      }
      flush();
      key = `${line.billingAccountId}\u0001${line.billingPeriodStart}`;
      if (!this.#slices.has(key)) await this.#openSlice(key, line);
      const slice = this.#slices.get(key)!;
      freshness = this.#freshness.slice(this.#batchId, slice.accountId, slice.periodStart);
      freshness.add(line);
      account = line.billingAccountId;
      period = line.billingPeriodStartMs;
      count = 1;
    }
    flush();
    const catalogIndexes = this.#batch!.catalogIndexes;
    this.#copy ??= this.#s.copyIn('cost_line', copyColumns(catalogIndexes));
    await this.#copy.write(this.#encoder.encode(this.#batchId, catalogIndexes, lines, attributions));
  }

  async #endCopy(): Promise<void> {
    if (this.#copy) {
      const copy = this.#copy;
      this.#copy = undefined;
      await copy.end();
    }
  }

  async #openSlice(key: string, line: FocusLine): Promise<void> {
    // DDL and DELETE cannot run while a COPY is streaming on this connection: close it first.
    await this.#endCopy();
    const period = line.billingPeriodStart;
    if (!this.#partitions.has(period)) {
      await ensureCostLinePartition(this.#s, new Date(line.billingPeriodStartMs));
      this.#partitions.add(period);
    }
    const params = [period, line.billingAccountId];
    let before: SliceState;
    let replacedDeliveryIds: number[] = [];
    if (this.#delivery!.mode === 'replace') {
      before = sliceState(
        await this.#s.query<TotalsRow>(
          `WITH gone AS (
             DELETE FROM cost_line WHERE billing_period_start = $1 AND billing_account_id = $2
             RETURNING billing_currency, billed_cost, effective_cost)
           SELECT billing_currency AS currency, count(*)::int AS n, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
             FROM gone GROUP BY billing_currency ORDER BY billing_currency`,
          params,
        ),
      );
      const superseded = await this.#s.query<{ delivery_id: number | null }>(
        `UPDATE import_slice sl SET superseded_by = $3
           FROM import_batch b
          WHERE b.id = sl.batch_id AND sl.billing_account_id = $2 AND sl.billing_period_start = $1 AND sl.superseded_by IS NULL
          RETURNING b.delivery_id`,
        [...params, this.#batchId],
      );
      await dropRollupSlice(sessionRunner(this.#s), period, line.billingAccountId);
      await dropProviderFreshnessSlice(sessionRunner(this.#s), period, line.billingAccountId);
      replacedDeliveryIds = [...new Set(superseded.map((r) => Number(r.delivery_id)).filter((id) => id > 0))].sort((a, b) => a - b);
    } else {
      before = sliceState(
        await this.#s.query<TotalsRow>(
          `SELECT billing_currency AS currency, count(*)::int AS n, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
             FROM cost_line WHERE billing_period_start = $1 AND billing_account_id = $2
            GROUP BY billing_currency ORDER BY billing_currency`,
          params,
        ),
      );
    }
    this.#slices.set(key, {
      // A copy: the line's value is a slice that would keep its whole CSV chunk in memory.
      accountId: copyString(line.billingAccountId),
      periodStart: period,
      before,
      replacedDeliveryIds,
      rows: 0,
    });
  }

  async endFile(summary: { rows: number; rejected: number; warnings: readonly string[] }): Promise<void> {
    await this.#endCopy();
    const periods = new Set<string>();
    for (const [key, rows] of this.#fileSlices) {
      const sl = this.#slices.get(key)!;
      periods.add(sl.periodStart);
      await this.#s.query(
        `INSERT INTO import_slice (batch_id, billing_account_id, billing_period_start, rows) VALUES ($1, $2, $3, $4)`,
        [this.#batchId, sl.accountId, sl.periodStart, rows],
      );
    }
    await this.#s.query(
      `UPDATE import_batch SET rows = $2, rejected_rows = $3, billing_periods = $4, warnings = $5::jsonb WHERE id = $1`,
      [this.#batchId, summary.rows, summary.rejected, [...periods].sort(), JSON.stringify(summary.warnings)],
    );
    this.#fileSlices = new Map();
  }

  async complete(summary: { rows: number; rejected: number; files: readonly unknown[] }) {
    await this.#endCopy();
    const entries = [...this.#slices.values()].sort(
      (a, b) => a.periodStart.localeCompare(b.periodStart) || a.accountId.localeCompare(b.accountId),
    );
    await this.#addToRollup(entries);
    await this.#freshness.store(sessionRunner(this.#s));
    const after = await this.#afterStates(entries);
    const mode = this.#delivery!.mode;
    const slices: DeliveredSlice[] = entries.map((sl, k) => ({
      billingAccountId: sl.accountId,
      billingPeriodStart: sl.periodStart,
      mode,
      rows: sl.rows,
      before: sl.before,
      after: after[k]!.state,
      replacedDeliveryIds: sl.replacedDeliveryIds,
    }));
    for (const sl of slices) {
      await this.#s.query(
        `INSERT INTO import_delivery_slice
           (delivery_id, billing_account_id, billing_period_start, mode, rows_before, rows_after, totals_before, totals_after)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)`,
        [this.#deliveryId, sl.billingAccountId, sl.billingPeriodStart, mode, sl.before.rows, sl.after.rows, JSON.stringify(sl.before.totals), JSON.stringify(sl.after.totals)],
      );
    }
    await this.#s.query(`UPDATE import_delivery SET files = $2, rows = $3, rejected_rows = $4 WHERE id = $1`, [
      this.#deliveryId,
      this.#batchIds.length,
      summary.rows,
      summary.rejected,
    ]);
    // What this delivery itself loaded, per currency (for append: not what was there before).
    const loaded = new Map<string, { billed: NumericSum; effective: NumericSum }>();
    for (const a of after) {
      for (const t of a.loaded) {
        const sum = loaded.get(t.currency) ?? { billed: new NumericSum(), effective: new NumericSum() };
        sum.billed.add(t.billedCost);
        sum.effective.add(t.effectiveCost);
        loaded.set(t.currency, sum);
      }
    }
    const totals: LoadedTotals[] = [...loaded.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, s]) => ({ currency, billedCost: s.billed.text(), effectiveCost: s.effective.text() }));
    const delivery = this.#delivery!;
    const audit = auditInsertSql({
      actor: delivery.importedBy,
      surface: delivery.surface,
      action: 'import.focus',
      subjectType: 'import_delivery',
      subjectId: String(this.#deliveryId),
      after: {
        mode,
        manifest: delivery.manifest,
        files: summary.files,
        rows: summary.rows,
        rejected: summary.rejected,
        slices,
      },
    });
    await this.#s.query(audit.sql, audit.params);
    return { slices, totals };
  }

  /** Adds this delivery's lines to the daily rollup (a replaced slice's rollup rows went with its lines). */
  async #addToRollup(entries: readonly SliceEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const runner = sessionRunner(this.#s);
    await withHashedRollupGrouping(runner, () => runner.rows(
      addToRollupSql(
        `SELECT ${rollupChangeColumns('c', 1)}
           FROM unnest($1::text[], $2::timestamptz[]) AS s(account, period)
           JOIN cost_line c ON c.billing_account_id = s.account AND c.billing_period_start = s.period
          WHERE c.billing_period_start = ANY($2::timestamptz[]) AND c.batch_id = ANY($3::bigint[])`,
      ),
      [entries.map((e) => e.accountId), entries.map((e) => e.periodStart), this.#batchIds],
    ));
  }

  /** Each slice's rows and totals now, and the part of them this delivery's files loaded. */
  async #afterStates(entries: readonly SliceEntry[]): Promise<{ state: SliceState; loaded: LoadedTotals[] }[]> {
    const out = entries.map(() => ({ rows: [] as TotalsRow[], loaded: [] as LoadedTotals[] }));
    if (entries.length > 0 && this.#delivery!.mode === 'replace') {
      // A replaced slice holds this delivery's lines only, and the rollup (just added to) holds
      // their exact sums in far fewer rows than the lines: a sum of sums keeps the largest scale,
      // as the sum of the lines would.
      const rows = await this.#s.query<TotalsRow & { k: number }>(
        `SELECT s.k::int AS k, r.billing_currency AS currency, sum(r.line_count)::int AS n,
                sum(r.billed_cost)::text AS billed, sum(r.effective_cost)::text AS effective
           FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS s(account, period, k)
           JOIN cost_rollup r ON r.billing_account_id = s.account AND r.billing_period_start = s.period
          GROUP BY s.k, r.billing_currency
          ORDER BY s.k, r.billing_currency`,
        [entries.map((e) => e.accountId), entries.map((e) => e.periodStart)],
      );
      for (const r of rows) {
        const o = out[r.k - 1]!;
        o.rows.push(r);
        o.loaded.push({ currency: r.currency, billedCost: r.billed, effectiveCost: r.effective });
      }
    } else if (entries.length > 0) {
      const rows = await this.#s.query<TotalsRow & { k: number; loaded_billed: string; loaded_effective: string; loaded_n: number }>(
        `SELECT s.k::int AS k, c.billing_currency AS currency, count(*)::int AS n,
                sum(c.billed_cost)::text AS billed, sum(c.effective_cost)::text AS effective,
                count(*) FILTER (WHERE c.batch_id = ANY($3::bigint[]))::int AS loaded_n,
                COALESCE(sum(c.billed_cost) FILTER (WHERE c.batch_id = ANY($3::bigint[])), 0)::text AS loaded_billed,
                COALESCE(sum(c.effective_cost) FILTER (WHERE c.batch_id = ANY($3::bigint[])), 0)::text AS loaded_effective
           FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS s(account, period, k)
           JOIN cost_line c ON c.billing_account_id = s.account AND c.billing_period_start = s.period
          WHERE c.billing_period_start = ANY($2::timestamptz[])
          GROUP BY s.k, c.billing_currency
          ORDER BY s.k, c.billing_currency`,
        [entries.map((e) => e.accountId), entries.map((e) => e.periodStart), this.#batchIds],
      );
      for (const r of rows) {
        const o = out[r.k - 1]!;
        o.rows.push(r);
        if (r.loaded_n > 0) o.loaded.push({ currency: r.currency, billedCost: r.loaded_billed, effectiveCost: r.loaded_effective });
      }
    }
    return out.map((o) => ({ state: sliceState(o.rows), loaded: o.loaded }));
  }
}

interface TotalsRow {
  currency: string;
  n: number;
  billed: string;
  effective: string;
}

/** Adds numeric texts exactly and writes the sum with the largest scale of its terms, as SQL `sum(numeric)` does. */
class NumericSum {
  #sum = new Decimal(0);
  #scale = 0;

  add(text: string): void {
    this.#sum = this.#sum.plus(text);
    const dot = text.indexOf('.');
    if (dot >= 0) this.#scale = Math.max(this.#scale, text.length - dot - 1);
  }

  text(): string {
    return this.#sum.toFixed(this.#scale);
  }
}

function sliceState(rows: readonly TotalsRow[]): SliceState {
  return {
    rows: rows.reduce((n, r) => n + r.n, 0),
    totals: rows.map((r) => ({ currency: r.currency, billedCost: r.billed, effectiveCost: r.effective })),
  };
}
