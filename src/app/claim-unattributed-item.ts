import { exactGlob } from '../domain/glob-pattern.js';
import type { SharedFieldValues } from '../domain/attribution.js';
import { billingMonth } from '../domain/billing-month.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import { insertRule } from '../store/attribution-rules.js';
import type { Store } from '../store/database.js';
import { lockAttribution, reattribute, ruleScope } from '../store/reattribution.js';
import { itemForUpdate, itemNetCost, markItemClaimed } from '../store/unattributed-items.js';
import { isUnattributedCredit } from '../domain/unattributed-spend.js';
import { parseSharedFields } from '../domain/shared-fields.js';
import { authorize } from './authorization-policy.js';
import { addMonths, booksReach, type BooksReach } from '../domain/period-close.js';
import { closedMonths } from '../store/period-closes.js';

/**
 * Claim rules are the weakest: they fill only what tags, contracts and other rules leave empty, so
 * claiming an item never takes lines that something else already attributes.
 */
export const claimRulePriority = 1_000_000;

/** Who claims an item, for which cost center (and optionally the other shared fields). */
export interface ClaimRequest {
  readonly itemId: number;
  readonly costCenter: string;
  readonly application?: string;
  readonly environment?: string;
  readonly project?: string;
  /** Defaults to the cost center's owner in master data. */
  readonly owner?: string;
  readonly legalEntity?: string;
  /** `item`: only the item's own billing period; `future`: that period and every later one. */
  readonly scope: 'item' | 'future';
  readonly actor: string;
  readonly surface: Surface;
  /** The shared fields a line needs to count as attributed (configuration; default cost-center and owner). */
  readonly requiredFields?: readonly string[];
}

/** The outcome of a claim; the chat front end renders exactly this. */
export type ClaimResult =
  | {
      ok: true;
      itemId: number;
      ruleId: number;
      linesChanged: number;
      claimedBy: string;
      claimedAt: string;
      assigned: SharedFieldValues;
      /** From which month the claim reaches the books, and the closed months it re-attributes (post-close adjustments). */
      books: BooksReach;
    }
  | { ok: false; code: 'ALREADY_CLAIMED' | 'UNKNOWN_COST_CENTER' | 'NOT_FOUND' | 'FORBIDDEN' | 'CREDIT'; message: string; claimedBy?: string; claimedAt?: string };

/**
 * Claims an unattributed item: records who claimed it, creates a claim rule for the item's grouping
 * (origin `claim`), re-attributes the lines and writes the audit row, all in one transaction. The
 * item row is locked first, so of two concurrent claims exactly one wins. Only an owner of the cost
 * center (or of one above it), finops or admin may claim; `scope: future` (a permanent rule) needs
 * finops, admin or an owner of that cost center itself (the `claim` / `claim-future` policy rows).
 */
export async function claimUnattributedItem(store: Store, request: ClaimRequest): Promise<ClaimResult> {
  return store.db.transaction().execute(async (trx): Promise<ClaimResult> => {
    await lockAttribution(trx);
    const item = await itemForUpdate(trx, request.itemId);
    if (!item) return { ok: false, code: 'NOT_FOUND', message: `no unattributed item ${request.itemId}` };
    if (item.status === 'claimed') {
      const at = item.claimed_at!.toISOString();
      return {
        ok: false,
        code: 'ALREADY_CLAIMED',
        message: `item ${item.id} was already claimed by ${item.claimed_by} on ${at} (cost center ${item.claim_cost_center})`,
        claimedBy: item.claimed_by!,
        claimedAt: at,
      };
    }
    // A credit is nobody's spend to claim; whatever a button or form says, the stored lines decide.
    const required = parseSharedFields(request.requiredFields ?? ['cost-center', 'owner']);
    const net = await itemNetCost(trx, item, required);
    if (net.lines > 0 && isUnattributedCredit(net.billedCost, net.effectiveCost)) {
      const message = `item ${item.id} is an unattributed credit (net billed ${net.billedCost}, effective ${net.effectiveCost}): there is no spend to claim`;
      await recordAudit(trx, {
        actor: request.actor,
        surface: request.surface,
        action: 'unattributed.claim',
        subjectType: 'unattributed_item',
        subjectId: String(item.id),
        after: { refused: message, costCenter: request.costCenter, scope: request.scope },
        outcome: 'refused',
      });
      return { ok: false, code: 'CREDIT', message };
    }
    const center = await trx.selectFrom('cost_center').select(['code', 'owner']).where('code', '=', request.costCenter).executeTakeFirst();
    if (!center) {
      return { ok: false, code: 'UNKNOWN_COST_CENTER', message: `unknown cost center ${JSON.stringify(request.costCenter)}: it is not in the cost-center master data` };
    }
    const allowed = await authorize(trx, {
      action: request.scope === 'future' ? 'claim-future' : 'claim',
      actor: request.actor,
      surface: request.surface,
      costCenter: center.code,
      auditAction: 'unattributed.claim',
      subjectType: 'unattributed_item',
      subjectId: String(item.id),
      attempt: { costCenter: center.code, scope: request.scope },
    });
    if (!allowed.ok) return allowed;
    const actor = allowed.person.id;
    const assigned: SharedFieldValues = { cost_center: center.code };
    if (request.application) assigned.application = request.application;
    if (request.environment) assigned.environment = request.environment;
    if (request.project) assigned.project = request.project;
    if (request.legalEntity) assigned.legal_entity = request.legalEntity;
    const owner = request.owner ?? center.owner ?? undefined;
    if (owner) assigned.owner = owner;

    const [year, month] = item.period.split('-').map(Number) as [number, number];
    const period = billingMonth(year, month);
    const ruleId = await insertRule(trx, {
      conditions: {
        provider: exactGlob(item.provider_name),
        billingAccount: exactGlob(item.billing_account_id),
        subAccount: exactGlob(item.sub_account_id),
        service: exactGlob(item.service_name),
      },
      assign: assigned,
      priority: claimRulePriority,
      effectiveFrom: period.start,
      effectiveUntil: request.scope === 'item' ? period.end : null,
      origin: 'claim',
      author: actor,
    });
    const claimedAt = await markItemClaimed(trx, item.id, { by: actor, costCenter: center.code, scope: request.scope, ruleId });
    const linesChanged = await reattribute(trx, ruleScope(ruleId));
    // A closed month keeps its figures: the claim reaches the books from the first open month.
    const books = booksReach(period.key, request.scope === 'item' ? addMonths(period.key, 1) : null, await closedMonths(trx));
    await recordAudit(trx, {
      actor,
      surface: request.surface,
      action: 'unattributed.claim',
      subjectType: 'unattributed_item',
      subjectId: String(item.id),
      before: { status: item.status, dismissReason: item.dismiss_reason, sharedPool: item.shared_pool },
      after: { status: 'claimed', ruleId, scope: request.scope, assigned, linesChanged, effectiveFrom: books.from, closedMonths: books.closedMonths },
    });
    return { ok: true, itemId: item.id, ruleId, linesChanged, claimedBy: actor, claimedAt: claimedAt.toISOString(), assigned, books };
  });
}
