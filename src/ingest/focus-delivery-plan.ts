import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { CostbridgeError } from '../domain/costbridge-error.js';
import {
  awsBillingPeriodPartition,
  awsDataExportsManifest,
  azureExportManifest,
  manifestProblem,
  type AzureExportManifest,
} from './export-manifests.js';

/** A file a delivery imports, with the data row count its manifest promises (when it gives one). */
export interface PlannedFile {
  readonly path: string;
  readonly expectedRows?: number;
}

/** The provider manifest that selected a delivery's files. */
export interface DeliveryManifest {
  readonly provider: 'aws' | 'azure';
  /** The manifest file. */
  readonly path: string;
  /** The export's name (AWS: from the manifest's file name; Azure: `exportConfig.exportName`). */
  readonly exportName: string;
  /** `YYYY-MM`: the AWS partition, or the month of Azure's `runInfo.startDate`. */
  readonly billingPeriod: string | null;
  /** AWS `executionId` or Azure `runInfo.runId`. */
  readonly execution: string | null;
}

/** One delivery: files imported together, each slice they touch replaced once (or appended to). */
export interface PlannedDelivery {
  readonly manifest: DeliveryManifest | null;
  readonly files: readonly PlannedFile[];
  /** Why the delivery cannot be imported (a listed file is missing ...): nothing is stored for it. */
  readonly refusal?: string;
}

/** What `import focus PATH...` will do: its deliveries, and what it ignores and why. */
export interface FocusDeliveryPlan {
  readonly deliveries: readonly PlannedDelivery[];
  readonly warnings: readonly string[];
}

const dataFile = /\.(csv|csv\.gz|gz|parquet)$/i;
const ownSideFile = /\.rejected\.csv$/i;
const awsManifestName = /-?Manifest\.json$/;
const azureManifestName = /^_?manifest\.json$/i;

/**
 * Turns the paths given to `import focus` into deliveries. A file is imported as given. A folder is
 * searched recursively: when it holds provider manifests, each manifest's listed files are one
 * delivery (AWS: the newest manifest per export and billing period; Azure: the newest run per export
 * and month) and every other data file in the folder is ignored with a warning; without manifests,
 * every FOCUS file in it (`.csv`, `.csv.gz`, `.gz`, `.parquet`) belongs to the invocation's one
 * delivery of loose files, together with the files named directly.
 */
export async function planFocusDeliveries(paths: readonly string[]): Promise<FocusDeliveryPlan> {
  const warnings: string[] = [];
  const loose = new Map<string, string>();
  const deliveries: PlannedDelivery[] = [];
  for (const path of paths) {
    const kind = await pathKind(path);
    if (kind === 'file') {
      const manifest = await manifestDelivery(path, warnings);
      if (manifest) deliveries.push(manifest);
      else addLoose(loose, path, await realpath(path));
      continue;
    }
    const found = await walk(path);
    if (found.awsManifests.length === 0 && found.azureManifests.length === 0) {
      if (found.dataFiles.length === 0) {
        throw new CostbridgeError('INPUT_INVALID', `${path}: no FOCUS files (.csv, .csv.gz, .parquet) in this folder`);
      }
      for (const f of found.dataFiles) addLoose(loose, f.path, f.real);
      warnSameNames(path, found.dataFiles.map((f) => f.path), warnings);
      continue;
    }
    const selected = new Set<string>();
    for (const d of await awsDeliveries(found.awsManifests, warnings)) {
      deliveries.push(d);
      for (const f of d.files) selected.add(f.path);
    }
    for (const d of await azureDeliveries(found.azureManifests, warnings)) {
      deliveries.push(d);
      for (const f of d.files) selected.add(f.path);
    }
    const stray = found.dataFiles.filter((f) => !selected.has(f.path)).map((f) => relative(path, f.path) || f.path);
    if (stray.length > 0) {
      const shown = stray.slice(0, 10).join(', ');
      const more = stray.length > 10 ? ` and ${stray.length - 10} more` : '';
      warnings.push(`${path}: ignored ${stray.length} file(s) no manifest lists (older executions or runs, or not part of an export): ${shown}${more}`);
    }
  }
  const all = [...loose.values()];
  const ordered = all.length > 0 ? [{ manifest: null, files: sortByName(all).map((p) => ({ path: p })) } as PlannedDelivery] : [];
  return { deliveries: [...ordered, ...deliveries], warnings };
}

