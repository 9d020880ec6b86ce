import { createHash } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { Attributor, type LineAttribution, type LineFacts } from '../domain/attribution.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { focusIndexOf } from '../domain/focus-columns.js';
import type { CellError, FocusHeaderPlan, FocusLine } from '../domain/focus-row.js';
import { detectFileFormat, rejectedFilePath, sha256OfFile, type DataFileFormat } from '../ingest/file-format.js';
import { FocusFileReader } from '../ingest/focus-file-reader.js';
import { planFocusDeliveries, type DeliveryManifest, type PlannedDelivery } from '../ingest/focus-delivery-plan.js';
import type { TextEncoding } from '../ingest/text-decoding.js';
import type { Store } from '../store/database.js';
import { closedMonths } from '../store/period-closes.js';
import { describeClosure, firstOpenMonthFrom } from '../domain/period-close.js';
import type { Surface } from '../store/audit-log.js';
import {
  withFocusDelivery,
  type DeliveredSlice,
  type DeliveryMode,
  type FocusDeliveryLoad,
  type LoadedTotals,
} from '../store/focus-load.js';
import { importRejected, shownErrorLimit } from './import-errors.js';
import { RejectedRowsFile } from '../output/rejected-rows-file.js';

export type { DeliveredSlice, DeliveryMode, LoadedTotals } from '../store/focus-load.js';
export type { DeliveryManifest } from '../ingest/focus-delivery-plan.js';

/** How to import, and on whose behalf. */
export interface ImportFocusOptions {
  readonly actor: string;
  readonly surface: Surface;
  /** `replace` (default): each touched slice is replaced by the delivery's rows. `append`: rows are added. */
  readonly mode?: DeliveryMode;
  /** The text encoding of CSV files (UTF-8 when absent). */
  readonly encoding?: TextEncoding;
  /** Store the valid rows and write the rejected ones to `<file>.rejected.csv` instead of failing. */
  readonly skipInvalid?: boolean;
  /** Replace a `<file>.rejected.csv` that costbridge did not write. */
  readonly force?: boolean;
}

/** What to import: files and folders, as `import focus PATH...` takes them. */
export interface ImportFocusRequest extends ImportFocusOptions {
  readonly paths: readonly string[];
}

/** One file of a delivery as it was read. */
export interface ImportedFile {
  readonly file: string;
  readonly sha256: string;
  readonly format: DataFileFormat;
  /** Null when the delivery stopped before the file was read. */
  readonly focusVersion: string | null;
  readonly rows: number;
  readonly rejected: number;
  readonly rejectedFile?: string;
  readonly warnings: readonly string[];
}

/** What became of one delivery. */
export interface FocusDeliveryResult {
  /** `unchanged`: the same delivery is already stored; `refused`: nothing was stored (see `error`). */
  readonly status: 'imported' | 'unchanged' | 'refused';
  /** The delivery id: the new one, or the earlier one when unchanged; null when refused. */
  readonly deliveryId: number | null;
  readonly mode: DeliveryMode;
  readonly manifest: DeliveryManifest | null;
  readonly files: readonly ImportedFile[];
  readonly rows: number;
  readonly rejected: number;
  readonly slices: readonly DeliveredSlice[];
  /** Exact sums of the rows this delivery loaded, per billing currency. */
  readonly totals: readonly LoadedTotals[];
  readonly warnings: readonly string[];
  /** Why nothing changed, when unchanged or refused. */
  readonly reason?: string;
  readonly error?: CostbridgeError;
}

/** All deliveries of one `import focus` run, and what the planning ignored. */
export interface FocusImportResult {
  readonly deliveries: readonly FocusDeliveryResult[];
  readonly warnings: readonly string[];
}

/**
 * Imports FOCUS exports (CSV, CSV.gz or Parquet) as deliveries. All files named or found in
 * folders form one delivery, except that provider manifests (AWS Data Exports, Azure Cost
 * Management) make each listed set of files its own delivery. A delivery is one transaction: in
 * `replace` mode every (billing account, billing period) slice it touches is replaced once by the
 * union of its rows; in `append` mode its rows are added, and a file already stored is refused. The
 * same delivery imported again changes nothing. A delivery that fails stores nothing; the others
 * still import.
 */
