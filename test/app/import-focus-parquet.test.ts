import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { parquetWriteFile } from 'hyparquet-writer';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { focusColumns } from '../../src/domain/focus-columns.js';
import { storeKinds } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { useTestWorkspace } from '../support/test-workspace.js';

const sample = fileURLToPath(new URL('../fixtures/focus-1.0-sample/focus_sample.csv', import.meta.url));
type SchemaElement = NonNullable<Parameters<typeof parquetWriteFile>[0]['schema']>[number];
const scale = 15;

/** The sample as a Parquet file the way exporters write it: costs as DECIMAL(38,15), text as UTF8. */
async function sampleAsParquet(path: string): Promise<void> {
  const rows = parse(await readFile(sample), { columns: true }) as Record<string, string>[];
  const names = Object.keys(rows[0]!);
  const decimalColumns = new Set(focusColumns.filter((c) => c.type === 'decimal').map((c) => c.name));
  const cell = (v: string) => (v === 'NULL' || v === '' ? null : v);
  const columnData = names.map((name) => ({
    name,
    data: rows.map((r) => {
      const v = cell(r[name]!);
      if (v === null || !decimalColumns.has(name)) return v;
      return BigInt(new Decimal(v).times(new Decimal(10).pow(scale)).toFixed(0));
    }),
  }));
  const schema: SchemaElement[] = names.map((name) =>
    decimalColumns.has(name)
      ? { name, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, converted_type: 'DECIMAL', scale, precision: 38, repetition_type: 'OPTIONAL' }
      : { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  );
  parquetWriteFile({ filename: path, columnData, schema: [{ name: 'root', num_children: names.length }, ...schema], rowGroupSize: 300 });
}

describe.each(storeKinds)('import focus from Parquet on %s', (kind) => {
  const ws = useTestWorkspace(kind);

  it('imports the sample written as Parquet with the same exact totals as the CSV', async () => {
    const path = join(ws.dir, 'sample.parquet');
    await sampleAsParquet(path);
    const run = await cli(ws.tdb, 'import', 'focus', path, '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ status: 'imported', rows: 1000, rejected: 0, files: [{ format: 'parquet', focusVersion: '1.0', rows: 1000 }] });
    expect(new Decimal(out.totals.billedCost).eq('20.52022672899')).toBe(true);
    expect(new Decimal(out.totals.effectiveCost).eq('14.97651418586')).toBe(true);
  });

  it('names the row and column of an invalid Parquet cell', async () => {
    const path = join(ws.dir, 'bad.parquet');
    const header = ['BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargePeriodStart', 'ChargePeriodEnd', 'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'ServiceCategory', 'ServiceName'];
    const good = ['1', 'A', 'A', 'USD', '2024-09-01T00:00:00Z', '2024-10-01T00:00:00Z', 'Usage', null, 'x', '2024-09-01T00:00:00Z', '2024-09-02T00:00:00Z', '1', '1', 'P', '1', '1', 'h', 'P', 'P', 'Compute', 'VM'];
    const bad = [...good];
    bad[6] = 'Refund';
    parquetWriteFile({
      filename: path,
      columnData: header.map((name, i) => ({ name, data: [good[i], bad[i]], type: 'STRING' as const })),
    });
    const run = await cli(ws.tdb, 'import', 'focus', path);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path}: row 2: ChargeCategory: must be one of Usage, Purchase, Tax, Credit, Adjustment; got "Refund"`);
  });

  it('refuses a string that is not valid UTF-8, naming row and column, and stores nothing', async () => {
    const path = join(ws.dir, 'bad-utf8.parquet');
    const header = ['BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargePeriodStart', 'ChargePeriodEnd', 'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'ServiceCategory', 'ServiceName'];
    const good = ['1', 'PQ-UTF8', 'A', 'USD', '2024-09-01T00:00:00Z', '2024-10-01T00:00:00Z', 'Usage', null, 'x', '2024-09-01T00:00:00Z', '2024-09-02T00:00:00Z', '1', '1', 'P', '1', '1', 'h', 'P', 'P', 'Compute', 'VM'];
    const description = [new TextEncoder().encode('café'), Uint8Array.from([0x63, 0x61, 0x66, 0xe9])];
    parquetWriteFile({
      filename: path,
      columnData: header.map((name, i) =>
        name === 'ChargeDescription'
          ? { name, data: description, type: 'BYTE_ARRAY' as const }
          : { name, data: [good[i], good[i]], type: 'STRING' as const },
      ),
    });
    const run = await cli(ws.tdb, 'import', 'focus', path);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`costbridge: ${path}: row 2: ChargeDescription: the text is not valid UTF-8 (bytes 63 61 66 E9); nothing imported\n`);
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cost_line WHERE billing_account_id = 'PQ-UTF8'`.execute(ws.store.db);
    expect(stored.rows[0]!.n).toBe(0);
  });
});
