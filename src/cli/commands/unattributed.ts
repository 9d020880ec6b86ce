import type { Command } from 'commander';
import { booksNote } from '../books-note.js';
import type { CliContext } from '../cli-context.js';
import { listUnattributedSpend, type UnattributedSpend } from '../../app/list-unattributed-spend.js';
import { claimUnattributedItem } from '../../app/claim-unattributed-item.js';
import { dismissUnattributedItem } from '../../app/dismiss-unattributed-item.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { formatMoney, Money } from '../../domain/money.js';
import { parseCostBasis } from '../../domain/spend-dimensions.js';
import { textTable } from '../text-table.js';
import { createLogger } from '../../log.js';
import { refreshHomes } from '../../server/home/publish-home.js';
import { resolveActor } from '../../store/people.js';

/**
 * A claim from the terminal changes the claimer's open decisions too: their Slack App Home and Teams
 * home card (if they have one) are queued for a refresh, delivered by the running `serve`. The claim
 * is recorded either way; a failed refresh is one line on stderr.
 */
async function refreshClaimerHomes(ctx: CliContext, personId: string, requestKey: string): Promise<void> {
  try {
    const store = await ctx.store();
    const person = await resolveActor(store.db, personId);
    if (!person) return;
    const requester = { surface: 'slack' as const, userId: person.slackUserId ?? person.id, displayName: undefined, person };
    await refreshHomes({ store, config: ctx.config, requester, now: new Date(), requestKey, log: createLogger(ctx.config) }, person);
  } catch (e) {
    ctx.io.err(`costbridge: the claim is recorded; refreshing ${personId}'s chat home failed: ${(e as Error).message}`);
  }
}

/** The documented JSON: one currency flat; several currencies kept apart under `currencies`. */
export function unattributedJson(r: UnattributedSpend) {
  const only = r.currencies.length <= 1 ? r.currencies[0] : undefined;
  return {
    period: r.period,
    basis: r.basis,
    requiredFields: r.requiredFields.map((f) => f.replace(/_/g, '-')),
    currency: only?.currency ?? null,
    total: r.currencies.length <= 1 ? (only?.total ?? '0') : null,
    unattributedTotal: r.currencies.length <= 1 ? (only?.unattributedTotal ?? '0') : null,
    creditTotal: r.currencies.length <= 1 ? (only?.creditTotal ?? '0') : null,
    share: r.currencies.length <= 1 ? (only ? only.share : null) : null,
    ...(r.currencies.length > 1 ? { currencies: r.currencies } : {}),
    items: r.items,
    credits: r.credits,
  };
}

