import { describe, expect, it } from 'vitest';
import { mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { storeKinds } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { useTestWorkspace, type TestWorkspace } from '../support/test-workspace.js';
import { focusCsv, focusRows } from '../support/focus-csv.js';
import { csvText, writeAwsExport, writeAzureExport } from '../support/provider-exports.js';
import { cut, sampleLines, sampleTotalMismatches } from '../support/focus-sample.js';

const sample = sampleLines();
const linesOf = (provider: string, period: string) => sample.rows.filter((r) => r.provider === provider && r.period === period).map((r) => r.line);
const awsAccount = '1234567890123';
const azureAccount = '/providers/Microsoft.Billing/billingAccounts/8611537';

/** Synthetic rows in the sample's own column layout (the provider's export has one header for all parts). */
function synthetic(account: string, provider: string, period: string, costs: readonly string[]): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return focusCsv(
    costs.map((c, i) => ({
      ...focusRows(1)[0]!,
      BillingAccountId: account, ProviderName: provider, PublisherName: provider, InvoiceIssuerName: provider,
      BillingPeriodStart: `${period}-01T00:00:00Z`, BillingPeriodEnd: `${next}T00:00:00Z`,
      ChargePeriodStart: `${period}-0${(i % 9) + 1}T00:00:00Z`, ChargePeriodEnd: `${period}-0${(i % 9) + 1}T01:00:00Z`,
      BilledCost: c, EffectiveCost: c,
    })),
  );
}

/** Stored lines and billed total of one slice. */
async function sliceOf(ws: TestWorkspace, account: string, period: string) {
  const r = await sql<{ n: number; billed: string }>`
    SELECT count(*)::int AS n, COALESCE(sum(billed_cost), 0)::text AS billed FROM cost_line
     WHERE billing_account_id = ${account} AND billing_period_start = ${`${period}-01T00:00:00Z`}`.execute(ws.store.db);
  return { n: r.rows[0]!.n, billed: new Decimal(r.rows[0]!.billed).toString() };
}

/** An AWS bucket copy: one export that overwrites (2024-08 and the sample's AWS rows of 2024-09) and one that creates new files per execution. */
async function writeAwsBucket(dir: string): Promise<{ overwrite: string; createNew: string }> {
  const overwrite = await writeAwsExport(dir, {
    exportName: 'focus-daily',
    layout: 'overwrite',
    periods: [
      { period: '2024-08', executions: [{ id: 'a1f0c9e2-08aa-4c1e-9d5e-2f4c1b7a0001', parts: [synthetic(awsAccount, 'AWS', '2024-08', ['1.5', '2.25']), synthetic(awsAccount, 'AWS', '2024-08', ['3'])] }] },
      {
        period: '2024-09',
        executions: [{ id: 'a1f0c9e2-09aa-4c1e-9d5e-2f4c1b7a0002', parts: cut(linesOf('AWS', '2024-09'), [300, 650]).map((p) => csvText(sample.header, p)) }],
      },
    ],
  });
  // A part that no manifest lists (a leftover of an earlier refresh): importing it would count rows twice.
  await writeFile(join(overwrite, 'data', 'BILLING_PERIOD=2024-09', 'focus-daily-00004.csv.gz'), gzipSync(csvText(sample.header, linesOf('AWS', '2024-09').slice(0, 50))));
  const createNew = await writeAwsExport(dir, {
    exportName: 'focus-history',
    layout: 'create-new',
    periods: ['2024-07', '2024-08'].map((period) => ({
      period,
      executions: [
        { id: `20240${period.slice(-1)}05T010203Z-3b9d1f6e-old`, parts: [synthetic('HIST-1', 'AWS', period, ['1', '1', '1'])] },
        { id: `20240${period.slice(-1)}06T010203Z-3b9d1f6e-new`, parts: [synthetic('HIST-1', 'AWS', period, ['2', '2']), synthetic('HIST-1', 'AWS', period, ['2', '2.5'])] },
      ],
    })),
  });
  return { overwrite, createNew };
}

async function writeAzureContainer(dir: string): Promise<string[]> {
  const microsoft = linesOf('Microsoft', '2024-09');
  return writeAzureExport(dir, {
    exportName: 'focus-costs',
    runs: [
      // An earlier month-to-date run of September, superseded by the later one.
      { month: '2024-09', submittedTime: '2024-10-02T06:12:44.1234567Z', parts: [csvText(sample.header, microsoft.slice(0, 20))] },
      { month: '2024-09', submittedTime: '2024-10-05T06:10:03.5234447Z', parts: cut(microsoft, [30]).map((p) => csvText(sample.header, p)) },
      { month: '2024-10', submittedTime: '2024-11-03T06:01:00.0000000Z', parts: [synthetic(azureAccount, 'Microsoft', '2024-10', ['4', '5', '6'])] },
    ],
  });
}

const deliveriesOf = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l));