export async function importFocus(store: Store, request: ImportFocusRequest): Promise<FocusImportResult> {
  const plan = await planFocusDeliveries(request.paths);
  const deliveries: FocusDeliveryResult[] = [];
  for (const planned of plan.deliveries) {
    const result = await importPlannedDelivery(store, planned, request);
    deliveries.push(result.status === 'imported' ? await withClosedMonthNotes(store, result) : result);
  }
  return { deliveries, warnings: [...plan.warnings] };
}

/**
 * A delivery into a closed month does not move the closed figures; say so, so nobody expects the
 * closed report to change and everybody knows where the difference went.
 */
async function withClosedMonthNotes(store: Store, result: FocusDeliveryResult): Promise<FocusDeliveryResult> {
  const closed = await closedMonths(store.db);
  if (closed.size === 0) return result;
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const s of result.slices) {
    const key = s.billingPeriodStart.slice(0, 7);
    const closure = closed.get(key);
    if (!closure || seen.has(key)) continue;
    seen.add(key);
    notes.push(
      `${key} is closed (${describeClosure(closure)}): its reports keep the figures as closed; ` +
        `what this delivery changed there is a post-close adjustment, booked in ${firstOpenMonthFrom(key, closed)}'s chargeback ` +
        `(see \`costbridge showback --period ${key}\`)`,
    );
  }
  return notes.length ? { ...result, warnings: [...result.warnings, ...notes] } : result;
}

/**
 * Imports one file as its own delivery and returns its result; throws the delivery's error when it
 * was refused. For the demo loader, benchmarks and tests.
 */
export async function importFocusFile(
  store: Store,
  request: ImportFocusOptions & { readonly path: string },
): Promise<FocusDeliveryResult> {
  const result = await importPlannedDelivery(store, { manifest: null, files: [{ path: request.path }] }, request);
  if (result.error) throw result.error;
  return result;
}

async function importPlannedDelivery(store: Store, planned: PlannedDelivery, options: ImportFocusOptions): Promise<FocusDeliveryResult> {
  const mode = options.mode ?? 'replace';
  const refused = (error: CostbridgeError, files: readonly ImportedFile[] = []): FocusDeliveryResult => ({
    status: 'refused', deliveryId: null, mode, manifest: planned.manifest, files, rows: 0, rejected: 0,
    slices: [], totals: [], warnings: [], reason: error.message, error,
  });
  if (planned.refusal) return refused(new CostbridgeError('INPUT_INVALID', planned.refusal));
  try {
    return await importDelivery(store, planned, options, mode);
  } catch (e) {
    if (e instanceof CostbridgeError) return refused(e);
    throw e;
  }
}

interface DeliveryFile {
  readonly path: string;
  readonly expectedRows?: number;
  readonly format: DataFileFormat;
  readonly sha256: string;
}

async function importDelivery(
  store: Store,
  planned: PlannedDelivery,
  options: ImportFocusOptions,
  mode: DeliveryMode,
): Promise<FocusDeliveryResult> {
  const files: DeliveryFile[] = [];
  for (const f of planned.files) {
    files.push({ ...f, format: await detectFileFormat(f.path), sha256: await sha256OfFile(f.path) });
  }
  const bySha = new Map<string, string>();
  for (const f of files) {
    const twin = bySha.get(f.sha256);
    if (twin) {
      throw new CostbridgeError('INPUT_INVALID', `${f.path} has the same content as ${twin}; a delivery holds each file once, nothing imported`);
    }
    bySha.set(f.sha256, f.path);
  }
  const encoding = options.encoding ?? 'utf-8';
  const fingerprint = createHash('sha256')
    .update([mode, encoding, ...files.map((f) => f.sha256).sort()].join('\n'))
    .digest('hex');
  const notRead = (f: DeliveryFile): ImportedFile => ({
    file: f.path, sha256: f.sha256, format: f.format, focusVersion: null, rows: 0, rejected: 0, warnings: [],
  });
  const base = { mode, manifest: planned.manifest };

  const sideFiles: string[] = [];
  try {
    return await withFocusDelivery(store, async (load) => {
      if (mode === 'replace') {
        const earlier = await load.unchangedDelivery(fingerprint);
        if (earlier) {
          return {
            ...base, status: 'unchanged' as const, deliveryId: earlier.id, files: files.map(notRead), rows: 0, rejected: 0,
            slices: [], totals: [], warnings: [],
            reason: `already imported as delivery ${earlier.id} on ${earlier.importedAt.toISOString()}; nothing changed`,
          };
        }
      } else {
        const stored = await load.storedFiles(files.map((f) => f.sha256));
        if (stored.length > 0) {
          const lines = stored.map((s) => `${bySha.get(s.sha256)}: already stored (delivery ${s.deliveryId} on ${s.importedAt.toISOString()}, as ${s.fileName})`);
          throw new CostbridgeError(
            'CONFLICT',
            `${stored.length} file(s) of this delivery were imported before; a file is never appended twice, nothing imported (leave those files out)`,
            lines,
          );
        }
      }
      const attributor = new Attributor(await load.attributionSetup());
      const deliveryId = await load.begin({
        mode, fingerprint, manifest: planned.manifest, importedBy: options.actor, surface: options.surface,
      });
      const imported: ImportedFile[] = [];
      for (const f of files) {
        const result = await loadFile(load, attributor, f, options, sideFiles);
        imported.push(result);
      }
      const rows = imported.reduce((n, f) => n + f.rows, 0);
      const rejected = imported.reduce((n, f) => n + f.rejected, 0);
      const { slices, totals } = await load.complete({
        rows, rejected,
        files: imported.map((f) => ({ file: f.file, sha256: f.sha256, focusVersion: f.focusVersion, rows: f.rows, rejected: f.rejected })),
      });
      return {
        ...base, status: 'imported' as const, deliveryId, files: imported, rows, rejected, slices, totals,
        warnings: imported.flatMap((f) => f.warnings.map((w) => `${f.file}: ${w}`)),
      };
    });
  } catch (e) {
    // Nothing of the delivery was stored: its side files would describe an import that did not happen.
    await Promise.all(sideFiles.map((p) => unlink(p).catch(() => undefined)));
    throw e;
  }
}

