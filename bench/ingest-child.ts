// Imports one FOCUS file into DATABASE_URL in a process of its own, so its peak RSS is the importer's alone.
import { loadConfig } from '../src/config.js';
import { openConfiguredStore } from '../src/cli/open-store.js';
import { importFocusFile } from '../src/app/import-focus.js';

const path = process.argv[2];
if (!path) throw new Error('usage: ingest-child.ts FILE');
const store = await openConfiguredStore(loadConfig(), () => undefined);
const started = process.hrtime.bigint();
const result = await importFocusFile(store, { path, actor: 'bench', surface: 'cli' });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
await store.close();
process.stdout.write(
  JSON.stringify({ rows: result.rows, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