async function pathKind(path: string): Promise<'file' | 'folder'> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) return 'folder';
    if (s.isFile()) return 'file';
    throw new CostbridgeError('INPUT_INVALID', `${path}: neither a file nor a folder`);
  } catch (e) {
    if (e instanceof CostbridgeError) throw e;
    if ((e as { code?: string }).code === 'ENOENT') throw new CostbridgeError('FILE_NOT_FOUND', `${path}: no such file or folder`);
    throw new CostbridgeError('INPUT_INVALID', `${path}: cannot read (${(e as Error).message})`);
  }
}

function addLoose(loose: Map<string, string>, path: string, real: string): void {
  // The same file named twice (directly and through its folder) is one file of the delivery.
  if (!loose.has(real)) loose.set(real, path);
}

interface Found {
  readonly dataFiles: { path: string; real: string }[];
  readonly awsManifests: string[];
  readonly azureManifests: string[];
}

async function walk(root: string): Promise<Found> {
  const found: Found = { dataFiles: [], awsManifests: [], azureManifests: [] };
  const seen = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    const real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new CostbridgeError('INPUT_INVALID', `${dir}: cannot list the folder (${(e as Error).message})`);
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const s = await stat(path).catch(() => undefined);
        isDir = s?.isDirectory() ?? false;
        isFile = s?.isFile() ?? false;
      }
      if (isDir) await visit(path);
      else if (!isFile) continue;
      else if (azureManifestName.test(entry.name)) found.azureManifests.push(path);
      else if (awsManifestName.test(entry.name) && awsPartitionOf(path)) found.awsManifests.push(path);
      else if (dataFile.test(entry.name) && !ownSideFile.test(entry.name)) found.dataFiles.push({ path, real: await realpath(path) });
    }
  };
  await visit(root);
  return found;
}

/** A file given by name: a provider manifest becomes its delivery; anything else is a data file. */
async function manifestDelivery(path: string, warnings: string[]): Promise<PlannedDelivery | undefined> {
  if (!/\.json$/i.test(path)) return undefined;
  if (azureManifestName.test(basename(path))) return (await azureDeliveries([path], warnings))[0];
  if (awsManifestName.test(basename(path)) && awsPartitionOf(path)) return (await awsDeliveries([path], warnings))[0];
  throw new CostbridgeError(
    'INPUT_INVALID',
    `${path}: not a FOCUS data file or a provider manifest (AWS: metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json; Azure: manifest.json)`,
  );
}

// ---------------------------------------------------------------------------------------------
// AWS Data Exports

/** The export root and billing period of a manifest under `<root>/metadata/BILLING_PERIOD=YYYY-MM/`. */
function awsPartitionOf(manifestPath: string): { root: string; period: string } | undefined {
  const parts = dirname(manifestPath).split(sep);
  for (let i = parts.length - 1; i > 0; i--) {
    const m = awsBillingPeriodPartition.exec(parts[i]!);
    if (m && parts[i - 1] === 'metadata') {
      const root = parts.slice(0, i - 1).join(sep) || (isAbsolute(manifestPath) ? sep : '.');
      return { root, period: m[1]! };
    }
  }
  return undefined;
}

