import { z } from 'zod';

// Provider manifests, read as their owners document them (fields we do not use are allowed through).
//
// AWS Data Exports (CUR 2.0 and FOCUS): `<prefix>/<export>/metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json`
// describes the files one execution of the export delivered for that billing period: `executionId`,
// `exportArn`, `columns`, `dataFiles` (full S3 URIs `s3://<bucket>/<path>/<export>-<part>.<ext>` under
// `<export>/data/BILLING_PERIOD=YYYY-MM/`, with an execution-id folder when the export creates new
// files instead of overwriting) and `additionalOutputFiles`. AWS recommends ingesting exactly the
// files the manifest lists; it is written after all of them.
//
// Azure Cost Management exports (file partitioning, manifest version 2024-04-01): each export run
// writes its `part_*` files and a `manifest.json` beside them with `byteCount`, `blobCount`,
// `dataRowCount`, `exportConfig` (`exportName`, `resourceId`, `type` such as `FocusCost`),
// `deliveryConfig`, `runInfo` (`runId`, `submittedTime`, `startDate`, `endDate`) and `blobs`
// (`blobName`, `byteCount`, `dataRowCount`). Every partition must be ingested to get the dataset.

/** The parts of an AWS Data Exports `Manifest.json` costbridge reads. */
export const awsDataExportsManifest = z.looseObject({
  executionId: z.string().optional(),
  exportArn: z.string().optional(),
  dataFiles: z.array(z.string()),
});
export type AwsDataExportsManifest = z.infer<typeof awsDataExportsManifest>;

/** The parts of an Azure Cost Management export `manifest.json` costbridge reads. */
export const azureExportManifest = z.looseObject({
  manifestVersion: z.string().optional(),
  blobCount: z.number().int().nonnegative().optional(),
  dataRowCount: z.number().int().nonnegative().optional(),
  exportConfig: z
    .looseObject({
      exportName: z.string().nullish(),
      resourceId: z.string().nullish(),
      type: z.string().nullish(),
    })
    .optional(),
  runInfo: z
    .looseObject({
      runId: z.string().nullish(),
      submittedTime: z.string().nullish(),
      startDate: z.string().nullish(),
      endDate: z.string().nullish(),
    })
    .optional(),
  blobs: z.array(
    z.looseObject({
      blobName: z.string(),
      byteCount: z.number().nullish(),
      dataRowCount: z.number().int().nonnegative().nullish(),
    }),
  ),
});
export type AzureExportManifest = z.infer<typeof azureExportManifest>;

/** `BILLING_PERIOD=2024-09` in a path, as AWS names its partitions. */
export const awsBillingPeriodPartition = /^BILLING_PERIOD=(\d{4}-\d{2})$/;

/** A one-line account of why a manifest does not parse, naming the first field that is wrong. */
export function manifestProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unreadable';
  const field = issue.path.length > 0 ? issue.path.join('.') : '(the document)';
  return `${field}: ${issue.message}`;
}
