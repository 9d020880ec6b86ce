import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import type { Store } from '../../store/database.js';
import { importBudgets, type BudgetImportResult } from '../../app/import-budgets.js';
import { importCostCenters, type CostCenterImportResult } from '../../app/import-cost-centers.js';
import { importGl, type GlImportResult } from '../../app/import-gl.js';
import type { ItfmImportOutcome, ItfmImportRequest } from '../../app/itfm-import.js';
import { budgetVersions, type BudgetVersion } from '../../domain/itfm-rows.js';

interface ItfmOptions {
  map?: string[];
  as?: string;
  json?: boolean;
  budgetVersion?: BudgetVersion;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `costbridge import cost-centers|budgets|gl FILE`: ITFM master data, budgets and forecasts, and GL
 * actuals, each file all-or-nothing. Formats and semantics: docs/itfm-formats.md.
 */
export function registerImportItfm(importCommand: Command, ctx: CliContext): void {
  const itfm = (name: string, description: string, mapExample: string) =>
    importCommand
      .command(name)
      .description(description)
      .argument('<file>', 'CSV file (or .csv.gz) with a header row')
      .option('--map <source=target>', `read a source header as one of our columns (repeatable), e.g. "${mapExample}"`, collect)
      .option('--as <user>', 'who the import is recorded as in the audit log')
      .option('--json', 'print one JSON object on stdout');

  const run = async <R extends ItfmImportOutcome>(
    file: string,
    opts: ItfmOptions,
    importer: (store: Store, request: ItfmImportRequest) => Promise<R>,
    describe: (result: R) => string[],
  ) => {
    const result = await importer(await ctx.store(), { path: file, actor: await ctx.actor(opts.as), surface: 'cli', map: opts.map ?? [] });
    for (const w of result.warnings) ctx.io.err(`costbridge: ${file}: warning: ${w}`);
    if (opts.json) ctx.io.out(JSON.stringify(itfmImportJson(result)));
    else if (result.skipped) ctx.io.out(`${file}: skipped, ${result.skippedReason}`);
    else ctx.io.out(describe(result).join('\n'));
  };

  itfm('cost-centers', 'import cost center master data (upsert by code)', 'Cost Centre=code').action((file: string, opts: ItfmOptions) =>
    run(file, opts, importCostCenters, (r: CostCenterImportResult) => [
      `${file}: imported ${r.rows} cost center(s) as batch ${r.batchId}: ${counts(r)}`,
    ]),
  );

  itfm('budgets', 'import budget or forecast lines (upsert by version, cost center, category and month)', 'Cost Centre=cost_center')
    .addOption(
      // Not `--version`: the program's own `--version` would take it wherever it is written.
      new Option('--budget-version <version>', 'the version of every row, for a file without a version column').choices(
        budgetVersions,
      ),
    )
    .action((file: string, opts: ItfmOptions) =>
      run(
        file,
        opts,
        (store, r) => importBudgets(store, { ...r, ...(opts.budgetVersion ? { version: opts.budgetVersion } : {}) }),
        (r: BudgetImportResult) => [
          `${file}: imported ${r.rows} ${r.versions.map((v) => `${v} `).join('and ')}line(s) as batch ${r.batchId}: ${counts(r)}`,
          ...(r.months.length ? [`  months ${monthRange(r.months)}`] : []),
        ],
      ),
    );

  itfm('gl', 'import GL actuals (replaces every stored actual of the periods in the file)', 'Account=gl_account').action(
    (file: string, opts: ItfmOptions) =>
      run(file, opts, importGl, (r: GlImportResult) => [
        `${file}: imported ${r.rows} GL actual(s) as batch ${r.batchId}` +
          (r.periods.length ? `, restating ${r.periods.length === 1 ? 'period' : 'periods'} ${r.periods.join(', ')}` : '') +
          ` (${r.replaced} earlier row(s) replaced)`,
        ...Object.entries(r.totals).map(([currency, total]) => `  total ${currency}: ${total}`),
      ]),
  );
}

/** The documented `--json` shape of one ITFM import: common fields, then the kind's own, then reason and warnings. */
export function itfmImportJson(r: ItfmImportOutcome): Record<string, unknown> {
  const { file, sha256, kind, rows, skipped, batchId, format, skippedReason, warnings, ...perKind } = r as ItfmImportOutcome &
    Record<string, unknown>;
  return {
    file,
    sha256,
    kind,
    rows,
    skipped,
    batchId,
    format,
    ...perKind,
    ...(skippedReason ? { reason: skippedReason } : {}),
    warnings,
  };
}

function counts(r: { inserted: number; updated: number; unchanged: number }): string {
  return `${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged`;
}

function monthRange(months: readonly string[]): string {
  return months.length <= 3 ? months.join(', ') : `${months[0]} to ${months[months.length - 1]} (${months.length} months)`;
}