describe.each(storeKinds)('AWS Data Exports folders on %s', (kind) => {
  const ws = useTestWorkspace(kind);

  it('a listed file that is missing refuses only its billing period', async () => {
    const { overwrite } = await writeAwsBucket(join(ws.dir, 'broken'));
    await unlink(join(overwrite, 'data', 'BILLING_PERIOD=2024-09', 'focus-daily-00002.csv.gz'));
    const run = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'broken'), '--json');
    expect(run.code).toBe(1);
    const manifest = join(overwrite, 'metadata', 'BILLING_PERIOD=2024-09', 'focus-daily-Manifest.json');
    expect(run.stderr).toContain(
      `costbridge: ${manifest} lists 1 file(s) that are missing: data/BILLING_PERIOD=2024-09/focus-daily-00002.csv.gz; nothing imported for billing period 2024-09`,
    );
    expect(run.stderr).toContain('costbridge: 1 of 4 deliveries were not imported');
    const out = deliveriesOf(run.stdout);
    expect(out.map((d) => [d.manifest.billingPeriod, d.manifest.exportName, d.status])).toEqual([
      ['2024-08', 'focus-daily', 'imported'],
      ['2024-09', 'focus-daily', 'refused'],
      ['2024-07', 'focus-history', 'imported'],
      ['2024-08', 'focus-history', 'imported'],
    ]);
    expect(await sliceOf(ws, awsAccount, '2024-09')).toEqual({ n: 0, billed: '0' });
    expect(await sliceOf(ws, awsAccount, '2024-08')).toEqual({ n: 3, billed: '6.75' });
  });

  it('imports exactly the files each manifest lists; the newest execution wins and stray files are ignored with a warning', async () => {
    const { overwrite, createNew } = await writeAwsBucket(join(ws.dir, 'bucket'));
    const run = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'bucket'), '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('ignored 3 file(s) no manifest lists');
    expect(run.stderr).toContain('focus-daily-00004.csv.gz');
    expect(run.stderr).toContain('BILLING_PERIOD=2024-07/20240705T010203Z-3b9d1f6e-old/focus-history-00001.csv.gz');
    const out = deliveriesOf(run.stdout);
    expect(out).toHaveLength(4);
    const september = out.find((d) => d.manifest.billingPeriod === '2024-09');
    expect(september).toMatchObject({
      status: 'imported', mode: 'replace', rows: 942,
      manifest: { provider: 'aws', exportName: 'focus-daily', execution: 'a1f0c9e2-09aa-4c1e-9d5e-2f4c1b7a0002', path: join(overwrite, 'metadata', 'BILLING_PERIOD=2024-09', 'focus-daily-Manifest.json') },
    });
    expect(september.files.map((f: { file: string }) => f.file)).toEqual(
      [1, 2, 3].map((n) => join(overwrite, 'data', 'BILLING_PERIOD=2024-09', `focus-daily-0000${n}.csv.gz`)),
    );
    expect(await sampleTotalMismatches(ws.store, ['AWS'], ['2024-09-01'])).toEqual([]);
    expect(await sliceOf(ws, awsAccount, '2024-08')).toEqual({ n: 3, billed: '6.75' });
    for (const period of ['2024-07', '2024-08']) {
      const d = out.find((x) => x.manifest.exportName === 'focus-history' && x.manifest.billingPeriod === period);
      expect(d.files.map((f: { file: string }) => f.file)).toEqual(
        [1, 2].map((n) => join(createNew, 'data', `BILLING_PERIOD=${period}`, `20240${period.slice(-1)}06T010203Z-3b9d1f6e-new`, `focus-history-0000${n}.csv.gz`)),
      );
      expect(await sliceOf(ws, 'HIST-1', period)).toEqual({ n: 4, billed: '8.5' });
    }
    // The same bucket again: every delivery is unchanged.
    const again = deliveriesOf((await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'bucket'), '--json')).stdout);
    expect(again.map((d) => d.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('takes a manifest named directly as its delivery', async () => {
    const { overwrite } = await writeAwsBucket(join(ws.dir, 'direct'));
    const manifest = join(overwrite, 'metadata', 'BILLING_PERIOD=2024-08', 'focus-daily-Manifest.json');
    const run = await cli(ws.tdb, 'import', 'focus', manifest, '--json');
    expect(run.code).toBe(0);
    expect(deliveriesOf(run.stdout)[0]).toMatchObject({ manifest: { provider: 'aws', billingPeriod: '2024-08' } });
    const bad = join(ws.dir, 'direct-bad', 'metadata', 'BILLING_PERIOD=2024-08', 'x-Manifest.json');
    await mkdir(join(bad, '..'), { recursive: true });
    await writeFile(bad, '{"dataFiles": "not a list"}');
    const refused = await cli(ws.tdb, 'import', 'focus', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}: not an AWS Data Exports manifest (dataFiles:`);
  });
});

describe.each(storeKinds)('Azure Cost Management export folders on %s', (kind) => {
  const ws = useTestWorkspace(kind);

  it('imports the newest run per month with its listed partitions, checks their row counts, and warns about the rest', async () => {
    const [older, newest, october] = await writeAzureContainer(join(ws.dir, 'container'));
    await writeFile(join(newest!, 'part_7_0001.csv.gz'), gzipSync(csvText(sample.header, linesOf('Microsoft', '2024-09').slice(0, 3))));
    const run = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'container'), '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`newest of 2 runs of export focus-costs for 2024-09; ignored the older run(s) ${older}`);
    expect(run.stderr).toContain('ignored 2 file(s) no manifest lists');
    expect(run.stderr).toContain('part_7_0001.csv.gz');
    const out = deliveriesOf(run.stdout);
    expect(out.map((d) => [d.manifest.provider, d.manifest.billingPeriod, d.status, d.rows])).toEqual([
      ['azure', '2024-09', 'imported', 51],
      ['azure', '2024-10', 'imported', 3],
    ]);
    expect(out[0].files.map((f: { file: string }) => f.file)).toEqual([join(newest!, 'part_0_0001.csv.gz'), join(newest!, 'part_1_0001.csv.gz')]);
    expect(out[1].manifest.path).toBe(join(october!, 'manifest.json'));
    expect(await sampleTotalMismatches(ws.store, ['Microsoft'], ['2024-09-01'])).toEqual([]);
    expect(await sliceOf(ws, azureAccount, '2024-10')).toEqual({ n: 3, billed: '15' });
  });

  it('refuses a run whose partition has another row count than its manifest states, or whose partition is missing', async () => {
    const [wrongCount] = await writeAzureExport(join(ws.dir, 'counts'), {
      exportName: 'focus-costs',
      runs: [{ month: '2024-10', submittedTime: '2024-11-04T06:00:00Z', parts: [synthetic(azureAccount, 'Microsoft', '2024-10', ['7', '7'])], statedRows: [3] }],
    });
    const run = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'counts'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${join(wrongCount!, 'part_0_0001.csv.gz')}: the manifest says 3 data row(s), the file has 2; nothing imported`);
    expect(await sliceOf(ws, azureAccount, '2024-10')).toEqual({ n: 3, billed: '15' });

    const [missing] = await writeAzureExport(join(ws.dir, 'missing'), {
      exportName: 'focus-costs',
      runs: [{ month: '2024-10', submittedTime: '2024-11-04T06:00:00Z', parts: [synthetic(azureAccount, 'Microsoft', '2024-10', ['1']), synthetic(azureAccount, 'Microsoft', '2024-10', ['1'])] }],
    });
    await rm(join(missing!, 'part_1_0001.csv.gz'));
    const gone = await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'missing'));
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`${join(missing!, 'manifest.json')} lists 1 blob(s) that are missing beside it: part_1_0001.csv.gz; nothing imported from this run`);
    expect(await sliceOf(ws, azureAccount, '2024-10')).toEqual({ n: 3, billed: '15' });
  });
});

