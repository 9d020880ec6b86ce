import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

// Export folders laid out the way the providers document them, written by the tests so every part
// is visible in code (README: "Deliveries and provider manifests" says where each shape comes from).
//
// AWS Data Exports (docs.aws.amazon.com/cur/latest/userguide/dataexports-export-delivery.html and
// dataexports-manifest.html): data in s3://<bucket>/<prefix>/<export>/data/BILLING_PERIOD=YYYY-MM/
// (plus an execution-id folder when the export "creates new" files instead of overwriting), files
// named <export>-<part>.csv.gz, and s3://<bucket>/<prefix>/<export>/metadata/BILLING_PERIOD=YYYY-MM/
// <export>-Manifest.json with executionId, exportArn, columns, dataFiles (full S3 URIs) and
// additionalOutputFiles, rewritten at each refresh.
//
// Azure Cost Management exports (learn.microsoft.com, "Tutorial: Improved exports experience", file
// partitioning and the manifest example, manifest version 2024-04-01; FinOps toolkit "About exports"
// for the folder path {path}/{export-name}/{date-range}/{export-time}/{guid}/{file}): each run's
// part_*.csv.gz files and a manifest.json with byteCount, blobCount, dataRowCount, exportConfig,
// deliveryConfig, runInfo and blobs (blobName, byteCount, dataRowCount).

/** CSV text of a header line and data lines. */
export function csvText(header: string, lines: readonly string[]): string {
  return [header, ...lines].join('\n') + '\n';
}

async function put(path: string, content: string | Buffer): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return path;
}

export interface AwsExecution {
  /** The execution id (AWS uses it as the folder name when the export creates new files). */
  readonly id: string;
  /** CSV text of each part, in part order. */
  readonly parts: readonly string[];
}

export interface AwsPeriod {
  readonly period: string;
  /** Oldest first; the manifest describes the last one (AWS rewrites it at each refresh). */
  readonly executions: readonly AwsExecution[];
}

/** Writes an AWS Data Exports folder; returns the export's root (`<dir>/<prefix>/<export>`). */
export async function writeAwsExport(
  dir: string,
  options: { exportName: string; prefix?: string; bucket?: string; layout: 'overwrite' | 'create-new'; periods: readonly AwsPeriod[] },
): Promise<string> {
  const prefix = options.prefix ?? 'billing/focus';
  const bucket = options.bucket ?? 'acme-billing-exports';
  const root = join(dir, ...prefix.split('/'), options.exportName);
  const exportArn = `arn:aws:bcm-data-exports:us-east-1:111122223333:export/${options.exportName}-${randomUUID()}`;
  for (const p of options.periods) {
    let listed: string[] = [];
    let executionId = '';
    for (const execution of p.executions) {
      executionId = execution.id;
      listed = [];
      for (let i = 0; i < execution.parts.length; i++) {
        const name = `${options.exportName}-${String(i + 1).padStart(5, '0')}.csv.gz`;
        const below = options.layout === 'create-new' ? [execution.id, name] : [name];
        await put(join(root, 'data', `BILLING_PERIOD=${p.period}`, ...below), gzipSync(execution.parts[i]!));
        listed.push(`s3://${bucket}/${prefix}/${options.exportName}/data/BILLING_PERIOD=${p.period}/${below.join('/')}`);
      }
    }
    const header = p.executions.at(-1)?.parts[0]?.split('\n')[0] ?? '';
    const manifest = {
      executionId,
      exportArn,
      columns: header.split(',').map((name) => ({ name: name.replace(/"/g, ''), type: 'string' })),
      dataFiles: listed,
      additionalOutputFiles: [],
    };
    await put(join(root, 'metadata', `BILLING_PERIOD=${p.period}`, `${options.exportName}-Manifest.json`), JSON.stringify(manifest, null, 2));
  }
  return root;
}

export interface AzureRun {
  /** `YYYY-MM`: the month the run exported (month to date). */
  readonly month: string;
  readonly submittedTime: string;
  readonly runId?: string;
  /** CSV text of each partition. */
  readonly parts: readonly string[];
  /** Overrides the data row counts the manifest states per blob (to test the check). */
  readonly statedRows?: readonly number[];
}

/** Writes an Azure Cost Management FOCUS export's runs; returns the run folders. */
export async function writeAzureExport(
  dir: string,
  options: { exportName: string; rootFolderPath?: string; runs: readonly AzureRun[] },
): Promise<string[]> {
  const rootFolderPath = options.rootFolderPath ?? 'costs/focus';
  const scope = '/providers/Microsoft.Billing/billingAccounts/8611537';
  const folders: string[] = [];
  for (const run of options.runs) {
    const [y, m] = run.month.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const range = `${run.month.replace('-', '')}01-${run.month.replace('-', '')}${String(last).padStart(2, '0')}`;
    const time = run.submittedTime.slice(0, 16).replace(/[-T:]/g, '');
    const runId = run.runId ?? randomUUID();
    const folderParts = [...rootFolderPath.split('/'), options.exportName, range, time, runId];
    const folder = join(dir, ...folderParts);
    const blobs = [];
    for (let i = 0; i < run.parts.length; i++) {
      const name = `part_${i}_0001.csv.gz`;
      const bytes = gzipSync(run.parts[i]!);
      await put(join(folder, name), bytes);
      const rows = run.parts[i]!.trimEnd().split('\n').length - 1;
      blobs.push({ blobName: [...folderParts, name].join('/'), byteCount: bytes.length, dataRowCount: run.statedRows?.[i] ?? rows });
    }
    const manifest = {
      manifestVersion: '2024-04-01',
      byteCount: blobs.reduce((n, b) => n + b.byteCount, 0),
      blobCount: blobs.length,
      dataRowCount: blobs.reduce((n, b) => n + b.dataRowCount, 0),
      exportConfig: {
        exportName: options.exportName,
        resourceId: `${scope}/providers/Microsoft.CostManagement/exports/${options.exportName}`,
        dataVersion: '1.0r2',
        apiVersion: '2023-07-01-preview',
        type: 'FocusCost',
        timeFrame: 'MonthToDate',
        granularity: 'Daily',
      },
      deliveryConfig: {
        partitionData: true,
        dataOverwriteBehavior: 'CreateNewReport',
        fileFormat: 'Csv',
        compressionMode: 'Gzip',
        containerUri: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/finops/providers/Microsoft.Storage/storageAccounts/acmecosts',
        rootFolderPath,
      },
      runInfo: {
        executionType: 'Scheduled',
        submittedTime: run.submittedTime,
        runId,
        startDate: `${run.month}-01T00:00:00`,
        endDate: `${run.month}-${String(last).padStart(2, '0')}T00:00:00Z`,
      },
      blobs,
    };
    await put(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2));
    folders.push(folder);
  }
  return folders;
}
