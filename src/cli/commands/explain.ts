import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { explainAttribution, type FieldExplanation, type LineExplanation } from '../../app/explain-attribution.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { formatMoney } from '../../domain/money.js';

function fieldText(f: FieldExplanation): string {
  let why: string;
  if (f.source === 'tag') why = `from tag ${f.tag!.key ?? '(key unknown)'}=${f.tag!.value}`;
  else if (f.source === 'contract') why = `from contract ${f.contract!.id}${f.contract!.component ? `, component ${f.contract!.component}` : ''}`;
  else if (f.source === 'master-data') why = `from master data: owner of cost center ${f.costCenter}`;
  else if (f.source === 'rule') {
    const r = f.rule!;
    why = `from rule ${r.id} (priority ${r.priority}, ${r.origin}, by ${r.author}, ${r.from}${r.to ? ` to ${r.to}` : ' on'})${r.removed ? ' [removed since]' : ''}`;
  } else why = `empty: ${f.reason}`;
  const value = f.value === null ? '' : `${f.value}  `;
  return [`  ${f.field.padEnd(12)} ${value}${why}`, ...f.notes.map((n) => `  ${''.padEnd(12)} note: ${n}`)].join('\n');
}

function lineText(l: LineExplanation): string {
  const head = `line ${l.lineId} (${l.period}, ${[l.provider, l.billingAccountId, l.subAccountId, l.service].filter(Boolean).join(' / ')}${l.resourceId ? `, ${l.resourceId}` : ''})`;
  const cost = `  cost: ${formatMoney(l.effectiveCost, l.currency)} effective, ${formatMoney(l.billedCost, l.currency)} billed`;
  const contract = l.contractId ? `  contract: ${l.contractId}${l.contractComponent ? ` / ${l.contractComponent}` : ''}, GL account ${l.glAccount}` : '  contract: none';
  return [head, cost, contract, ...l.fields.map(fieldText)].join('\n');
}

/** `costbridge explain`: which tag, contract or rule set each shared field of a line, or why it is empty. */
export function registerExplain(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description('say which tag, contract or rule set each shared field of a cost line (or of a resource in a month), or why a field is empty')
    .argument('[line-id]', 'cost line id')
    .option('--resource-id <id>', 'explain every line of this ResourceId in --period instead (at most 500)')
    .option('--period <YYYY-MM>', 'billing month, with --resource-id')
    .option('--json', 'print JSON on stdout')
    .action(async (lineId: string | undefined, opts: { resourceId?: string; period?: string; json?: boolean }) => {
      let target: Parameters<typeof explainAttribution>[1];
      if (lineId !== undefined) {
        if (opts.resourceId) throw new CostbridgeError('INPUT_INVALID', 'give a line id or --resource-id with --period, not both');
        if (!/^\d+$/.test(lineId)) throw new CostbridgeError('INPUT_INVALID', `line id must be a number, got ${JSON.stringify(lineId)}`);
        target = { lineId: Number(lineId) };
      } else {
        if (!opts.resourceId || !opts.period) throw new CostbridgeError('INPUT_INVALID', 'give a line id, or --resource-id ID --period YYYY-MM');
        target = { resourceId: opts.resourceId, period: parseBillingMonth(opts.period) };
      }
      const lines = await explainAttribution(await ctx.store(), target);
      ctx.io.out(opts.json ? JSON.stringify({ lines }) : lines.map(lineText).join('\n\n'));
    });
}
