// One process taking the lock of an embedded data directory, for the lock race tests: loads the
// compiled lock code (dist/, built by the tests' global setup; the same calls openStore makes before
// it starts PGlite), says "ready", takes the lock on "go", holds it until "close".
// Prints one JSON line: {"outcome":"opened"|"refused"|"crashed", ...}.
import { createInterface } from 'node:readline';

const [dataDir, name] = process.argv.slice(2);
const { describeHolder, lockEmbeddedDirectory } = await import(new URL('../../dist/store/embedded-lock.js', import.meta.url).href);
const lines = createInterface({ input: process.stdin });
const next = () => new Promise((resolve) => lines.once('line', resolve));
process.stdout.write('ready\n');
await next();
let outcome;
try {
  outcome = await lockEmbeddedDirectory(dataDir, name, (text) => process.stderr.write(`${text}\n`));
} catch (e) {
  const result = e?.name === 'CostbridgeError' ? 'refused' : 'crashed';
  process.stdout.write(`${JSON.stringify({ outcome: result, code: e?.code, message: String(e?.message ?? e), stack: e?.stack })}\n`);
  process.exit(0);
}
if ('heldBy' in outcome) {
  process.stdout.write(`${JSON.stringify({ outcome: 'refused', code: 'CONFLICT', message: describeHolder(dataDir, outcome.heldBy, outcome.path) })}\n`);
  process.exit(0);
}
process.stdout.write(`${JSON.stringify({ outcome: 'opened', pid: process.pid })}\n`);
await next();
outcome.lock.release();
process.exit(0);
