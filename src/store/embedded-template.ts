// A ready embedded database: PGlite's data directory right after initdb and every migration, dumped
// once at install (`npm install` / `npm run build`, scripts/build-dist.js) and unpacked into each new
// data directory. A fresh `npm start` then skips initdb, which runs as a second WebAssembly module
// and took most of its first start (and most of its memory), and the migrations.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationNames } from './migrator.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const migrationsDir = join(root, 'migrations');
const cacheDir = join(root, 'node_modules', '.cache', 'costbridge');
const tarball = join(cacheDir, 'embedded-template.tar.gz');
const keyFile = join(cacheDir, 'embedded-template.json');

/** What the template was built from: the PGlite version and every migration's name and text. */
async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  const pglite = JSON.parse(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
  hash.update(`pglite ${pglite.version}\n`);
  for (const name of await migrationNames()) hash.update(`${name}\n`).update(await readFile(join(migrationsDir, name)));
  return hash.digest('hex');
}

/**
 * The template for a new data directory, or undefined when there is none or it was built from other
 * migrations or another PGlite (the caller then runs initdb and the migrations as before).
 */
export async function embeddedTemplate(): Promise<Blob | undefined> {
  try {
    if (!existsSync(tarball) || !existsSync(keyFile)) return undefined;
    const { key } = JSON.parse(readFileSync(keyFile, 'utf8')) as { key: string };
    if (key !== (await templateKey())) return undefined;
    return new Blob([readFileSync(tarball)]);
  } catch {
    return undefined;
  }
}

/** Whether a directory already holds a PGlite database (a template must not be unpacked over it). */
export function holdsDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/**
 * Builds the template: initdb and every migration in a scratch directory, dumped as a gzip tarball
 * beside a key naming what it was built from. Written to temporary names first, then renamed.
 */
export async function buildEmbeddedTemplate(): Promise<{ path: string; bytes: number }> {
  const [{ PGlite }, { openStore }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('./database.js'),
    import('./migrator.js'),
  ]);
  const scratch = mkdtempSync(join(tmpdir(), 'costbridge-template-'));
  try {
    const dataDir = join(scratch, 'pgdata');
    const store = await openStore({ dataDir, opener: 'the embedded template build' });
    await migrate(store);
    await store.close();
    const pglite = await PGlite.create({ dataDir });
    const dump = await pglite.dumpDataDir('gzip');
    await pglite.close();
    mkdirSync(cacheDir, { recursive: true });
    const bytes = Buffer.from(await dump.arrayBuffer());
    writeFileSync(`${tarball}.tmp`, bytes);
    writeFileSync(`${keyFile}.tmp`, `${JSON.stringify({ key: await templateKey(), builtAt: new Date().toISOString() })}\n`);
    renameSync(`${tarball}.tmp`, tarball);
    renameSync(`${keyFile}.tmp`, keyFile);
    return { path: tarball, bytes: bytes.length };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
