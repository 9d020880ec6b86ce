import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { readCsvRecords } from '../../src/ingest/csv-records.js';

async function readAll(path: string) {
  const rows: string[][] = [];
  const lines: number[] = [];
  const problems: { line: number; reason: string }[] = [];
  for await (const b of readCsvRecords(path)) {
    rows.push(...b.rows);
    lines.push(...b.lines);
    problems.push(...b.problems);
  }
  return { rows, lines, problems };
}

const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

describe('readCsvRecords', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'costbridge-csv-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('agrees with an independent parser across 1 MB chunk boundaries, with exact start lines', async () => {
    // Multi-line quoted cells land on chunk boundaries somewhere in ~3 MB of rows.
    const cells = ['plain', 'with, comma', 'say "hi"', 'two\nlines', 'crlf\r\ninside', '', 'ünïcødé €', 'x'.repeat(5000)];
    const rows: string[][] = [];
    for (let i = 0; i < 6000; i++) rows.push([String(i), cells[i % cells.length]!, cells[(i * 7) % cells.length]!]);
    const text = 'id,a,b\n' + rows.map((r) => r.map(quote).join(',')).join('\n') + '\n';
    const path = join(dir, 'big.csv');
    await writeFile(path, text);
    const got = await readAll(path);
    const expected = parse(text) as string[][];
    expect(got.rows).toEqual(expected);
    // Start line of each record = 1 + newlines before it.
    let line = 1;
    const starts = expected.map((r) => {
      const at = line;
      line += 1 + r.join('').split('\n').length - 1;
      return at;
    });
    expect(got.lines).toEqual(starts);
  });

  it('strips a BOM, reads CRLF, skips blank lines, and reads gzip', async () => {
    const text = '\uFEFFa,b\r\n1,2\r\n\r\n"3\r\n4",5\r\n';
    const path = join(dir, 'crlf.csv.gz');
    await writeFile(path, gzipSync(text));
    const got = await readAll(path);
    expect(got.rows).toEqual([['a', 'b'], ['1', '2'], ['3\r\n4', '5']]);
    expect(got.lines).toEqual([1, 2, 4]);
  });

  it('reads a last row without a trailing newline and reports an unterminated quote', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'a,b\n1,2\n"3,4\n5,6');
    const got = await readAll(path);
    expect(got.rows[1]).toEqual(['1', '2']);
    expect(got.problems[0]).toMatchObject({ line: 3 });
    expect(got.problems[0]!.reason).toMatch(/quote/i);
  });

  it('round-trips arbitrary cells (property)', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é') , maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 20 }), async (rows) => {
        const text = 'x,y\n' + rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n';
        const path = join(dir, 'prop.csv');
        await writeFile(path, text);
        const got = await readAll(path);
        expect(got.rows.slice(1)).toEqual(rows);
      }),
      { numRuns: 60 },
    );
  });
});
