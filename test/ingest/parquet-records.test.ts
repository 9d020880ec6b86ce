import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import type { RecordBatch } from '../../src/ingest/csv-records.js';
import { formatDecimal, isParquet, readParquetRecords, unscaledOf } from '../../src/ingest/parquet-records.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'costbridge-parquet-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Column = { name: string; data: unknown[]; offsetIndex?: boolean };
// hyparquet-writer bundles its own hyparquet types: use its schema element type.
type SchemaElement = NonNullable<Parameters<typeof parquetWriteFile>[0]['schema']>[number];

/** Writes a Parquet file with an explicit schema (flat list, root first). */
function write(name: string, columns: Column[], schema: SchemaElement[], rowGroupSize?: number, pageSize?: number): string {
  const filename = join(dir, name);
  parquetWriteFile({
    filename,
    columnData: columns.map((c) => ({ name: c.name, data: c.data as unknown[], ...(c.offsetIndex === false ? { offsetIndex: false } : {}) })),
    schema: [{ name: 'root', num_children: columns.length }, ...schema],
    ...(rowGroupSize ? { rowGroupSize } : {}),
    ...(pageSize ? { pageSize } : {}),
  });
  return filename;
}

async function collect(path: string, batchRows?: number): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const b of readParquetRecords(path, batchRows ? { batchRows } : {})) batches.push(b);
  return batches;
}

const allRows = (batches: RecordBatch[]) => batches.flatMap((b) => b.rows);
const allLines = (batches: RecordBatch[]) => batches.flatMap((b) => b.lines);

