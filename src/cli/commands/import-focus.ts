import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { importFocusFile, type FocusImportResult } from '../../app/import-focus.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';

/** `costbridge import focus FILE...`: loads FOCUS exports, each file all-or-nothing. */
export function registerImportFocus(importCommand: Command, ctx: CliContext): void {
  importCommand
    .command('focus')
    .description('import FOCUS 1.0-1.3 cost and usage exports (CSV, CSV.gz or Parquet); restated slices replace earlier ones')
    .argument('<files...>', 'FOCUS export files')
    .option('--skip-invalid', 'store the valid rows and write rejected ones, with reasons, to FILE.rejected.csv')
    .option('--force', 'with --skip-invalid: replace a FILE.rejected.csv that costbridge did not write')
    .option('--as <user>', 'who the import is recorded as in the audit log')
    .option('--json', 'print one JSON object per file on stdout')
    .action(async (files: string[], opts: { skipInvalid?: boolean; force?: boolean; as?: string; json?: boolean }) => {
      const store = await ctx.store();
      const failures: CostbridgeError[] = [];
      for (const path of files) {
        try {
          const result = await importFocusFile(store, {
            path,
            actor: ctx.actor(opts.as),
            surface: 'cli',
            skipInvalid: opts.skipInvalid ?? false,
            force: opts.force ?? false,
          });
          for (const w of result.warnings) ctx.io.err(`costbridge: ${path}: warning: ${w}`);
          if (opts.json) ctx.io.out(JSON.stringify(focusImportJson(result)));
          else ctx.io.out(describe(result));
        } catch (e) {
          if (!(e instanceof CostbridgeError) || files.length === 1) throw e;
          failures.push(e);
          ctx.io.err(`costbridge: ${e.message}`);
          for (const d of e.details) ctx.io.err(`  ${d}`);
        }
      }
      if (failures.length > 0) {
        throw new CostbridgeError('INPUT_INVALID', `${failures.length} of ${files.length} file(s) were not imported`);
      }
    });
}

/** The documented `--json` shape of one imported file. */
export function focusImportJson(r: FocusImportResult) {
  const only = r.totals.length === 1 ? r.totals[0]! : undefined;
  return {
    file: r.file,
    sha256: r.sha256,
    focusVersion: r.focusVersion,
    rows: r.rows,
    rejected: r.rejected,
    skipped: r.skipped,
    slices: r.slices.map((s) => ({
      billingAccountId: s.billingAccountId,
      billingPeriodStart: s.billingPeriodStart.slice(0, 10),
      rows: s.rows,
    })),
    totals: only
      ? { billedCost: only.billedCost, effectiveCost: only.effectiveCost, currency: only.currency }
      : r.totals.length === 0
        ? { billedCost: '0', effectiveCost: '0' }
        : null,
    ...(r.totals.length > 1 ? { totalsByCurrency: r.totals } : {}),
    ...(r.skippedReason ? { reason: r.skippedReason } : {}),
    ...(r.rejectedFile ? { rejectedFile: r.rejectedFile } : {}),
    warnings: r.warnings,
  };
}

function describe(r: FocusImportResult): string {
  if (r.skipped) return `${r.file}: skipped, ${r.skippedReason}`;
  const lines = [
    `${r.file}: imported ${r.rows} row(s) as FOCUS ${r.focusVersion}${r.rejected ? `, ${r.rejected} rejected` : ''}`,
  ];
  for (const s of r.slices) {
    const replaced = s.replacedBatchIds.length ? ` (replaces batch ${s.replacedBatchIds.join(', ')})` : '';
    lines.push(`  billing account ${s.billingAccountId}, period ${s.billingPeriodStart.slice(0, 10)}: ${s.rows} row(s)${replaced}`);
  }
  for (const t of r.totals) {
    lines.push(`  total ${t.currency}: billed ${t.billedCost}, effective ${t.effectiveCost}`);
  }
  return lines.join('\n');
}
