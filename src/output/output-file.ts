import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { link, lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CostbridgeError } from '../domain/costbridge-error.js';

/** How a file costbridge writes may land on an existing path. */
export interface OutputFileOptions {
  /** How costbridge recognises a file of this kind it wrote earlier, by its first line (a header). */
  readonly ownFirstLine: (line: string) => boolean;
  /** Replace an existing regular file even if costbridge did not write it (`--force`). */
  readonly force?: boolean;
  /** What named the path, for messages (`--out`). */
  readonly what?: string;
}

/** A file being written: invisible under its name until `commit`. */
export interface OutputFile {
  readonly path: string;
  write(text: string): Promise<void>;
  /** Puts the file in place (checking the path again); call once, after the last write. */
  commit(): Promise<void>;
  /** Drops what was written; the path is left as it was. */
  discard(): Promise<void>;
}

/**
 * Opens an output file: written to a new temporary file beside it (an exclusive create, so never
 * through a planted link), then moved into place by `commit`. The path itself is refused when it is
 * a symbolic link or not a regular file, and when it holds a file costbridge did not write (its
 * first line is not one of ours) unless `force` is set.
 */
export async function openOutputFile(path: string, options: OutputFileOptions): Promise<OutputFile> {
  const existed = await checkTarget(path, options);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let out: WriteStream;
  try {
    out = createWriteStream(temp, { flags: 'wx' });
    await once(out, 'open');
  } catch (e) {
    throw cannotWrite(path, e, options);
  }
  let failure: Error | undefined;
  out.on('error', (e) => (failure ??= e));
  const finish = async () => {
    if (!out.closed) {
      out.end();
      await once(out, 'close').catch(() => undefined);
    }
  };
  return {
    path,
    async write(text) {
      if (failure) throw cannotWrite(path, failure, options);
      if (!out.write(text)) await Promise.race([once(out, 'drain'), once(out, 'error')]).catch(() => undefined);
      if (failure) throw cannotWrite(path, failure, options);
    },
    async commit() {
      await finish();
      try {
        if (failure) throw failure;
        const exists = await checkTarget(path, options);
        if (!exists && !existed) {
          // link() fails if the path appeared meanwhile: nothing is ever overwritten unchecked.
          await link(temp, path);
        } else {
          // rename() replaces the directory entry itself, never what a link points to.
          await rename(temp, path);
        }
      } catch (e) {
        throw e instanceof CostbridgeError ? e : cannotWrite(path, e, options);
      } finally {
        await unlink(temp).catch(() => undefined);
      }
    },
    async discard() {
      await finish();
      await unlink(temp).catch(() => undefined);
    },
  };
}

/** Writes a whole output file (see `openOutputFile`). */
export async function writeOutputFile(path: string, content: string, options: OutputFileOptions): Promise<void> {
  const file = await openOutputFile(path, options);
  try {
    await file.write(content);
  } catch (e) {
    await file.discard();
    throw e;
  }
  await file.commit();
}

/** Whether the path exists now; throws when costbridge must not write there. */
async function checkTarget(path: string, options: OutputFileOptions): Promise<boolean> {
  const what = options.what ? `${options.what} ` : '';
  let stat;
  try {
    stat = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw cannotWrite(path, e, options);
  }
  if (stat.isSymbolicLink()) {
    throw new CostbridgeError('INPUT_INVALID', `${what}${path} is a symbolic link; costbridge never writes through links (remove it or choose another path)`);
  }
  if (!stat.isFile()) throw new CostbridgeError('INPUT_INVALID', `${what}${path} exists and is not a regular file`);
  if (options.force || options.ownFirstLine(await firstLine(path))) return true;
  throw new CostbridgeError('INPUT_INVALID', `${what}${path} exists and was not written by costbridge; pass --force to replace it`);
}

async function firstLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const end = text.indexOf('\n');
    return (end === -1 ? text : text.slice(0, end)).replace(/\r$/, '');
  } finally {
    await handle.close();
  }
}

function cannotWrite(path: string, e: unknown, options: OutputFileOptions): CostbridgeError {
  const code = (e as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
  return new CostbridgeError('INPUT_INVALID', `${options.what ? `${options.what} ` : ''}cannot write ${path}: ${reason}`);
}
