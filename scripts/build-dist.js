// Compiles src/ (TypeScript) to dist/ (JavaScript) with esbuild, one .js file per .ts file in the
// same layout (other files under src/ are copied), so paths relative to import.meta.url
// (../package.json, ../../migrations/) hold in both. Type checking stays with tsc (`npm test`, `npm run typecheck`); this only strips types.
// Run by `npm install` / `npm ci` (the `prepare` script) and `npm run build`; bin/costbridge.js
// calls ensureDist() so an edited checkout never runs stale code.
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const stampName = '.build-stamp';

/** The newest modification time under `dir`, directories included (a renamed or deleted file changes its directory's). */
export function newestSourceMtime(dir = src) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** `fresh`, `stale` (src/ changed after the build) or `missing`; `fresh` too when there is no src/ (an installed package). */
export function distState() {
  if (!existsSync(src)) return 'fresh';
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(dist, stampName), 'utf8'));
  } catch {
    return 'missing';
  }
  return newestSourceMtime() <= stamp.sourcesMtimeMs ? 'fresh' : 'stale';
}

/**
 * Builds dist/ from src/: into a temporary directory first, then swapped in with two renames, so a
 * process starting meanwhile sees the old build or the new one, not half of one.
 */
export async function buildDist() {
  const sourcesMtimeMs = newestSourceMtime();
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('cannot build dist/: esbuild is not installed (run npm install)');
  }
  const suffix = `${process.pid}-${Date.now()}`;
  const next = join(root, `dist.building-${suffix}`);
  const old = join(root, `dist.old-${suffix}`);
  try {
    await esbuild.build({
      entryPoints: [`${src}/**/*.ts`],
      outdir: next,
      outbase: src,
      platform: 'node',
      format: 'esm',
      target: 'node20.19',
      logLevel: 'error',
    });
    // Anything else under src/ (a template, an asset read relative to import.meta.url) goes along as is.
    cpSync(src, next, { recursive: true, filter: (from) => statSync(from).isDirectory() || !from.endsWith('.ts') });
    writeFileSync(join(next, stampName), `${JSON.stringify({ sourcesMtimeMs, builtAt: new Date().toISOString(), esbuild: esbuild.version })}\n`);
    if (existsSync(dist)) renameSync(dist, old);
    try {
      renameSync(next, dist);
    } catch (e) {
      // Another process swapped in its build between the two renames: that one is as fresh as ours.
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
    }
  } finally {
    rmSync(next, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}

/** Builds dist/ when it is missing or older than src/, saying so in one line on stderr. */
export async function ensureDist(say = (line) => process.stderr.write(`${line}\n`)) {
  const state = distState();
  if (state === 'fresh') return;
  say(
    state === 'missing'
      ? 'costbridge: dist/ has not been built; building it now (npm run build)'
      : 'costbridge: src/ changed since dist/ was built; rebuilding it now (npm run build)',
  );
  await buildDist();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  try {
    await buildDist();
    if (!process.argv.includes('--quiet')) console.error(`costbridge: built dist/ from src/ in ${Math.round(performance.now() - started)} ms`);
    // The embedded database's template (src/store/embedded-template.ts): a fresh npm start then skips
    // initdb and the migrations. Optional: without it the first start builds its database itself.
    if (!process.argv.includes('--no-template')) {
      const at = performance.now();
      try {
        const { buildEmbeddedTemplate } = await import(pathToFileURL(join(dist, 'store', 'embedded-template.js')).href);
        const built = await buildEmbeddedTemplate();
        if (!process.argv.includes('--quiet')) console.error(`costbridge: built the embedded database template (${Math.round(built.bytes / 1024)} KB) in ${Math.round(performance.now() - at)} ms`);
      } catch (e) {
        console.error(`costbridge: no embedded database template (${e instanceof Error ? e.message : String(e)}); a new embedded database is initialised on first use instead`);
      }
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
