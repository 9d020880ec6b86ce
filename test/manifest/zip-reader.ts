// An independent ZIP reader for the package tests: end record -> central directory -> local headers,
// inflating with node:zlib inflateRaw and checking CRC-32 and sizes.
import { crc32, inflateRawSync } from 'node:zlib';

/** One entry read back from an archive. */
export interface ReadZipEntry {
  readonly name: string;
  readonly method: number;
  readonly data: Buffer;
}

/** Reads every entry of a single-disk, non-ZIP64 archive; throws on any inconsistency. */
export function readZip(zip: Buffer): ReadZipEntry[] {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0 || endAt + 22 > zip.length) throw new Error('no end of central directory record');
  const count = zip.readUInt16LE(endAt + 10);
  const dirSize = zip.readUInt32LE(endAt + 12);
  const dirOffset = zip.readUInt32LE(endAt + 16);
  if (dirOffset + dirSize !== endAt) throw new Error('central directory does not end where the end record starts');
  const entries: ReadZipEntry[] = [];
  let pos = dirOffset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(pos) !== 0x02014b50) throw new Error(`bad central header ${i}`);
    const method = zip.readUInt16LE(pos + 10);
    const crc = zip.readUInt32LE(pos + 16);
    const compressedSize = zip.readUInt32LE(pos + 20);
    const size = zip.readUInt32LE(pos + 24);
    const nameLength = zip.readUInt16LE(pos + 28);
    const extraLength = zip.readUInt16LE(pos + 30);
    const commentLength = zip.readUInt16LE(pos + 32);
    const localAt = zip.readUInt32LE(pos + 42);
    const name = zip.toString('utf8', pos + 46, pos + 46 + nameLength);
    pos += 46 + nameLength + extraLength + commentLength;

    if (zip.readUInt32LE(localAt) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const localNameLength = zip.readUInt16LE(localAt + 26);
    const localExtraLength = zip.readUInt16LE(localAt + 28);
    if (zip.toString('utf8', localAt + 30, localAt + 30 + localNameLength) !== name) throw new Error(`local name differs for ${name}`);
    if (zip.readUInt16LE(localAt + 8) !== method || zip.readUInt32LE(localAt + 14) !== crc) throw new Error(`local header differs for ${name}`);
    const start = localAt + 30 + localNameLength + localExtraLength;
    const body = zip.subarray(start, start + compressedSize);
    let data: Buffer;
    if (method === 8) data = inflateRawSync(body);
    else if (method === 0) data = Buffer.from(body);
    else throw new Error(`unsupported method ${method} for ${name}`);
    if (data.length !== size) throw new Error(`${name}: ${data.length} bytes, header says ${size}`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    entries.push({ name, method, data });
  }
  if (pos !== endAt) throw new Error('central directory size does not match its entries');
  return entries;
}
