import type { RuleConditions, SharedFieldValues } from '../domain/attribution.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import type { EffectivePeriods } from '../domain/attribution-rule-input.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import { insertRule, listRules, markRuleRemoved, ruleForUpdate, unknownCostCenters, type RuleOrigin, type StoredRule } from '../store/attribution-rules.js';
import type { Store } from '../store/database.js';
import { lockAttribution, reattribute, ruleScope, ruleSourceScope } from '../store/reattribution.js';
import { booksReach, type BooksReach } from '../domain/period-close.js';
import { closedMonths } from '../store/period-closes.js';

/** A rule to add, on whose behalf. */
export interface AddRuleRequest {
  readonly conditions: RuleConditions;
  readonly assign: SharedFieldValues;
  readonly priority: number;
  readonly periods: EffectivePeriods;
  readonly origin?: RuleOrigin;
  readonly actor: string;
  readonly surface: Surface;
}

/**
 * Adds an attribution rule and re-attributes, in the same transaction, the stored lines it matches
 * from its effective period on. A cost center it assigns must exist in master data.
 */
export async function addAttributionRule(store: Store, request: AddRuleRequest): Promise<{ ruleId: number; linesChanged: number; books: BooksReach }> {
  return store.db.transaction().execute(async (trx) => {
    await lockAttribution(trx);
    const cc = request.assign.cost_center;
    if (cc !== undefined && (await unknownCostCenters(trx, [cc])).length > 0) {
      throw new CostbridgeError('INPUT_INVALID', `unknown cost center ${JSON.stringify(cc)}: it is not in the cost-center master data`);
    }
    const rule = {
      conditions: request.conditions,
      assign: request.assign,
      priority: request.priority,
      effectiveFrom: request.periods.from.start,
      effectiveUntil: request.periods.until,
      origin: request.origin ?? 'manual',
      author: request.actor,
    } as const;
    const ruleId = await insertRule(trx, rule);
    const linesChanged = await reattribute(trx, ruleScope(ruleId));
    const books = booksReach(request.periods.from.key, request.periods.until === null ? null : request.periods.until.slice(0, 7), await closedMonths(trx));
    await recordAudit(trx, {
      actor: request.actor,
      surface: request.surface,
      action: 'rule.add',
      subjectType: 'attribution_rule',
      subjectId: String(ruleId),
      after: { ...rule, from: request.periods.from.key, to: request.periods.to?.key ?? null, linesChanged, effectiveFrom: books.from, closedMonths: books.closedMonths },
    });
    return { ruleId, linesChanged, books };
  });
}

/** Removes a rule (kept as removed for the record) and re-attributes the lines it was setting. */
export async function removeAttributionRule(
  store: Store,
  request: { ruleId: number; actor: string; surface: Surface },
): Promise<{ ok: true; linesChanged: number; books: BooksReach } | { ok: false; code: 'NOT_FOUND'; message: string }> {
  return store.db.transaction().execute(async (trx) => {
    await lockAttribution(trx);
    const rule = await ruleForUpdate(trx, request.ruleId);
    if (!rule || rule.removedAt) {
      return {
        ok: false as const,
        code: 'NOT_FOUND' as const,
        message: rule ? `rule ${request.ruleId} was already removed by ${rule.removedBy} on ${rule.removedAt!.toISOString()}` : `no rule ${request.ruleId}`,
      };
    }
    await markRuleRemoved(trx, request.ruleId, request.actor);
    const linesChanged = await reattribute(trx, ruleSourceScope(request.ruleId));
    const until = rule.effectiveUntil === null ? null : rule.effectiveUntil.toISOString().slice(0, 7);
    const books = booksReach(rule.effectiveFrom.toISOString().slice(0, 7), until, await closedMonths(trx));
    await recordAudit(trx, {
      actor: request.actor,
      surface: request.surface,
      action: 'rule.remove',
      subjectType: 'attribution_rule',
      subjectId: String(request.ruleId),
      before: rule,
      after: { removed: true, linesChanged, effectiveFrom: books.from, closedMonths: books.closedMonths },
    });
    return { ok: true as const, linesChanged, books };
  });
}

/** Active rules in precedence order (lowest priority number first). */
export function listAttributionRules(store: Store, options: { includeRemoved?: boolean } = {}): Promise<StoredRule[]> {
  return listRules(store.db, options);
}
