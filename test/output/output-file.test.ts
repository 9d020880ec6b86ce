import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { openOutputFile, writeOutputFile } from '../../src/output/output-file.js';
import { formulaSafeCsv } from '../../src/output/formula-safe-csv.js';

describe('the formula-safe CSV writer', () => {
  it('neutralizes every cell that would start a formula, keeps plain numbers, quotes per RFC 4180 with CRLF', () => {
    const csv = formulaSafeCsv([
      ['text', 'amount'],
      ['=HYPERLINK("http://evil.example","click")', '-12.50'],
      ['+1', '3'],
      ['@SUM(A1)', '-2+3'],
      ['\tTab', 'plain, with "quotes"'],
    ]);
    expect(csv.split('\r\n')[0]).toBe('text,amount');
    expect(parse(csv)).toEqual([
      ['text', 'amount'],
      ['\'=HYPERLINK("http://evil.example","click")', '-12.50'],
      ["'+1", '3'],
      ["'@SUM(A1)", "'-2+3"],
      ["'\tTab", 'plain, with "quotes"'],
    ]);
  });
});

describe('output files', () => {
  let dir: string;
  const ours = { ownFirstLine: (line: string) => line === 'a,b' };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'costbridge-out-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a new file, and replaces one it wrote earlier (recognised by its first line)', async () => {
    const path = join(dir, 'new.csv');
    await writeOutputFile(path, 'a,b\r\n1,2\r\n', ours);
    await writeOutputFile(path, 'a,b\r\n3,4\r\n', ours);
    expect(readFileSync(path, 'utf8')).toBe('a,b\r\n3,4\r\n');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('never overwrites a file costbridge did not write, unless forced', async () => {
    const path = join(dir, 'mine.csv');
    writeFileSync(path, 'my own notes\n');
    await expect(writeOutputFile(path, 'a,b\r\n', { ...ours, what: '--out' })).rejects.toThrow(
      `--out ${path} exists and was not written by costbridge; pass --force to replace it`,
    );
    expect(readFileSync(path, 'utf8')).toBe('my own notes\n');
    await writeOutputFile(path, 'a,b\r\n', { ...ours, force: true });
    expect(readFileSync(path, 'utf8')).toBe('a,b\r\n');
  });

  it('never writes through a symbolic link, even forced: the link and its target stay as they were', async () => {
    const target = join(dir, 'target.txt');
    writeFileSync(target, 'a,b\nprecious\n');
    const link = join(dir, 'link.csv');
    symlinkSync(target, link);
    for (const force of [false, true]) {
      await expect(writeOutputFile(link, 'a,b\r\nevil\r\n', { ...ours, force })).rejects.toThrow(`${link} is a symbolic link; costbridge never writes through links`);
    }
    expect(readFileSync(target, 'utf8')).toBe('a,b\nprecious\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a directory, and a link planted while the file was written is refused at commit, never followed', async () => {
    await expect(writeOutputFile(dir, 'a,b\r\n', ours)).rejects.toThrow(`${dir} exists and is not a regular file`);
    const path = join(dir, 'late.csv');
    const target = join(dir, 'late-target.txt');
    writeFileSync(target, 'untouched\n');
    const file = await openOutputFile(path, ours);
    await file.write('a,b\r\n');
    symlinkSync(target, path);
    await expect(file.commit()).rejects.toThrow('is a symbolic link');
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
    expect(existsSync(path) && lstatSync(path).isSymbolicLink()).toBe(true);
  });
});