function itemId(text: string): number {
  if (!/^\d+$/.test(text)) throw new CostbridgeError('INPUT_INVALID', `item id must be a number, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** `costbridge unattributed`, `claim` and `dismiss`: unattributed spend, sized and owned. */
export function registerUnattributed(program: Command, ctx: CliContext): void {
  program
    .command('unattributed')
    .description('lines of a billing month lacking a required shared field, grouped into claimable items by provider, billing account, sub-account and service')
    .requiredOption('--period <YYYY-MM>', 'billing month (by BillingPeriodStart)')
    .option('--basis <basis>', 'effective (amortized) or billed (invoiced)', 'effective')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { period: string; basis: string; json?: boolean }) => {
      const a = ctx.config.attribution;
      const result = await listUnattributedSpend(await ctx.store(), {
        period: parseBillingMonth(opts.period),
        basis: parseCostBasis(opts.basis),
        requiredFields: a.requiredFields,
        thresholds: { minAmount: a.minAmount, minShare: a.minShare },
      });
      if (opts.json) {
        ctx.io.out(JSON.stringify(unattributedJson(result)));
        return;
      }
      if (result.currencies.length === 0) {
        ctx.io.out(`No cost lines for billing period ${result.period}.`);
        return;
      }
      const out: string[] = [];
      for (const c of result.currencies) {
        const pct = c.share === null ? 'n/a' : `${new Money(c.share).times(100).toFixed(2)}%`;
        out.push(`Unattributed spend ${result.period} (${result.basis}, ${c.currency}): ${formatMoney(c.unattributedTotal, c.currency)} of ${formatMoney(c.total, c.currency)} (share ${c.share ?? 'n/a'}, ${pct}); required: ${unattributedJson(result).requiredFields.join(', ')}`);
        const items = result.items.filter((i) => i.currency === c.currency);
        const credits = result.credits.filter((i) => i.currency === c.currency);
        if (items.length > 0) {
          out.push(
            textTable(
              ['id', 'provider', 'billing account', 'sub-account', 'service', 'cost', 'lines', 'status', 'alert', 'reason'],
              items.map((i) => [
                String(i.id), i.provider ?? '', i.billingAccountId ?? '', i.subAccountId ?? '', i.service ?? '',
                formatMoney(i.cost, i.currency), String(i.lines), i.status === 'claimed' ? `claimed by ${i.claimedBy}` : i.status,
                i.alert ? 'yes' : 'no', i.reason,
              ]),
              [0, 5, 6],
            ),
          );
        }
        if (credits.length > 0) {
          out.push(
            `Unattributed credits (${credits.length}, ${formatMoney(c.creditTotal, c.currency)}; net cost ≤ 0 on both bases: not spend to claim, never alerted): ` +
              credits.map((i) => `item ${i.id} ${[i.provider, i.service].filter(Boolean).join(' · ')} ${formatMoney(i.cost, i.currency)}`).join('; '),
          );
        }
      }
      out.push('Claim an item: costbridge claim ID --cost-center CODE --as YOU   Dismiss: costbridge dismiss ID --reason "..." --as YOU');
      ctx.io.out(out.join('\n'));
    });

  program
    .command('claim')
    .description('claim an unattributed item for a cost center: creates a claim rule and re-attributes its lines')
    .argument('<item-id>', 'item id from costbridge unattributed')
    .requiredOption('--cost-center <code>', 'a cost center in the master data')
    .option('--application <a>', 'application to assign')
    .option('--environment <e>', 'environment to assign')
    .option('--project <p>', 'project to assign')
    .option('--owner <o>', "owner to assign (default: the cost center's owner in master data)")
    .option('--legal-entity <l>', 'legal entity to assign')
    .option('--rule-scope <scope>', "item: only the item's billing month; future: that month and every later one", 'future')
    .requiredOption('--as <user>', 'who claims it')
    .option('--json', 'print JSON on stdout')
    .action(async (id: string, opts: {
      costCenter: string; application?: string; environment?: string; project?: string; owner?: string; legalEntity?: string;
      ruleScope: string; as: string; json?: boolean;
    }) => {
      if (opts.ruleScope !== 'item' && opts.ruleScope !== 'future') {
        throw new CostbridgeError('INPUT_INVALID', `--rule-scope must be item or future, got ${JSON.stringify(opts.ruleScope)}`);
      }
      const result = await claimUnattributedItem(await ctx.store(), {
        itemId: itemId(id),
        costCenter: opts.costCenter.trim(),
        ...(opts.application ? { application: opts.application } : {}),
        ...(opts.environment ? { environment: opts.environment } : {}),
        ...(opts.project ? { project: opts.project } : {}),
        ...(opts.owner ? { owner: opts.owner } : {}),
        ...(opts.legalEntity ? { legalEntity: opts.legalEntity } : {}),
        scope: opts.ruleScope,
        actor: await ctx.actor(opts.as),
        surface: 'cli',
        requiredFields: ctx.config.attribution.requiredFields,
      });
      if (!result.ok) {
        if (opts.json) ctx.io.out(JSON.stringify(result));
        throw new CostbridgeError(result.code === 'NOT_FOUND' || result.code === 'FORBIDDEN' ? result.code : result.code === 'ALREADY_CLAIMED' ? 'CONFLICT' : 'INPUT_INVALID', result.message);
      }
      if (opts.json) ctx.io.out(JSON.stringify(result));
      else ctx.io.out(`item ${result.itemId} claimed by ${result.claimedBy} (rule ${result.ruleId}); ${result.linesChanged} stored line(s) re-attributed${booksNote(result.books)}`);
      await refreshClaimerHomes(ctx, result.claimedBy, `cli-claim:${result.itemId}`);
    });

  program
    .command('dismiss')
    .description('dismiss an unattributed item with a reason, optionally into a shared-cost pool that showback allocates')
    .argument('<item-id>', 'item id from costbridge unattributed')
    .requiredOption('--reason <text>', 'why, e.g. "shared platform cost, allocate it"')
    .option('--shared-pool <name>', 'shared-cost pool that allocates it')
    .requiredOption('--as <user>', 'who dismisses it')
    .option('--json', 'print JSON on stdout')
    .action(async (id: string, opts: { reason: string; sharedPool?: string; as: string; json?: boolean }) => {
      const result = await dismissUnattributedItem(await ctx.store(), {
        itemId: itemId(id),
        reason: opts.reason,
        ...(opts.sharedPool ? { sharedPool: opts.sharedPool } : {}),
        actor: await ctx.actor(opts.as),
        surface: 'cli',
      });
      if (!result.ok) {
        if (opts.json) ctx.io.out(JSON.stringify(result));
        throw new CostbridgeError(result.code === 'NOT_FOUND' || result.code === 'FORBIDDEN' ? result.code : 'CONFLICT', result.message);
      }
      if (opts.json) ctx.io.out(JSON.stringify(result));
      else ctx.io.out(`item ${result.itemId} dismissed by ${result.dismissedBy}${result.sharedPool ? ` into shared pool ${result.sharedPool}` : ''}${booksNote(result.books)}`);
    });
}
