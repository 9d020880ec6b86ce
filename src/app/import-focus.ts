import { Attributor, type LineAttribution, type LineFacts } from '../domain/attribution.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { focusIndexOf } from '../domain/focus-columns.js';
import { normalizeFocusRow, planFocusHeader, type CellError, type FocusHeaderPlan, type FocusLine } from '../domain/focus-row.js';
import { TagResolver } from '../domain/shared-fields.js';
import { readCsvRecords, type RecordBatch } from '../ingest/csv-records.js';
import { readParquetRecords } from '../ingest/parquet-records.js';
import { detectFileFormat, rejectedFilePath, sha256OfFile, type DataFileFormat } from '../ingest/file-format.js';
import type { Store } from '../store/database.js';
import type { Surface } from '../store/audit-log.js';
import { withFocusLoad, type LoadedSlice, type LoadedTotals } from '../store/focus-load.js';
import { importRejected, shownErrorLimit } from './import-errors.js';
import { RejectedRowsFile } from '../output/rejected-rows-file.js';

/** What to import and on whose behalf. */
export interface ImportFocusRequest {
  readonly path: string;
  readonly actor: string;
  readonly surface: Surface;
  /** Store the valid rows and write the rejected ones to `<file>.rejected.csv` instead of failing. */
  readonly skipInvalid?: boolean;
  /** Replace a `<file>.rejected.csv` that costbridge did not write. */
  readonly force?: boolean;
}

/** The outcome of importing one FOCUS file. */
export interface FocusImportResult {
  readonly file: string;
  readonly sha256: string;
  readonly format: DataFileFormat;
  readonly focusVersion: string | null;
  readonly batchId: number | null;
  readonly rows: number;
  readonly rejected: number;
  readonly skipped: boolean;
  /** Why nothing changed, when `skipped`. */
  readonly skippedReason?: string;
  readonly slices: readonly LoadedSlice[];
  readonly totals: readonly LoadedTotals[];
  readonly warnings: readonly string[];
  readonly rejectedFile?: string;
}

/**
 * Imports one FOCUS export (CSV, CSV.gz or Parquet) as one transaction. Slices of the same billing
 * account and billing period imported earlier are replaced (exports are restated); the same bytes
 * imported again change nothing. Any invalid row fails the whole file unless `skipInvalid`.
 */
export async function importFocusFile(store: Store, request: ImportFocusRequest): Promise<FocusImportResult> {
  const { path } = request;
  const format = await detectFileFormat(path);
  const sha256 = await sha256OfFile(path);
  // Shared fields are decided by the Attributor below (which also keeps the winning tag keys), so
  // the row normaliser gets an empty alias table and resolves nothing.
  const noTags = new TagResolver([]);
  const unit = format === 'parquet' ? 'row' : 'line';

  return withFocusLoad(store, async (load) => {
    const earlier = await load.currentBatchWithSha(sha256);
    if (earlier) {
      return {
        file: path, sha256, format, focusVersion: null, batchId: earlier.id, rows: 0, rejected: 0, skipped: true,
        skippedReason: `already imported as batch ${earlier.id} on ${earlier.importedAt.toISOString()}; nothing changed`,
        slices: [], totals: [], warnings: [],
      };
    }
    // Loaded inside the import's transaction (and lock), once: rules and contracts are small.
    const attributor = new Attributor(await load.attributionSetup());
    const records = format === 'parquet' ? readParquetRecords(path) : readCsvRecords(path);
    let plan: FocusHeaderPlan | undefined;
    let rows = 0;
    let rejected = 0;
    let errorCount = 0;
    const shownErrors: CellError[] = [];
    let rejects: RejectedRowsFile | undefined;
    try {
      for await (const batch of records) {
        let start = 0;
        if (!plan) {
          if (batch.rows.length === 0) continue;
          const planned = planFocusHeader(batch.rows[0]!);
          if (!planned.ok) throw importRejected(path, planned.errors, planned.errors.length, unit);
          plan = planned.plan;
          await load.begin({
            fileName: path, sha256, format, focusVersion: plan.version, importedBy: request.actor, surface: request.surface,
            catalogIndexes: storedCatalogIndexes(plan),
          });
          start = 1;
        }
        const valid: FocusLine[] = [];
        const attributions: LineAttribution[] = [];
        const problems = problemsByLine(batch);
        for (let i = start; i < batch.rows.length; i++) {
          const line = batch.lines[i]!;
          const problem = problems?.get(line);
          const result = problem
            ? { ok: false as const, errors: [{ line, column: '(row)', reason: problem }] }
            : normalizeFocusRow(plan, batch.rows[i]!, line, noTags);
          if (result.ok) {
            valid.push(result.line);
            attributions.push(attributor.attribute(lineFacts(result.line)));
            continue;
          }
          rejected++;
          errorCount += result.errors.length;
          for (const e of result.errors) if (shownErrors.length < shownErrorLimit) shownErrors.push(e);
          if (request.skipInvalid) {
            rejects ??= await RejectedRowsFile.open(rejectedFilePath(path), plan.names, { force: request.force ?? false });
            await rejects.add(line, result.errors.map((e) => `${e.column}: ${e.reason}`).join('; '), batch.rows[i]!);
          }
        }
        rows += valid.length;
        // Once a strict import has failed there is no point loading more; keep reading only to count errors.
        if (rejected === 0 || request.skipInvalid) await load.add(valid, attributions);
      }
      if (!plan) throw new CostbridgeError('INPUT_INVALID', `${path}: the file is empty (no header row)`);
      if (rejected > 0 && !request.skipInvalid) {
        throw importRejected(path, shownErrors, errorCount, unit);
      }
      const warnings = [...plan.warnings];
      if (rejected > 0) warnings.push(`${rejected} invalid row(s) skipped, written to ${rejects!.path}`);
      const { slices, totals } = await load.complete({ rows, rejected, warnings });
      return {
        file: path, sha256, format, focusVersion: plan.version, batchId: null, rows, rejected, skipped: false,
        slices, totals, warnings, ...(rejects ? { rejectedFile: rejects.path } : {}),
      };
    } finally {
      await rejects?.close();
    }
  });
}