describe.each(storeKinds)('a whole sample delivered the providers\' ways on %s', (kind) => {
  const ws = useTestWorkspace(kind);

  it('AWS and Azure folders plus Oracle\'s incremental files give exactly the sample totals', async () => {
    await writeAwsBucket(join(ws.dir, 'aws'));
    await writeAzureContainer(join(ws.dir, 'azure'));
    const oci = join(ws.dir, 'oci', 'FOCUS Reports', '2024');
    await mkdir(join(oci, '09'), { recursive: true });
    await mkdir(join(oci, '10'), { recursive: true });
    const oracle09 = linesOf('Oracle', '2024-09');
    await writeFile(join(oci, '09', '0001.csv.gz'), gzipSync(csvText(sample.header, oracle09.slice(0, 4))));
    await writeFile(join(oci, '09', '0002.csv.gz'), gzipSync(csvText(sample.header, oracle09.slice(4))));
    await writeFile(join(oci, '10', '0001.csv.gz'), gzipSync(csvText(sample.header, linesOf('Oracle', '2024-10'))));
    expect((await cli(ws.tdb, 'import', 'focus', join(ws.dir, 'aws'), join(ws.dir, 'azure'))).code).toBe(0);
    for (const f of ['09/0001.csv.gz', '09/0002.csv.gz', '10/0001.csv.gz']) {
      expect((await cli(ws.tdb, 'import', 'focus', join(oci, f), '--mode', 'append')).code).toBe(0);
    }
    // Every (period, provider) total of the sample's README; the exports' own extra months aside.
    expect(await sampleTotalMismatches(ws.store, ['AWS', 'Oracle'])).toEqual([]);
    expect(await sampleTotalMismatches(ws.store, ['Microsoft'], ['2024-09-01'])).toEqual([]);
  });
});
