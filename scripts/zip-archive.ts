// A minimal ZIP writer (PKWARE APPNOTE 6.3: local headers, central directory, end record; deflate or
// store; no ZIP64, no encryption) on node:zlib, enough for a Teams app package.
import { crc32, deflateRawSync } from 'node:zlib';

/** One file to put in the archive: a relative path with `/` separators and its bytes. */
export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

// 1980-01-01 00:00, the earliest DOS date: a fixed time keeps the package byte-for-byte reproducible.
const dosTime = 0;
const dosDate = (0 << 9) | (1 << 5) | 1;
const utf8NameFlag = 0x0800;
const maxClassicZip = 0xffffffff;

/** Writes the entries as one ZIP archive, deflating each one unless storing is smaller. */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    checkName(entry.name, seen);
    const name = Buffer.from(entry.name, 'utf8');
    const raw = Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength);
    const deflated = deflateRawSync(raw, { level: 9 });
    const useDeflate = deflated.length < raw.length;
    const body = useDeflate ? deflated : raw;
    const crc = crc32(raw);
    if (raw.length >= maxClassicZip || body.length >= maxClassicZip) {
      throw new RangeError(`${entry.name} is too large for a ZIP without ZIP64`);
    }

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(utf8NameFlag, 6);
    local.writeUInt16LE(useDeflate ? 8 : 0, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(utf8NameFlag, 8);
    central.writeUInt16LE(useDeflate ? 8 : 0, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external: regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  if (entries.length > 0xffff) throw new RangeError('too many entries for a ZIP without ZIP64');
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, directory, end]);
}

function checkName(name: string, seen: Set<string>): void {
  if (name.length === 0 || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
    throw new RangeError(`ZIP entry name must be a relative path with / separators: ${JSON.stringify(name)}`);
  }
  if (seen.has(name)) throw new RangeError(`duplicate ZIP entry: ${name}`);
  seen.add(name);
}
