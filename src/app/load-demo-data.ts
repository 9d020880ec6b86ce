import { join } from 'node:path';
import { writeDemoData } from '../demo/write-demo-data.js';
import type { Store } from '../store/database.js';
import type { Surface } from '../store/audit-log.js';
import { importCostCenters } from './import-cost-centers.js';
import { importBudgets } from './import-budgets.js';
import { importGl } from './import-gl.js';
import { importFocus } from './import-focus.js';

/** How much synthetic data to load and as of which day. */
export interface LoadDemoDataRequest {
  readonly dir: string;
  /** `YYYY-MM-DD`: the demo's months end here (month to date). */
  readonly asOf: string;
  readonly months?: number;
  readonly rows?: number;
  /** Give the demo cost centers their invented channel ids (off by default: see `DemoParams.channels`). */
  readonly channels?: boolean;
  readonly actor: string;
  readonly surface: Surface;
}

/** What the demo load put in the database. */
export interface DemoLoadResult {
  readonly dir: string;
  readonly focusFiles: number;
  readonly focusRows: number;
  readonly months: readonly string[];
}

/**
 * Generates the synthetic demo data set into `dir` and imports it through the same use cases a
 * person would run: cost centers, budgets, forecast, GL actuals, then the FOCUS files.
 */
export async function loadDemoData(store: Store, request: LoadDemoDataRequest): Promise<DemoLoadResult> {
  const written = await writeDemoData(request.dir, {
    seed: 1,
    months: request.months ?? 3,
    rows: request.rows ?? 5000,
    asOf: request.asOf,
    ...(request.channels ? { channels: true } : {}),
  });
  const who = { actor: request.actor, surface: request.surface };
  const itfm = (name: string) => join(written.dir, 'itfm', name);
  await importCostCenters(store, { path: itfm('cost-centers.csv'), ...who });
  await importBudgets(store, { path: itfm('budgets.csv'), ...who });
  await importBudgets(store, { path: itfm('forecast.csv'), ...who });
  await importGl(store, { path: itfm('gl.csv'), ...who });
  // The demo's FOCUS files are one delivery, as a provider's export of those months would be.
  const focus = written.files.filter((f) => f.kind === 'focus');
  const imported = await importFocus(store, { paths: focus.map((f) => join(written.dir, f.path)), ...who });
  const refused = imported.deliveries.find((d) => d.error);
  if (refused) throw refused.error;
  const focusRows = imported.deliveries.reduce((n, d) => n + d.rows, 0);
  return { dir: written.dir, focusFiles: focus.length, focusRows, months: written.plan.months.map((m) => m.key) };
}
