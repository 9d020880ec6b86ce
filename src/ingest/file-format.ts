import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { CostbridgeError } from '../domain/costbridge-error.js';

/** How a data file is encoded, decided from its first bytes rather than its name. */
export type DataFileFormat = 'csv' | 'csv.gz' | 'parquet';

/** Sniffs the format: gzip magic → csv.gz, `PAR1` → parquet, anything else → csv. */
export async function detectFileFormat(path: string): Promise<DataFileFormat> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
  try {
    // Opening a directory succeeds on Linux; reading it is what fails (EISDIR).
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(4), 0, 4, 0).catch((e: unknown) => {
      throw fileError(path, e);
    });
    if (bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return 'csv.gz';
    if (bytesRead === 4 && buffer.toString('latin1') === 'PAR1') return 'parquet';
    return 'csv';
  } catch (e) {
    throw fileError(path, e);
  } finally {
    await fh.close();
  }
}

/** SHA-256 of the file's bytes, streamed. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (e) {
    throw fileError(path, e);
  }
  return hash.digest('hex');
}

function fileError(path: string, e: unknown): CostbridgeError {
  if (e instanceof CostbridgeError) return e;
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new CostbridgeError('FILE_NOT_FOUND', `${path}: no such file`);
  if (code === 'EISDIR') return new CostbridgeError('INPUT_INVALID', `${path}: is a directory, not a file`);
  return new CostbridgeError('INPUT_INVALID', `${path}: cannot read (${(e as Error).message})`);
}

/** `costs.csv.gz` → `costs.rejected.csv`, next to the input. */
export function rejectedFilePath(path: string): string {
  const name = basename(path);
  const stem = name.replace(/\.(csv\.gz|csv|parquet|gz)$/i, '');
  return `${path.slice(0, path.length - name.length)}${stem}.rejected.csv`;
}