/** Reads, validates, attributes and loads one file of a delivery. */
async function loadFile(
  load: FocusDeliveryLoad,
  attributor: Attributor,
  f: DeliveryFile,
  options: ImportFocusOptions,
  sideFiles: string[],
): Promise<ImportedFile> {
  const opened = await FocusFileReader.open(f.path, f.format, { ...(options.encoding ? { encoding: options.encoding } : {}) });
  const unit = f.format === 'parquet' ? 'row' : 'line';
  if (!opened.ok) throw importRejected(f.path, opened.errors, opened.errors.length, unit);
  const reader = opened.reader;
  const plan = reader.plan;
  await load.beginFile({
    fileName: f.path, sha256: f.sha256, format: f.format, focusVersion: plan.version,
    catalogIndexes: storedCatalogIndexes(plan),
  });
  let rows = 0;
  let rejected = 0;
  let errorCount = 0;
  const shownErrors: CellError[] = [];
  let rejects: RejectedRowsFile | undefined;
  try {
    for await (const batch of reader.batches()) {
      for (const r of batch.rejected) {
        rejected++;
        errorCount += r.errors.length;
        for (const e of r.errors) if (shownErrors.length < shownErrorLimit) shownErrors.push(e);
        if (options.skipInvalid) {
          if (!rejects) {
            rejects = await RejectedRowsFile.open(rejectedFilePath(f.path), plan.names, { force: options.force ?? false });
            sideFiles.push(rejects.path);
          }
          await rejects.add(r.line, r.errors.map((e) => `${e.column}: ${e.reason}`).join('; '), r.cells);
        }
      }
      // Once a strict import has failed there is no point loading more; keep reading only to count errors.
      if (rejected > 0 && !options.skipInvalid) continue;
      const attributions: LineAttribution[] = batch.lines.map((line) => attributor.attribute(lineFacts(line)));
      rows += batch.lines.length;
      await load.add(batch.lines, attributions);
    }
  } finally {
    await rejects?.close();
  }
  if (rejected > 0 && !options.skipInvalid) throw importRejected(f.path, shownErrors, errorCount, unit);
  if (f.expectedRows !== undefined && reader.records !== f.expectedRows) {
    throw new CostbridgeError(
      'INPUT_INVALID',
      `${f.path}: the manifest says ${f.expectedRows} data row(s), the file has ${reader.records}; nothing imported (the file is incomplete or not the one the manifest describes)`,
    );
  }
  const warnings = [...reader.warnings];
  if (rejected > 0) warnings.push(`${rejected} invalid row(s) skipped, written to ${rejects!.path}`);
  await load.endFile({ rows, rejected, warnings });
  return {
    file: f.path, sha256: f.sha256, format: f.format, focusVersion: plan.version, rows, rejected, warnings,
    ...(rejects ? { rejectedFile: rejects.path } : {}),
  };
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