async function awsDeliveries(manifests: readonly string[], warnings: string[]): Promise<PlannedDelivery[]> {
  const groups = new Map<string, { root: string; period: string; candidates: { path: string; mtime: number; body?: unknown; problem?: string }[] }>();
  for (const path of manifests) {
    const at = awsPartitionOf(path)!;
    const key = `${at.root}\u0001${at.period}`;
    const group = groups.get(key) ?? { ...at, candidates: [] };
    groups.set(key, group);
    const read = await readJson(path);
    group.candidates.push({ path, mtime: (await stat(path)).mtimeMs, ...read });
  }
  const out: PlannedDelivery[] = [];
  for (const g of [...groups.values()].sort((a, b) => a.root.localeCompare(b.root) || a.period.localeCompare(b.period))) {
    // Several manifests for one period (copies kept per execution): the newest wins.
    const [chosen, ...older] = g.candidates.sort((a, b) => b.mtime - a.mtime || b.path.localeCompare(a.path));
    if (older.length > 0) warnings.push(`${chosen!.path}: newest of ${g.candidates.length} manifests for billing period ${g.period}; ignored ${older.map((o) => o.path).join(', ')}`);
    const exportName = basename(chosen!.path).replace(awsManifestName, '') || basename(g.root);
    const describe = (execution: string | null): DeliveryManifest => ({
      provider: 'aws', path: chosen!.path, exportName, billingPeriod: g.period, execution,
    });
    if (chosen!.problem) {
      out.push({ manifest: describe(null), files: [], refusal: `${chosen!.path}: ${chosen!.problem}; nothing imported for billing period ${g.period}` });
      continue;
    }
    const parsed = awsDataExportsManifest.safeParse(chosen!.body);
    if (!parsed.success) {
      out.push({
        manifest: describe(null), files: [],
        refusal: `${chosen!.path}: not an AWS Data Exports manifest (${manifestProblem(parsed.error)}); nothing imported for billing period ${g.period}`,
      });
      continue;
    }
    const m = parsed.data;
    const dataDir = join(g.root, 'data', `BILLING_PERIOD=${g.period}`);
    const files: PlannedFile[] = [];
    const missing: string[] = [];
    for (const uri of m.dataFiles) {
      // The part of the S3 key below the partition: the file name, after the execution-id folder when the export creates new files.
      const below = /\/data\/BILLING_PERIOD=[^/]+\/(.+)$/.exec(uri)?.[1] ?? basename(uri);
      const local = join(dataDir, ...below.split('/'));
      if (await isFile(local)) files.push({ path: local });
      else missing.push(relative(g.root, local));
    }
    const manifest = describe(m.executionId ?? null);
    if (missing.length > 0) {
      out.push({
        manifest, files,
        refusal: `${chosen!.path} lists ${missing.length} file(s) that are missing: ${missing.join(', ')}; nothing imported for billing period ${g.period} (copy the whole export again, or wait until the delivery is complete)`,
      });
    } else if (files.length === 0) {
      out.push({ manifest, files, refusal: `${chosen!.path} lists no data files; nothing imported for billing period ${g.period}` });
    } else {
      out.push({ manifest, files });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Azure Cost Management exports

async function azureDeliveries(manifests: readonly string[], warnings: string[]): Promise<PlannedDelivery[]> {
  interface Run {
    path: string;
    manifest?: AzureExportManifest;
    problem?: string;
    exportName: string;
    month: string | null;
    submitted: number;
  }
  const runs: Run[] = [];
  for (const path of manifests) {
    const read = await readJson(path);
    const mtime = (await stat(path)).mtimeMs;
    if (read.problem) {
      runs.push({ path, problem: read.problem, exportName: basename(dirname(path)), month: null, submitted: mtime });
      continue;
    }
    const parsed = azureExportManifest.safeParse(read.body);
    if (!parsed.success) {
      // A manifest.json of something else: not ours to judge unless it was named directly.
      if (manifests.length === 1) runs.push({ path, problem: `not an Azure Cost Management export manifest (${manifestProblem(parsed.error)})`, exportName: basename(dirname(path)), month: null, submitted: mtime });
      else warnings.push(`${path}: ignored, not an Azure Cost Management export manifest (${manifestProblem(parsed.error)})`);
      continue;
    }
    const m = parsed.data;
    const submitted = Date.parse(m.runInfo?.submittedTime ?? '');
    runs.push({
      path,
      manifest: m,
      exportName: m.exportConfig?.exportName ?? m.exportConfig?.resourceId ?? basename(dirname(path)),
      month: /^(\d{4}-\d{2})/.exec(m.runInfo?.startDate ?? '')?.[1] ?? null,
      submitted: Number.isNaN(submitted) ? mtime : submitted,
    });
  }
  // Runs of one export for one month restate each other: the newest run wins.
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    const key = run.manifest ? `${run.manifest.exportConfig?.resourceId ?? run.exportName}\u0001${run.month ?? run.path}` : run.path;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const out: PlannedDelivery[] = [];
  for (const group of groups.values()) {
    const [chosen, ...older] = group.sort((a, b) => b.submitted - a.submitted || b.path.localeCompare(a.path));
    const run = chosen!;
    if (older.length > 0) {
      warnings.push(`${run.path}: newest of ${group.length} runs of export ${run.exportName} for ${run.month ?? 'its period'}; ignored the older run(s) ${older.map((o) => dirname(o.path)).join(', ')}`);
    }
    const manifest: DeliveryManifest = {
      provider: 'azure', path: run.path, exportName: run.exportName, billingPeriod: run.month,
      execution: run.manifest?.runInfo?.runId ?? null,
    };
    if (!run.manifest) {
      out.push({ manifest, files: [], refusal: `${run.path}: ${run.problem}; nothing imported from this run` });
      continue;
    }
    const m = run.manifest;
    const type = m.exportConfig?.type;
    if (type && !/focus/i.test(type)) {
      out.push({ manifest, files: [], refusal: `${run.path}: a ${type} export, not FOCUS cost and usage (FocusCost); nothing imported from this run` });
      continue;
    }
    if (m.blobCount !== undefined && m.blobCount !== m.blobs.length) {
      out.push({ manifest, files: [], refusal: `${run.path}: blobCount says ${m.blobCount} but ${m.blobs.length} blob(s) are listed; nothing imported from this run` });
      continue;
    }
    const dir = dirname(run.path);
    const files: PlannedFile[] = [];
    const missing: string[] = [];
    for (const blob of m.blobs) {
      const local = join(dir, basename(blob.blobName.trim()));
      if (await isFile(local)) files.push({ path: local, ...(typeof blob.dataRowCount === 'number' ? { expectedRows: blob.dataRowCount } : {}) });
      else missing.push(basename(local));
    }
    if (missing.length > 0) {
      out.push({ manifest, files, refusal: `${run.path} lists ${missing.length} blob(s) that are missing beside it: ${missing.join(', ')}; nothing imported from this run (copy the whole run folder again)` });
    } else if (files.length === 0) {
      out.push({ manifest, files, refusal: `${run.path} lists no blobs; nothing imported from this run` });
    } else {
      out.push({ manifest, files });
    }
  }
  return out.sort((a, b) => a.manifest!.path.localeCompare(b.manifest!.path));
}

// ---------------------------------------------------------------------------------------------

async function readJson(path: string): Promise<{ body?: unknown; problem?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { problem: `cannot read the manifest (${(e as Error).message})` };
  }
  try {
    return { body: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (e) {
    return { problem: `the manifest is not valid JSON (${(e as Error).message})` };
  }
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

function sortByName(paths: string[]): string[] {
  return paths.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * A folder with files of the same name in several subfolders is likely several executions of one
 * export copied without their manifest: importing all of them would count the month more than once.
 */
function warnSameNames(root: string, files: readonly string[], warnings: string[]): void {
  const byName = new Map<string, string[]>();
  for (const f of files) byName.set(basename(f), [...(byName.get(basename(f)) ?? []), f]);
  const repeated = [...byName.entries()].filter(([, fs]) => fs.length > 1);
  if (repeated.length === 0) return;
  const [name, fs] = repeated[0]!;
  warnings.push(
    `${root}: ${repeated.length} file name(s) appear in several folders (${name} in ${fs.map((f) => relative(root, dirname(f)) || '.').join(', ')}); all are imported as one delivery. If these are successive executions or runs of one export, import the export folder with its manifest instead`,
  );
}
