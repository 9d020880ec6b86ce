// One demo data set as a lazy sequence of files, each a sequence of text chunks. Pure apart from
// hashing: nothing is written here (see write-demo-data.ts), and nothing holds more than one
// chunk of FOCUS rows in memory.

import { createHash } from 'node:crypto';
import { demoCostCenters, demoProviders } from './demo-catalog.js';
import { focusCsvLine, focusHeaderLine } from './demo-focus-format.js';
import { providerBills, providerLines } from './demo-focus-rows.js';
import { budgetLines, costCentersCsv, forecastLines, glCsv, glLines, planCsv } from './demo-itfm.js';
import { focusPath, manifestCore, manifestJson, readmeText } from './demo-manifest.js';
import type { DemoFileInfo, DemoFileKind, DemoManifestCore } from './demo-manifest.js';
import { planDemo } from './demo-plan.js';
import type { DemoParams, DemoPlan } from './demo-plan.js';
import { DemoTotals } from './demo-totals.js';

/** One output file: its path under the output directory and its content, produced on iteration. */
export interface DemoFile {
  readonly path: string;
  readonly kind: DemoFileKind | 'manifest';
  /** One-shot: iterate once. */
  readonly chunks: Iterable<string>;
}

const chunkSize = 64 * 1024;

/** A demo data set. Iterate {@link files} once, in order; totals and manifest are complete afterwards. */
export class DemoDataSet {
  readonly plan: DemoPlan;
  readonly totals: DemoTotals;
  readonly fileInfo: DemoFileInfo[] = [];
  #core: DemoManifestCore | undefined;

  /** Throws INPUT_INVALID for bad parameters. */
  constructor(params: DemoParams) {
    this.plan = planDemo(params);
    this.totals = new DemoTotals(this.plan);
  }

  /** The manifest without its file list; available once every file has been produced. */
  get manifest(): DemoManifestCore {
    if (!this.#core) throw new Error('the demo data set has not been fully generated yet');
    return this.#core;
  }

  *files(): Generator<DemoFile> {
    const { plan, totals } = this;
    for (const month of plan.months) {
      for (const provider of demoProviders) {
        if (!providerBills(plan, provider, month.index)) continue;
        const path = focusPath(provider.slug, month.key);
        totals.openFile(path);
        let rows = 0;
        const source = (function* () {
          let buffer = focusHeaderLine();
          for (const line of providerLines(plan, provider, month.index)) {
            totals.add(line, path, month.index, provider);
            rows++;
            buffer += focusCsvLine(line);
            if (buffer.length >= chunkSize) {
              yield buffer;
              buffer = '';
            }
          }
          if (buffer) yield buffer;
        })();
        yield* this.#emit(path, 'focus', source, () => rows);
      }
    }
    const gl = glLines(plan, totals);
    const budgets = budgetLines(plan, totals);
    const forecast = forecastLines(plan, totals);
    yield* this.#emit('itfm/cost-centers.csv', 'cost-centers', [costCentersCsv(plan.params.channels === true)], () => demoCostCenters.length);
    yield* this.#emit('itfm/budgets.csv', 'budgets', [planCsv(budgets)], () => budgets.length);
    yield* this.#emit('itfm/forecast.csv', 'forecast', [planCsv(forecast)], () => forecast.length);
    yield* this.#emit('itfm/gl.csv', 'gl', [glCsv(gl)], () => gl.length);
    const core = manifestCore(plan, totals, gl, budgets, forecast);
    yield* this.#emit('README.md', 'readme', [readmeText(core)], () => 0);
    this.#core = core;
    yield { path: 'manifest.json', kind: 'manifest', chunks: [manifestJson(core, this.fileInfo, totals, plan)] };
  }

  /** Yields one file whose chunks are hashed and counted as they pass, and drains it if the consumer did not. */
  *#emit(path: string, kind: DemoFileKind, source: Iterable<string>, rows: () => number): Generator<DemoFile> {
    const hash = createHash('sha256');
    let bytes = 0;
    let done = false;
    const it = source[Symbol.iterator]();
    const chunks = (function* () {
      for (;;) {
        const r = it.next();
        if (r.done) break;
        hash.update(r.value);
        bytes += Buffer.byteLength(r.value);
        yield r.value;
      }
      done = true;
    })();
    yield { path, kind, chunks };
    if (!done) for (const _ of chunks) void _;
    this.fileInfo.push({ path, kind, rows: rows(), bytes, sha256: hash.digest('hex') });
  }
}

/** Generates a whole data set into memory: path -> content. For tests and small sets. */
export function demoDataInMemory(params: DemoParams): { files: Map<string, string>; dataSet: DemoDataSet } {
  const dataSet = new DemoDataSet(params);
  const files = new Map<string, string>();
  for (const f of dataSet.files()) {
    let text = '';
    for (const c of f.chunks) text += c;
    files.set(f.path, text);
  }
  return { files, dataSet };
}
