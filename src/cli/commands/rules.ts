import type { Command } from 'commander';
import { booksNote } from '../books-note.js';
import type { CliContext } from '../cli-context.js';
import { addAttributionRule, listAttributionRules, removeAttributionRule } from '../../app/attribution-rules.js';
import { parseAssignments, parseEffectivePeriods, parsePriority, parseTagConditions } from '../../domain/attribution-rule-input.js';
import type { RuleConditions, SharedFieldValues } from '../../domain/attribution.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { sharedFieldFlag, sharedFields } from '../../domain/shared-fields.js';
import type { StoredRule } from '../../store/attribution-rules.js';
import { textTable } from '../text-table.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The rule as JSON: conditions as written, fields in CLI spelling, periods as months. */
export function ruleJson(r: StoredRule) {
  return {
    id: r.id,
    conditions: r.conditions,
    set: Object.fromEntries(sharedFields.filter((f) => r.assign[f] !== undefined).map((f) => [sharedFieldFlag(f), r.assign[f]])),
    priority: r.priority,
    from: r.effectiveFrom.toISOString().slice(0, 7),
    to: r.effectiveUntil ? new Date(r.effectiveUntil.getTime() - 1).toISOString().slice(0, 7) : null,
    origin: r.origin,
    author: r.author,
    createdAt: r.createdAt.toISOString(),
    ...(r.removedAt ? { removedAt: r.removedAt.toISOString(), removedBy: r.removedBy } : {}),
  };
}

function conditionsText(c: RuleConditions): string {
  const parts = Object.entries(c)
    .filter(([k, v]) => k !== 'tags' && v !== undefined)
    .map(([k, v]) => `${k}=${v as string}`);
  for (const t of c.tags ?? []) parts.push(`tag ${t.key}=${t.value}`);
  return parts.join(' ') || '(every line)';
}

const setText = (a: SharedFieldValues) => sharedFields.filter((f) => a[f] !== undefined).map((f) => `${sharedFieldFlag(f)}=${a[f]}`).join(' ');

/** `costbridge rules add|list|remove`: attribution rules (precedence: valid tag, contract, rules by priority, lowest number first). */
export function registerRules(program: Command, ctx: CliContext): void {
  const rules = program.command('rules').description('attribution rules: assign shared fields to lines by FOCUS fields and tags');
  rules
    .command('add')
    .description('add a rule and re-attribute the stored lines it matches from --from on (lowest --priority wins; tags and contracts win over rules)')
    .option('--set <field=value>', 'a shared field to assign (repeatable): cost-center, application, legal-entity, environment, project, owner', collect, [])
    .option('--provider <glob>', 'ProviderName (* matches anything)')
    .option('--billing-account <glob>', 'BillingAccountId')
    .option('--sub-account <glob>', 'SubAccountId')
    .option('--service <glob>', 'ServiceName')
    .option('--service-category <glob>', 'ServiceCategory')
    .option('--sku <glob>', 'SkuId')
    .option('--region <glob>', 'RegionId')
    .option('--resource-id <glob>', 'ResourceId, e.g. "arn:aws:ec2:*" for a prefix')
    .option('--tag <key=value>', 'a tag key (any case) with a value glob (repeatable)', collect, [])
    .requiredOption('--priority <n>', 'whole number; when several rules set a field, the lowest number wins')
    .requiredOption('--from <YYYY-MM>', 'first billing month the rule applies to')
    .option('--to <YYYY-MM>', 'last billing month (inclusive); open-ended when omitted')
    .option('--as <user>', 'who the rule is recorded as (its author)')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: {
      set: string[]; tag: string[]; priority: string; from: string; to?: string; as?: string; json?: boolean;
      provider?: string; billingAccount?: string; subAccount?: string; service?: string; serviceCategory?: string; sku?: string; region?: string; resourceId?: string;
    }) => {
      const assign = parseAssignments(opts.set);
      const tags = parseTagConditions(opts.tag);
      const conditions: RuleConditions = {
        ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
        ...(opts.billingAccount !== undefined ? { billingAccount: opts.billingAccount } : {}),
        ...(opts.subAccount !== undefined ? { subAccount: opts.subAccount } : {}),
        ...(opts.service !== undefined ? { service: opts.service } : {}),
        ...(opts.serviceCategory !== undefined ? { serviceCategory: opts.serviceCategory } : {}),
        ...(opts.sku !== undefined ? { sku: opts.sku } : {}),
        ...(opts.region !== undefined ? { region: opts.region } : {}),
        ...(opts.resourceId !== undefined ? { resourceId: opts.resourceId } : {}),
        ...(tags.length ? { tags } : {}),
      };
      const result = await addAttributionRule(await ctx.store(), {
        conditions,
        assign,
        priority: parsePriority(opts.priority),
        periods: parseEffectivePeriods(opts.from, opts.to),
        actor: await ctx.actor(opts.as),
        surface: 'cli',
      });
      if (opts.json) ctx.io.out(JSON.stringify(result));
      else ctx.io.out(`rule ${result.ruleId} added; ${result.linesChanged} stored line(s) re-attributed${booksNote(result.books)}`);
    });
  rules
    .command('list')
    .description('list the active rules in precedence order')
    .option('--all', 'include removed rules')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const list = await listAttributionRules(await ctx.store(), { includeRemoved: opts.all });
      if (opts.json) {
        ctx.io.out(JSON.stringify({ rules: list.map(ruleJson) }));
        return;
      }
      if (list.length === 0) {
        ctx.io.out('No attribution rules. Add one with: costbridge rules add --set cost-center=CC-1 --priority 100 --from 2026-01 ...');
        return;
      }
      ctx.io.out(
        textTable(
          ['id', 'priority', 'when', 'sets', 'from', 'to', 'origin', 'author'],
          list.map((r) => {
            const j = ruleJson(r);
            return [String(r.id), String(r.priority), conditionsText(r.conditions), setText(r.assign), j.from, j.to ?? '', r.origin, r.author + (r.removedAt ? ' (removed)' : '')];
          }),
          [0, 1],
        ),
      );
    });
  rules
    .command('remove')
    .description('remove a rule and re-attribute the lines it was setting')
    .argument('<id>', 'rule id (see rules list)')
    .option('--as <user>', 'who the removal is recorded as')
    .option('--json', 'print JSON on stdout')
    .action(async (id: string, opts: { as?: string; json?: boolean }) => {
      if (!/^\d+$/.test(id)) throw new CostbridgeError('INPUT_INVALID', `rule id must be a number, got ${JSON.stringify(id)}`);
      const result = await removeAttributionRule(await ctx.store(), { ruleId: Number(id), actor: await ctx.actor(opts.as), surface: 'cli' });
      if (!result.ok) throw new CostbridgeError('NOT_FOUND', result.message);
      if (opts.json) ctx.io.out(JSON.stringify(result));
      else ctx.io.out(`rule ${id} removed; ${result.linesChanged} stored line(s) re-attributed${booksNote(result.books)}`);
    });
}