const F = {
  providerName: focusIndexOf('ProviderName'),
  publisherName: focusIndexOf('PublisherName'),
  invoiceIssuerName: focusIndexOf('InvoiceIssuerName'),
  billingAccountId: focusIndexOf('BillingAccountId'),
  subAccountId: focusIndexOf('SubAccountId'),
  serviceName: focusIndexOf('ServiceName'),
  serviceCategory: focusIndexOf('ServiceCategory'),
  serviceSubcategory: focusIndexOf('ServiceSubcategory'),
  skuId: focusIndexOf('SkuId'),
  regionId: focusIndexOf('RegionId'),
  resourceId: focusIndexOf('ResourceId'),
  chargeDescription: focusIndexOf('ChargeDescription'),
  pricingUnit: focusIndexOf('PricingUnit'),
};

/** What attribution reads from a validated line (Tags was checked to be a JSON object). */
function lineFacts(line: FocusLine): LineFacts {
  const v = line.values;
  return {
    billingPeriodStartMs: line.billingPeriodStartMs,
    chargePeriodStartMs: line.chargePeriodStartMs,
    providerName: v[F.providerName] ?? null,
    publisherName: v[F.publisherName] ?? null,
    invoiceIssuerName: v[F.invoiceIssuerName] ?? null,
    billingAccountId: v[F.billingAccountId] ?? null,
    subAccountId: v[F.subAccountId] ?? null,
    serviceName: v[F.serviceName] ?? null,
    serviceCategory: v[F.serviceCategory] ?? null,
    serviceSubcategory: v[F.serviceSubcategory] ?? null,
    skuId: v[F.skuId] ?? null,
    regionId: v[F.regionId] ?? null,
    resourceId: v[F.resourceId] ?? null,
    chargeDescription: v[F.chargeDescription] ?? null,
    pricingUnit: v[F.pricingUnit] ?? null,
    tags: line.tags,
  };
}

/** The catalog columns a line of this file can hold a value in: its FOCUS columns, and ProviderName (filled from ServiceProviderName). */
function storedCatalogIndexes(plan: FocusHeaderPlan): number[] {
  const present = new Set(plan.catalogIndex.filter((i) => i >= 0));
  present.add(F.providerName);
  return [...present].sort((a, b) => a - b);
}

function problemsByLine(batch: RecordBatch): Map<number, string> | undefined {
  if (batch.problems.length === 0) return undefined;
  return new Map(batch.problems.map((p) => [p.line, `malformed CSV: ${p.reason}`]));
}
