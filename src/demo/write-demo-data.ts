// Writes a demo data set to a directory: the only part of the demo generator that touches files.

import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { finished } from 'node:stream/promises';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { DemoDataSet } from './demo-data-set.js';
import type { DemoFileInfo, DemoManifestCore } from './demo-manifest.js';
import { manifestGenerator } from './demo-manifest.js';
import { formatNanos } from './demo-money.js';
import type { DemoParams, DemoPlan } from './demo-plan.js';

/** What was written. */
export interface DemoWriteResult {
  /** Absolute output directory. */
  readonly dir: string;
  readonly plan: DemoPlan;
  /** Every file except manifest.json, in write order. */
  readonly files: readonly DemoFileInfo[];
  readonly manifest: DemoManifestCore;
  /** Exact totals of each FOCUS file, by path. */
  readonly focusTotals: ReadonlyMap<string, { readonly billedCost: string; readonly effectiveCost: string }>;
}

/**
 * Generates the data set for `params` into `dir` (created when missing). A non-empty directory is
 * only accepted when it holds an earlier demo data set, whose listed files are removed first so no
 * stale month is left behind; anything else is refused rather than overwritten.
 */
export async function writeDemoData(dir: string, params: DemoParams): Promise<DemoWriteResult> {
  const root = resolve(dir);
  const dataSet = new DemoDataSet(params); // validates before anything is touched
  await prepareOutputDir(root);
  for (const file of dataSet.files()) {
    const target = join(root, file.path);
    await mkdir(dirname(target), { recursive: true });
    // 'wx': the data set's earlier files were removed above, so anything here now (a planted link) is refused, never followed.
    const out = createWriteStream(target, { flags: 'wx' });
    let failure: Error | undefined;
    out.on('error', (e) => (failure ??= e));
    try {
      for (const chunk of file.chunks) {
        if (failure) throw failure;
        if (!out.write(chunk)) await once(out, 'drain'); // rejects if the stream errors meanwhile
      }
      out.end();
      await finished(out);
      if (failure) throw failure;
    } catch (e) {
      out.destroy();
      throw new CostbridgeError('INPUT_INVALID', `cannot write ${target}: ${(failure ?? (e as Error)).message}`);
    }
  }
  const focusTotals = new Map(
    [...dataSet.totals.files].map(([path, t]) => [path, { billedCost: formatNanos(t.billed), effectiveCost: formatNanos(t.effective) }]),
  );
  return { dir: root, plan: dataSet.plan, files: dataSet.fileInfo, manifest: dataSet.manifest, focusTotals };
}

async function prepareOutputDir(root: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      await mkdir(root, { recursive: true });
      return;
    }
    if (code === 'ENOTDIR') throw new CostbridgeError('INPUT_INVALID', `--out ${root} is a file, not a directory`);
    throw e;
  }
  if (entries.length === 0) return;
  const previous = await previousDemoFiles(root);
  if (!previous) {
    throw new CostbridgeError(
      'INPUT_INVALID',
      `--out ${root} is not empty and does not hold a costbridge demo data set; choose a new or empty directory`,
    );
  }
  for (const rel of [...previous, 'manifest.json']) await rm(join(root, rel), { force: true });
}

/** The files an earlier demo-data run listed in its manifest, or undefined when there is none. */
async function previousDemoFiles(root: string): Promise<string[] | undefined> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const m = manifest as { generator?: unknown; files?: unknown };
  if (m.generator !== manifestGenerator || !Array.isArray(m.files)) return undefined;
  const out: string[] = [];
  for (const f of m.files as Array<{ path?: unknown }>) {
    const p = typeof f?.path === 'string' ? normalize(f.path) : '';
    // Only plain relative paths inside the directory, of the shapes demo-data writes.
    if (!p || isAbsolute(p) || p.split(sep).includes('..')) continue;
    if (!/^(focus[/\\][a-z0-9-]+-\d{4}-\d{2}\.csv|itfm[/\\][a-z-]+\.csv|README\.md)$/.test(p)) continue;
    out.push(p);
  }
  return out;
}
