// A ready embedded database: PGlite's data directory right after initdb and every migration, built
// once at install (`npm install` / `npm run build`, scripts/build-dist.js) and copied into each new
// data directory. A fresh `npm start` then skips initdb, which runs as a second WebAssembly module
// and took most of its first start (and most of its memory), and the migrations.
//
// The template is a plain directory, copied file by file with the operating system's copy: PGlite
// keeps its data directory as ordinary files (NodeFS), so the copy is exactly what PGlite would have
// written. Unpacking a dumped tarball instead (PGlite's loadDataDir) inflates and writes every file
// through the WebAssembly file system, which took ~2 s and ~90 MB more on each fresh start.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, constants } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationNames } from './migrator.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const migrationsDir = join(root, 'migrations');
const cacheDir = join(root, 'node_modules', '.cache', 'costbridge');
const templateDir = join(cacheDir, 'embedded-template');
const keyFile = join(cacheDir, 'embedded-template.json');
/** The file whose presence makes a directory a PGlite database; copied last, so a half copy is not one. */
const versionFile = 'PG_VERSION';

/** What the template was built from: the PGlite version and every migration's name and text. */
async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  const pglite = JSON.parse(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
  hash.update(`pglite ${pglite.version}\n`);
  for (const name of await migrationNames()) hash.update(`${name}\n`).update(await readFile(join(migrationsDir, name)));
  return hash.digest('hex');
}

/**
 * The template's directory for a new data directory, or undefined when there is none or it was
 * built from other migrations or another PGlite (the caller then runs initdb and the migrations).
 */
export async function embeddedTemplate(): Promise<string | undefined> {
  try {
    if (!holdsDatabase(templateDir) || !existsSync(keyFile)) return undefined;
    const { key } = JSON.parse(readFileSync(keyFile, 'utf8')) as { key: string };
    return key === (await templateKey()) ? templateDir : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a directory already holds a PGlite database (a template must not be copied over it). */
export function holdsDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, versionFile));
}

/**
 * Copies the template into `dataDir` (which holds no database; its lock file stays). PG_VERSION goes
 * last, so an interrupted copy leaves a directory that is not yet a database and is copied again on
 * the next open. Resolves to false, with nothing of the template left behind, when the copy failed
 * (the template was being rebuilt meanwhile, say): the caller then initialises the directory itself.
 * The ~1,200 files are copied by libuv's thread pool, so the caller can load PGlite meanwhile.
 */
export async function copyEmbeddedTemplate(template: string, dataDir: string): Promise<boolean> {
  const top = readdirSync(template).filter((name) => name !== versionFile);
  try {
    const files: string[] = [];
    for (const entry of readdirSync(template, { withFileTypes: true, recursive: true })) {
      const path = relative(template, join(entry.parentPath, entry.name));
      if (entry.isDirectory()) mkdirSync(join(dataDir, path), { recursive: true });
      else if (path !== versionFile) files.push(path);
    }
    // A copy-on-write clone where the file system offers one, an ordinary copy elsewhere.
    await Promise.all(files.map((path) => copyFile(join(template, path), join(dataDir, path), constants.COPYFILE_FICLONE)));
    await copyFile(join(template, versionFile), join(dataDir, versionFile), constants.COPYFILE_FICLONE);
    return true;
  } catch {
    for (const name of [versionFile, ...top]) rmSync(join(dataDir, name), { recursive: true, force: true });
    return false;
  }
}

/**
 * Builds the template: initdb and every migration in a scratch directory beside the template, shut
 * down cleanly (so opening a copy needs no recovery), then swapped in with two renames beside a key
 * naming what it was built from; the key is written last, so a half-built template is never used.
 */
export async function buildEmbeddedTemplate(): Promise<{ path: string; bytes: number }> {
  const [{ openStore }, { migrate }] = await Promise.all([import('./database.js'), import('./migrator.js')]);
  mkdirSync(cacheDir, { recursive: true });
  const suffix = `${process.pid}-${Date.now()}`;
  const scratch = join(cacheDir, `embedded-template.building-${suffix}`);
  const old = join(cacheDir, `embedded-template.old-${suffix}`);
  try {
    rmSync(keyFile, { force: true });
    const store = await openStore({ dataDir: scratch, opener: 'the embedded template build' });
    try {
      await migrate(store);
    } finally {
      await store.close();
    }
    // Only PGlite's own files: the lock is released on close, but a leftover would be copied everywhere.
    for (const name of readdirSync(scratch)) if (name.startsWith('costbridge.lock') || name.startsWith('.s.PGSQL')) rmSync(join(scratch, name), { force: true });
    if (existsSync(templateDir)) renameSync(templateDir, old);
    renameSync(scratch, templateDir);
    // The tarball an earlier version built is no longer read.
    rmSync(join(cacheDir, 'embedded-template.tar.gz'), { force: true });
    writeFileSync(`${keyFile}.tmp`, `${JSON.stringify({ key: await templateKey(), builtAt: new Date().toISOString() })}\n`);
    renameSync(`${keyFile}.tmp`, keyFile);
    return { path: templateDir, bytes: directoryBytes(templateDir) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}

function directoryBytes(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}
