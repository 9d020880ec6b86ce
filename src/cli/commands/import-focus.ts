import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { importFocus, type FocusDeliveryResult, type LoadedTotals } from '../../app/import-focus.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { parseTextEncoding, textEncodings } from '../../ingest/text-decoding.js';

/** `costbridge import focus PATH...`: loads FOCUS exports as deliveries, each all-or-nothing. */
export function registerImportFocus(importCommand: Command, ctx: CliContext): void {
  importCommand
    .command('focus')
    .description(
      'import FOCUS 1.0-1.3 exports (CSV, CSV.gz, Parquet; files or folders, AWS and Azure export manifests) as one delivery: each billing account and period it touches is replaced once',
    )
    .argument('<paths...>', 'FOCUS export files or folders')
    .addOption(
      new Option('--mode <mode>', 'replace: the delivery restates the slices it touches; append: its rows are added (incremental providers such as Oracle)')
        .choices(['replace', 'append'])
        .default('replace'),
    )
    .option('--encoding <encoding>', `text encoding of CSV files: ${textEncodings.join(', ')} (default utf-8; a byte-order mark wins)`)
    .option('--skip-invalid', 'store the valid rows and write rejected ones, with reasons, to FILE.rejected.csv')
    .option('--force', 'with --skip-invalid: replace a FILE.rejected.csv that costbridge did not write')
    .option('--as <user>', 'who the import is recorded as in the audit log')
    .option('--json', 'print one JSON object per delivery on stdout')
    .action(async (paths: string[], opts: { mode: 'replace' | 'append'; encoding?: string; skipInvalid?: boolean; force?: boolean; as?: string; json?: boolean }) => {
      const encoding = opts.encoding === undefined ? undefined : parseTextEncoding(opts.encoding);
      if (opts.encoding !== undefined && !encoding) {
        throw new CostbridgeError('INPUT_INVALID', `--encoding ${opts.encoding}: not one of ${textEncodings.join(', ')}`);
      }
      const store = await ctx.store();
      const result = await importFocus(store, {
        paths,
        actor: await ctx.actor(opts.as),
        surface: 'cli',
        mode: opts.mode,
        ...(encoding ? { encoding } : {}),
        skipInvalid: opts.skipInvalid ?? false,
        force: opts.force ?? false,
      });
      for (const w of result.warnings) ctx.io.err(`costbridge: warning: ${w}`);
      const refused = result.deliveries.filter((d) => d.status === 'refused');
      for (const d of result.deliveries) {
        for (const w of d.warnings) ctx.io.err(`costbridge: warning: ${w}`);
        if (opts.json) ctx.io.out(JSON.stringify(focusDeliveryJson(d)));
        else if (d.status !== 'refused') ctx.io.out(describeDelivery(d));
      }
      if (refused.length === 1 && result.deliveries.length === 1) throw refused[0]!.error!;
      for (const d of refused) {
        ctx.io.err(`costbridge: ${d.error!.message}`);
        for (const line of d.error!.details) ctx.io.err(`  ${line}`);
      }
      if (refused.length > 0) {
        throw new CostbridgeError('INPUT_INVALID', `${refused.length} of ${result.deliveries.length} deliveries were not imported`);
      }
    });
}

/** Totals as one object: the amounts with their currency, or `byCurrency` when there are several (never summed). */
function totalsJson(totals: readonly LoadedTotals[]) {
  if (totals.length === 0) return { billedCost: '0', effectiveCost: '0' };
  if (totals.length === 1) return { billedCost: totals[0]!.billedCost, effectiveCost: totals[0]!.effectiveCost, currency: totals[0]!.currency };
  return { billedCost: null, effectiveCost: null, byCurrency: totals };
}

/** The documented `--json` shape of one delivery (README, "FOCUS cost and usage exports"). */
export function focusDeliveryJson(d: FocusDeliveryResult) {
  return {
    delivery: d.deliveryId,
    status: d.status,
    mode: d.mode,
    manifest: d.manifest,
    files: d.files.map((f) => ({
      file: f.file,
      sha256: f.sha256,
      format: f.format,
      focusVersion: f.focusVersion,
      rows: f.rows,
      rejected: f.rejected,
      ...(f.rejectedFile ? { rejectedFile: f.rejectedFile } : {}),
    })),
    rows: d.rows,
    rejected: d.rejected,
    slices: d.slices.map((s) => ({
      billingAccountId: s.billingAccountId,
      billingPeriodStart: s.billingPeriodStart.slice(0, 10),
      mode: s.mode,
      rows: s.rows,
      before: { rows: s.before.rows, ...totalsJson(s.before.totals) },
      after: { rows: s.after.rows, ...totalsJson(s.after.totals) },
    })),
    totals: totalsJson(d.totals),
    warnings: d.warnings,
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.error && d.error.details.length > 0 ? { details: d.error.details } : {}),
  };
}

function money(totals: readonly LoadedTotals[], basis: 'billedCost' | 'effectiveCost'): string {
  if (totals.length === 0) return '0';
  return totals.map((t) => `${t.currency} ${t[basis]}`).join(' + ');
}

function describeDelivery(d: FocusDeliveryResult): string {
  const source = d.manifest
    ? `${d.manifest.provider === 'aws' ? 'AWS Data Exports' : 'Azure Cost Management'} manifest ${d.manifest.path}${d.manifest.execution ? ` (execution ${d.manifest.execution})` : ''}`
    : 'no manifest';
  if (d.status === 'unchanged') {
    return `delivery of ${d.files.length} file(s), ${source}: unchanged, ${d.reason}`;
  }
  const lines = [
    `delivery ${d.deliveryId} (${d.mode}): ${d.files.length} file(s), ${source}; ${d.rows} row(s) imported${d.rejected ? `, ${d.rejected} rejected` : ''}`,
  ];
  for (const f of d.files) {
    lines.push(`  ${f.file}: ${f.rows} row(s) as FOCUS ${f.focusVersion}${f.rejected ? `, ${f.rejected} rejected (${f.rejectedFile})` : ''}`);
  }
  for (const s of d.slices) {
    const what = s.mode === 'replace' ? (s.replacedDeliveryIds.length ? `replaced (was delivery ${s.replacedDeliveryIds.join(', ')})` : 'replaced (new)') : 'appended';
    lines.push(
      `  billing account ${s.billingAccountId}, period ${s.billingPeriodStart.slice(0, 10)}: ${what}; ` +
        `rows ${s.before.rows} -> ${s.after.rows}, billed ${money(s.before.totals, 'billedCost')} -> ${money(s.after.totals, 'billedCost')}, ` +
        `effective ${money(s.before.totals, 'effectiveCost')} -> ${money(s.after.totals, 'effectiveCost')}`,
    );
  }
  for (const t of d.totals) lines.push(`  loaded ${t.currency}: billed ${t.billedCost}, effective ${t.effectiveCost}`);
  return lines.join('\n');
}
