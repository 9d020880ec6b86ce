import type { Command } from 'commander';
import { booksNote } from '../books-note.js';
import type { CliContext } from '../cli-context.js';
import { applyContracts } from '../../app/apply-contracts.js';
import { contractLineTotals, listContracts } from '../../store/contracts.js';
import { sharedFieldFlag, sharedFields } from '../../domain/shared-fields.js';
import type { SharedFieldValues } from '../../domain/attribution.js';
import { textTable } from '../text-table.js';

const fieldsJson = (values: SharedFieldValues) =>
  Object.fromEntries(sharedFields.filter((f) => values[f] !== undefined).map((f) => [sharedFieldFlag(f), values[f]]));

/** `costbridge contracts apply|list`: deals classified at contract time (see docs/contracts-and-rules.md). */
export function registerContracts(program: Command, ctx: CliContext): void {
  const contracts = program.command('contracts').description('contracts classified before their first invoice: GL account, cost category, attribution');
  contracts
    .command('apply')
    .description('validate a contract file (YAML or JSON) and upsert its contracts by id, re-attributing the lines they cover')
    .argument('<file>', 'contract file, e.g. docs/examples/contract-ai-saas.yaml')
    .option('--as <user>', 'who the change is recorded as')
    .option('--json', 'print JSON on stdout')
    .action(async (file: string, opts: { as?: string; json?: boolean }) => {
      const result = await applyContracts(await ctx.store(), { path: file, actor: await ctx.actor(opts.as), surface: 'cli' });
      if (opts.json) {
        ctx.io.out(JSON.stringify(result));
        return;
      }
      for (const c of result.contracts) ctx.io.out(`contract ${c.id}: ${c.change}; ${c.linesChanged} stored line(s) re-attributed${booksNote(c.books)}`);
    });
  contracts
    .command('list')
    .description('list the contracts with their terms and the lines they cover')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { json?: boolean }) => {
      const store = await ctx.store();
      const [list, totals] = await Promise.all([listContracts(store.db), contractLineTotals(store.db)]);
      const totalOf = new Map(totals.map((t) => [t.contractId, t]));
      const rows = list.map((c) => {
        const d = c.definition;
        const t = totalOf.get(d.id);
        return {
          id: d.id,
          category: d.category,
          vendor: d.vendor,
          startDate: d.startDate,
          endDate: d.endDate,
          expectedMonthlyAmount: d.expectedMonthlyAmount,
          currency: d.currency,
          glAccount: d.glAccount,
          costCategory: { costPool: d.costPool, tower: d.tower },
          attribution: fieldsJson(d.attribution),
          components: d.components.map((p) => ({ name: p.name, match: p.match, glAccount: p.glAccount, attribution: fieldsJson(p.attribution) })),
          lines: t?.lines ?? 0,
          billedCost: t?.billedCost ?? '0',
          effectiveCost: t?.effectiveCost ?? '0',
          sourceFile: c.sourceFile,
          appliedBy: c.appliedBy,
          appliedAt: c.appliedAt.toISOString(),
        };
      });
      if (opts.json) {
        ctx.io.out(JSON.stringify({ contracts: rows }));
        return;
      }
      if (rows.length === 0) {
        ctx.io.out('No contracts yet. Apply one with: costbridge contracts apply FILE.yaml');
        return;
      }
      ctx.io.out(
        textTable(
          ['id', 'category', 'vendor', 'from', 'to', 'GL', 'components', 'lines'],
          rows.map((r) => [
            r.id,
            r.category,
            r.vendor.publisherName ?? r.vendor.invoiceIssuerName ?? r.vendor.providerName ?? '',
            r.startDate,
            r.endDate ?? '',
            r.glAccount,
            r.components.map((p) => p.name).join(', '),
            String(r.lines),
          ]),
          [7],
        ),
      );
    });
}
