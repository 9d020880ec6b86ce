import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeZip } from '../../scripts/zip-archive.js';
import { readZip } from './zip-reader.js';

describe('the ZIP writer', () => {
  it('round-trips names and bytes through an independent reader (inflateRaw, CRC-32, sizes)', () => {
    const entries = [
      { name: 'manifest.json', data: Buffer.from('{"a":1}\n'.repeat(200)) },
      { name: 'empty.txt', data: Buffer.alloc(0) },
      { name: 'dir/ünïcode.bin', data: Buffer.from([0, 1, 2, 3, 255]) },
    ];
    const read = readZip(writeZip(entries));
    expect(read.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    read.forEach((e, i) => expect(e.data.equals(entries[i]!.data)).toBe(true));
    expect(read[0]!.method).toBe(8); // repetitive text is deflated
    expect(read[2]!.method).toBe(0); // five random bytes are stored: deflating would grow them
  });

  it('round-trips any set of files (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/), data: fc.uint8Array({ maxLength: 3000 }) }), {
          selector: (e) => e.name,
          maxLength: 6,
        }),
        (entries) => {
          const read = readZip(writeZip(entries));
          expect(read.map((e) => e.name)).toEqual(entries.map((e) => e.name));
          read.forEach((e, i) => expect(e.data.equals(Buffer.from(entries[i]!.data))).toBe(true));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('is reproducible: the same files give the same bytes', () => {
    const entries = [{ name: 'a.txt', data: Buffer.from('hello') }];
    expect(writeZip(entries).equals(writeZip(entries))).toBe(true);
  });

  it.each([
    ['an absolute path', '/etc/passwd'],
    ['a parent reference', '../x'],
    ['a backslash', 'a\\b'],
    ['an empty name', ''],
  ])('refuses %s as an entry name', (_what, name) => {
    expect(() => writeZip([{ name, data: Buffer.alloc(1) }])).toThrow(/relative path/);
  });

  it('refuses duplicate names', () => {
    expect(() => writeZip([{ name: 'a', data: Buffer.alloc(1) }, { name: 'a', data: Buffer.alloc(1) }])).toThrow(/duplicate ZIP entry: a/);
  });

  let hasUnzip = true;
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
  } catch {
    hasUnzip = false;
  }
  // A second, external opinion where Info-ZIP is installed (it is on the project's CI image).
  it.runIf(hasUnzip)('passes Info-ZIP `unzip -t`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'costbridge-zip-'));
    try {
      const file = join(dir, 'x.zip');
      writeFileSync(file, writeZip([{ name: 'a.txt', data: Buffer.from('hello '.repeat(100)) }, { name: 'b/c.bin', data: Buffer.from([9, 8, 7]) }]));
      const out = execFileSync('unzip', ['-t', file], { encoding: 'utf8' });
      expect(out).toContain('No errors detected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
