import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { reportTags, type TagReport, type CoverageRow, type Coverage } from '../../app/report-tags.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { parseCostBasis } from '../../domain/spend-dimensions.js';
import { sharedFieldFlag, sharedFields, parseSharedFields } from '../../domain/shared-fields.js';
import { formatMoney, Money } from '../../domain/money.js';
import { textTable } from '../text-table.js';

/** `costbridge report tags`: tag coverage by cost, and the tag keys no alias maps. */
export function registerReportTags(report: Command, ctx: CliContext): void {
  report
    .command('tags')
    .description('tag coverage by cost (not line count) per provider and sub-account, per shared field, and the tag keys seen that map to no shared field (add them with costbridge aliases add)')
    .requiredOption('--period <YYYY-MM>', 'billing month (by BillingPeriodStart)')
    .option('--basis <basis>', 'effective (amortized, FinOps default) or billed (invoiced)', 'effective')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { period: string; basis: string; json?: boolean }) => {
      const requiredFields = parseSharedFields(ctx.config.attribution.requiredFields);
      const result = await reportTags(await ctx.store(), {
        period: parseBillingMonth(opts.period),
        basis: parseCostBasis(opts.basis),
        requiredFields,
      });
      ctx.io.out(opts.json ? JSON.stringify(tagReportJson(result)) : tagReportText(result));
    });
}

function rowJson(r: CoverageRow) {
  return {
    provider: r.provider,
    subAccountId: r.subAccountId,
    subAccountName: r.subAccountName,
    lines: r.lines,
    cost: r.total,
    required: r.required,
    fields: Object.fromEntries(sharedFields.map((f) => [sharedFieldFlag(f), r.fields[f]])),
  };
}

/** The documented JSON of `report tags --json`. */
export function tagReportJson(r: TagReport) {
  return {
    period: r.period,
    basis: r.basis,
    requiredFields: r.requiredFields.map(sharedFieldFlag),
    currencies: r.currencies.map((c) => {
      const overall = rowJson(c.overall);
      return {
        currency: c.currency,
        cost: overall.cost,
        lines: overall.lines,
        required: overall.required,
        fields: overall.fields,
        rows: c.rows.map(rowJson),
        mappedKeys: c.mappedKeys.map((k) => ({ key: k.key, spellings: k.spellings, field: k.field ? sharedFieldFlag(k.field) : null, lines: k.lines, cost: k.cost })),
        unmappedKeys: c.unmappedKeys.map((k) => ({ key: k.key, spellings: k.spellings, lines: k.lines, cost: k.cost })),
      };
    }),
  };
}

function tagReportText(r: TagReport): string {
  if (r.currencies.length === 0) return `No cost lines for billing period ${r.period}.`;
  const basis = r.basis === 'effective' ? 'EffectiveCost (amortized)' : 'BilledCost (invoiced)';
  const pct = (c: Coverage) => (c.share === null ? 'n/a' : `${new Money(c.share).times(100).toFixed(2)}%`);
  const required = r.requiredFields.map(sharedFieldFlag).join('+');
  return r.currencies
    .map((c) => {
      const m = (v: string) => formatMoney(v, c.currency);
      const header = ['provider', 'sub-account', 'lines', 'cost', required, ...sharedFields.map(sharedFieldFlag)];
      const cells = (label: string, sub: string, row: CoverageRow) => [label, sub, String(row.lines), m(row.total), pct(row.required), ...sharedFields.map((f) => pct(row.fields[f]))];
      const table = textTable(
        header,
        [...c.rows.map((row) => cells(row.provider ?? '(none)', row.subAccountId ?? '(none)', row)), cells('total', '', c.overall)],
        [2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      const keys = (list: TagReport['currencies'][number]['mappedKeys'], withField: boolean) =>
        list.length === 0
          ? '  (none)'
          : textTable(
              ['tag key', 'spellings seen', ...(withField ? ['field'] : []), 'lines', 'cost'],
              list.map((k) => [k.key, k.spellings.map((s) => JSON.stringify(s)).join(' '), ...(withField ? [k.field ? sharedFieldFlag(k.field) : ''] : []), String(k.lines), m(k.cost)]),
              withField ? [3, 4] : [2, 3],
            );
      return [
        `Tag coverage by cost for ${r.period}, ${basis}, ${c.currency} (share of cost whose line has the field resolved)`,
        table,
        '',
        'Tag keys that map to no shared field (map one with: costbridge aliases add KEY FIELD):',
        keys(c.unmappedKeys, false),
        '',
        'Tag keys mapped to a shared field:',
        keys(c.mappedKeys, true),
      ].join('\n');
    })
    .join('\n\n');
}