/** Big-endian two's complement of `value` in `length` bytes (FIXED_LEN_BYTE_ARRAY decimals). */
function twosComplement(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = BigInt.asUintN(length * 8, value);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

describe('formatDecimal / unscaledOf', () => {
  it('formats unscaled integers exactly', () => {
    expect(formatDecimal(12345n, 4)).toBe('1.2345');
    expect(formatDecimal(-12345n, 4)).toBe('-1.2345');
    expect(formatDecimal(1n, 4)).toBe('0.0001');
    expect(formatDecimal(-1n, 4)).toBe('-0.0001');
    expect(formatDecimal(0n, 2)).toBe('0.00');
    expect(formatDecimal(1000n, 2)).toBe('10.00');
    expect(formatDecimal(42n, 0)).toBe('42');
    expect(formatDecimal(-42n, 0)).toBe('-42');
    expect(formatDecimal(42n, -2)).toBe('4200');
    expect(formatDecimal(12345678901234567890123456789012345678n, 10)).toBe('1234567890123456789012345678.9012345678');
  });

  it('reads INT32, INT64 and two’s-complement byte decimals', () => {
    expect(unscaledOf(-7)).toBe(-7n);
    expect(unscaledOf(2n ** 62n)).toBe(2n ** 62n);
    expect(unscaledOf(new Uint8Array([0x30, 0x39]))).toBe(12345n);
    expect(unscaledOf(new Uint8Array([0xff]))).toBe(-1n);
    expect(unscaledOf(new Uint8Array([0x80, 0x00]))).toBe(-32768n);
    expect(unscaledOf(new Uint8Array([]))).toBe(0n);
    expect(unscaledOf(twosComplement(-(10n ** 37n) + 3n, 16))).toBe(-(10n ** 37n) + 3n);
  });
});

describe('readParquetRecords', () => {
  it('reads a FOCUS-like file as exact strings, header first, one batch per row group', async () => {
    const path = write(
      'focus.parquet',
      [
        { name: 'BillingAccountId', data: ['acct-1', 'acct-2', null, 'acct-4', 'acct-5'] },
        // decimal(18,4) as INT64: 1.2345, 0.0001, null, -1.2345, 0.0000
        { name: 'BilledCost', data: [12345n, 1n, null, -12345n, 0n] },
        // decimal(9,2) as INT32
        { name: 'EffectiveCost', data: [1999n, -5n, null, 0n, 100n] },
        // decimal(38,10) as FIXED_LEN_BYTE_ARRAY(16), the pyarrow decimal128 layout
        {
          name: 'ListCost',
          data: [
            twosComplement(12345678901234567890123456789012345678n, 16),
            twosComplement(-1n, 16),
            null,
            twosComplement(-(10n ** 37n), 16),
            twosComplement(30000000000n, 16),
          ],
        },
        { name: 'PricingQuantity', data: [0.1, 1e-7, null, 123456.789, -2.5] },
        {
          name: 'ChargePeriodStart',
          data: [
            1_704_067_200_000_000n, // 2024-01-01T00:00:00Z in micros
            1_704_070_800_123_000n,
            null,
            0n,
            1_706_745_599_999_000n,
          ],
        },
        { name: 'BillingPeriodStart', data: [new Date('2024-01-01T00:00:00Z'), null, null, new Date(0), new Date('2024-02-29T00:00:00Z')] },
        {
          name: 'Tags',
          data: [{ env: 'prod', team: 'data' }, {}, null, { 'cost-center': '42', empty: null }, { 'ünï': 'cödé' }],
        },
      ],
      [
        { name: 'BillingAccountId', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'BilledCost', type: 'INT64', converted_type: 'DECIMAL', scale: 4, precision: 18, repetition_type: 'OPTIONAL' },
        { name: 'EffectiveCost', type: 'INT32', converted_type: 'DECIMAL', scale: 2, precision: 9, repetition_type: 'OPTIONAL' },
        {
          name: 'ListCost',
          type: 'FIXED_LEN_BYTE_ARRAY',
          type_length: 16,
          logical_type: { type: 'DECIMAL', scale: 10, precision: 38 },
          repetition_type: 'OPTIONAL',
        },
        { name: 'PricingQuantity', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
        {
          name: 'ChargePeriodStart',
          type: 'INT64',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
          repetition_type: 'OPTIONAL',
        },
        { name: 'BillingPeriodStart', type: 'INT32', converted_type: 'DATE', repetition_type: 'OPTIONAL' },
        { name: 'Tags', converted_type: 'MAP', num_children: 1, repetition_type: 'OPTIONAL' },
        { name: 'key_value', num_children: 2, repetition_type: 'REPEATED' },
        { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'value', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ],
      2,
    );

    const batches = await collect(path);
    expect(batches.map((b) => b.rows.length)).toEqual([3, 2, 1]); // header + 2, 2, 1
    expect(batches.map((b) => b.lines)).toEqual([[0, 1, 2], [3, 4], [5]]);
    expect(batches.every((b) => b.problems.length === 0)).toBe(true);
    expect(allRows(batches)).toEqual([
      ['BillingAccountId', 'BilledCost', 'EffectiveCost', 'ListCost', 'PricingQuantity', 'ChargePeriodStart', 'BillingPeriodStart', 'Tags'],
      [
        'acct-1', '1.2345', '19.99', '1234567890123456789012345678.9012345678', '0.1',
        '2024-01-01T00:00:00.000Z', '2024-01-01', '{"env":"prod","team":"data"}',
      ],
      ['acct-2', '0.0001', '-0.05', '-0.0000000001', '1e-7', '2024-01-01T01:00:00.123Z', '', '{}'],
      ['', '', '', '', '', '', '', ''],
      ['acct-4', '-1.2345', '0.00', '-1000000000000000000000000000.0000000000', '123456.789', '1970-01-01T00:00:00.000Z', '1970-01-01', '{"cost-center":"42","empty":null}'],
      ['acct-5', '0.0000', '1.00', '3.0000000000', '-2.5', '2024-01-31T23:59:59.999Z', '2024-02-29', '{"ünï":"cödé"}'],
    ]);
  });

  it('renders other types: booleans, integers, floats, JSON, lists, structs, byte-array decimals, raw bytes', async () => {
    const enc = new TextEncoder();
    const path = write(
      'types.parquet',
      [
        { name: 'flag', data: [true, false, null] },
        { name: 'count', data: [9007199254740993n, -1n, null] },
        { name: 'ratio', data: [0.1, 3.5, null] },
        // JSON kept verbatim (a parse/stringify round trip would round the big number)
        { name: 'meta', data: [enc.encode('{"big": 12345678901234567890}'), enc.encode('[1,"a"]'), null] },
        { name: 'zones', data: [['eu-west-1a', 'eu-west-1b'], [], null] },
        { name: 'commitment', data: [{ amount: 150n, unit: 'USD', at: new Date('2024-03-01T12:00:00Z') }, { amount: null, unit: null, at: null }, null] },
        // decimal stored as a variable-length BYTE_ARRAY: forces raw (non-utf8) byte arrays
        { name: 'credit', data: [new Uint8Array([0x30, 0x39]), new Uint8Array([0xff, 0x85]), null] },
        // an unannotated BYTE_ARRAY is still text
        { name: 'note', data: [enc.encode('héllo'), enc.encode(''), null] },
        { name: 'usage_time', data: [3_723_004_000n, 0n, null] },
      ],
      [
        { name: 'flag', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
        { name: 'count', type: 'INT64', repetition_type: 'OPTIONAL' },
        { name: 'ratio', type: 'FLOAT', repetition_type: 'OPTIONAL' },
        { name: 'meta', type: 'BYTE_ARRAY', logical_type: { type: 'JSON' }, repetition_type: 'OPTIONAL' },
        { name: 'zones', converted_type: 'LIST', num_children: 1, repetition_type: 'OPTIONAL' },
        { name: 'list', num_children: 1, repetition_type: 'REPEATED' },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'commitment', num_children: 3, repetition_type: 'OPTIONAL' },
        { name: 'amount', type: 'INT64', converted_type: 'DECIMAL', scale: 2, precision: 18, repetition_type: 'OPTIONAL' },
        { name: 'unit', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'at', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'OPTIONAL' },
        { name: 'credit', type: 'BYTE_ARRAY', logical_type: { type: 'DECIMAL', scale: 2, precision: 10 }, repetition_type: 'OPTIONAL' },
        { name: 'note', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
        { name: 'usage_time', type: 'INT64', logical_type: { type: 'TIME', isAdjustedToUTC: true, unit: 'MICROS' }, repetition_type: 'OPTIONAL' },
      ],
    );

    const rows = allRows(await collect(path));
    expect(rows).toEqual([
      ['flag', 'count', 'ratio', 'meta', 'zones', 'commitment', 'credit', 'note', 'usage_time'],
      [
        'true', '9007199254740993', '0.1', '{"big": 12345678901234567890}', '["eu-west-1a","eu-west-1b"]',
        '{"amount":"1.50","unit":"USD","at":"2024-03-01T12:00:00.000Z"}', '123.45', 'héllo', '01:02:03.004',
      ],
      ['false', '-1', '3.5', '[1,"a"]', '[]', '{"amount":null,"unit":null,"at":null}', '-1.23', '', '00:00:00'],
      ['', '', '', '', '', '', '', '', ''],
    ]);
  });

  it('yields just the header for a file without rows', async () => {
    const path = write('empty.parquet', [{ name: 'BilledCost', data: [] }, { name: 'Tags', data: [] }], [
      { name: 'BilledCost', type: 'INT64', converted_type: 'DECIMAL', scale: 2, precision: 18, repetition_type: 'OPTIONAL' },
      { name: 'Tags', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ]);
    const batches = await collect(path);
    expect(batches).toEqual([{ rows: [['BilledCost', 'Tags']], lines: [0], problems: [] }]);
  });

  it.each([
    ['with offset indexes', true],
    ['without offset indexes', false],
  ])('splits a row group bigger than the batch size into bounded slices (%s)', async (_, offsetIndex) => {
    const n = 12_345;
    const ids = Array.from({ length: n }, (_, i) => `row-${i}`);
    const costs = Array.from({ length: n }, (_, i) => BigInt(i) * 7n - 1000n);
    const tags = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : { env: i % 2 ? 'prod' : 'dev', n: String(i) }));
    const zones = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? [] : [`z${i}`, `y${i}`]));
    const schema: SchemaElement[] = [
      { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'Tags', converted_type: 'MAP', num_children: 1, repetition_type: 'OPTIONAL' },
      { name: 'key_value', num_children: 2, repetition_type: 'REPEATED' },
      { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'value', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'cost', type: 'INT64', converted_type: 'DECIMAL', scale: 3, precision: 18, repetition_type: 'REQUIRED' },
      { name: 'zones', converted_type: 'LIST', num_children: 1, repetition_type: 'OPTIONAL' },
      { name: 'list', num_children: 1, repetition_type: 'REPEATED' },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ];
    const path = write(
      `one-group-${offsetIndex}.parquet`,
      [
        { name: 'id', data: ids, offsetIndex },
        { name: 'Tags', data: tags, offsetIndex },
        { name: 'cost', data: costs, offsetIndex },
        { name: 'zones', data: zones, offsetIndex },
      ],
      schema,
      n,
      4_096, // small pages, so that offset indexes have several pages to choose from
    );
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
    expect(metadata.row_groups).toHaveLength(1);
    expect(metadata.row_groups[0]!.columns.every((c) => Boolean(c.offset_index_length))).toBe(offsetIndex);

    const batches = await collect(path, 5_000);
    // 12,345 rows in 3 equal slices (plus the header in the first batch)
    expect(batches.map((b) => b.rows.length)).toEqual([4_116, 4_115, 4_115]);
    expect(allLines(batches)).toEqual(Array.from({ length: n + 1 }, (_, i) => i));
    const rows = allRows(batches);
    expect(rows[0]).toEqual(['id', 'Tags', 'cost', 'zones']);
    for (let i = 0; i < n; i++) {
      expect(rows[i + 1]).toEqual([
        ids[i],
        tags[i] ? JSON.stringify(tags[i]) : '',
        formatDecimal(costs[i]!, 3),
        JSON.stringify(zones[i]),
      ]);
    }
  });

  it('reads 200,000 rows with memory bounded by a batch, not by the file', async () => {
    const n = 200_000;
    const path = writeLargeFocusFile('large.parquet', n);

    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };

    // Warm up (compiled code, lazily built state), then stream: the live heap while holding one batch.
    for await (const batch of readParquetRecords(path)) expect(batch.rows.length).toBeGreaterThan(0);
    const base = heap();
    let peak = 0;
    const sizes: number[] = [];
    let count = 0;
    let lastLine = 0;
    for await (const batch of readParquetRecords(path)) {
      peak = Math.max(peak, heap() - base);
      sizes.push(batch.rows.length);
      count += batch.rows.length;
      lastLine = batch.lines.at(-1)!;
    }
    expect(count).toBe(n + 1);
    expect(lastLine).toBe(n);
    // hyparquet-writer's default row groups are 1,000 then 100,000 rows: the big ones come in halves.
    expect(sizes).toEqual([1_001, 50_000, 50_000, 49_500, 49_500]);

    // The whole file decoded at once, for scale.
    const before = heap();
    const everything = await collect(path);
    const decoded = heap() - before;
    expect(allRows(everything)[n]).toEqual([
      `account-${(n - 1) % 97}`,
      `arn:aws:ec2:eu-west-1:123456789012:instance/i-${(n - 1).toString(16).padStart(17, '0')}`,
      formatDecimal(BigInt(n - 1) * 12345n, 6),
      String((n - 1) / 7),
      new Date(Date.UTC(2024, 0, 1) + ((n - 1) % 744) * 3_600_000).toISOString(),
    ]);
    // One batch holds at most 50,000 of the 200,000 rows.
    expect(peak).toBeLessThan(decoded / 3);
  });

  it('rejects a file that is not Parquet, naming it', async () => {
    const path = join(dir, 'costs.parquet');
    await writeFile(path, 'BillingAccountId,BilledCost\nacct-1,1.00\n');
    expect(await isParquet(path)).toBe(false);
    await expect(collect(path)).rejects.toThrow(`${path}: not a Parquet file`);
  });

  it('rejects a truncated Parquet file, naming it', async () => {
    const good = write('good.parquet', [{ name: 'a', data: ['x', 'y'] }], [
      { name: 'a', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ]);
    expect(await isParquet(good)).toBe(true);
    const bytes = await readFile(good);
    const path = join(dir, 'truncated.parquet');
    await writeFile(path, bytes.subarray(0, bytes.length - 10));
    await expect(collect(path)).rejects.toThrow(new RegExp(`^${escape(path)}: invalid Parquet file`));
  });

  it('rejects a Parquet file whose data pages are corrupt, naming it and the rows', async () => {
    const good = write('to-corrupt.parquet', [{ name: 'a', data: Array.from({ length: 100 }, (_, i) => `value-${i}`) }], [
      { name: 'a', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    ]);
    const bytes = Buffer.from(await readFile(good));
    // Overwrite the data right after the PAR1 magic (the first page header) with garbage.
    bytes.fill(0xff, 4, 40);
    const path = join(dir, 'corrupt.parquet');
    await writeFile(path, bytes);
    await expect(collect(path)).rejects.toThrow(new RegExp(`^${escape(path)}: cannot decode rows 1–100`));
  });

  it('reports a missing file as not found', async () => {
    const path = join(dir, 'missing.parquet');
    await expect(collect(path)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: `${path}: no such file` });
  });
});

/** Kept out of the test's frame so none of the source arrays stay reachable while heap is measured. */
function writeLargeFocusFile(name: string, n: number, rowGroupSize?: number): string {
  return write(
    name,
    [
      { name: 'BillingAccountId', data: Array.from({ length: n }, (_, i) => `account-${i % 97}`) },
      { name: 'ResourceId', data: Array.from({ length: n }, (_, i) => `arn:aws:ec2:eu-west-1:123456789012:instance/i-${i.toString(16).padStart(17, '0')}`) },
      { name: 'BilledCost', data: Array.from({ length: n }, (_, i) => BigInt(i) * 12345n) },
      { name: 'PricingQuantity', data: Array.from({ length: n }, (_, i) => i / 7) },
      { name: 'ChargePeriodStart', data: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1) + (i % 744) * 3_600_000)) },
    ],
    [
      { name: 'BillingAccountId', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'ResourceId', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'BilledCost', type: 'INT64', converted_type: 'DECIMAL', scale: 6, precision: 18, repetition_type: 'REQUIRED' },
      { name: 'PricingQuantity', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      { name: 'ChargePeriodStart', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'REQUIRED' },
    ],
    rowGroupSize,
  );
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
