import { sql, type Kysely, type Transaction } from 'kysely';
import type { RuleConditions, SharedFieldValues } from '../domain/attribution.js';
import { globToLike } from '../domain/glob-pattern.js';
import { sharedFields } from '../domain/shared-fields.js';
import type { Database } from './tables.js';

/** Where a rule came from. */
export type RuleOrigin = 'contract' | 'claim' | 'manual' | 'import';

/** A rule to store. Periods are billing months as their first instant (UTC); `until` is exclusive. */
export interface NewAttributionRule {
  readonly conditions: RuleConditions;
  readonly assign: SharedFieldValues;
  readonly priority: number;
  readonly effectiveFrom: string;
  readonly effectiveUntil: string | null;
  readonly origin: RuleOrigin;
  readonly author: string;
}

/** A stored rule as listed and explained. */
export interface StoredRule {
  readonly id: number;
  readonly conditions: RuleConditions;
  readonly assign: SharedFieldValues;
  readonly priority: number;
  readonly effectiveFrom: Date;
  readonly effectiveUntil: Date | null;
  readonly origin: RuleOrigin;
  readonly author: string;
  readonly createdAt: Date;
  readonly removedAt: Date | null;
  readonly removedBy: string | null;
}

const likeOf = (glob: string | undefined) => (glob === undefined ? null : globToLike(glob));

/** Inserts a rule and returns its id. */
export async function insertRule(trx: Transaction<Database>, rule: NewAttributionRule): Promise<number> {
  const c = rule.conditions;
  const row = await trx
    .insertInto('attribution_rule')
    .values({
      match_provider: likeOf(c.provider),
      match_billing_account: likeOf(c.billingAccount),
      match_sub_account: likeOf(c.subAccount),
      match_service: likeOf(c.service),
      match_service_category: likeOf(c.serviceCategory),
      match_sku: likeOf(c.sku),
      match_region: likeOf(c.region),
      match_resource_id: likeOf(c.resourceId),
      tag_conditions: JSON.stringify((c.tags ?? []).map((t) => ({ key: t.key, like: globToLike(t.value) }))),
      conditions: JSON.stringify(c),
      ...(Object.fromEntries(sharedFields.map((f) => [`set_${f}`, rule.assign[f] ?? null])) as Record<`set_${(typeof sharedFields)[number]}`, string | null>),
      priority: rule.priority,
      effective_from: rule.effectiveFrom,
      effective_until: rule.effectiveUntil,
      origin: rule.origin,
      author: rule.author,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

function stored(r: {
  id: number; conditions: unknown; priority: number; effective_from: Date; effective_until: Date | null;
  origin: RuleOrigin; author: string; created_at: Date; removed_at: Date | null; removed_by: string | null;
} & Record<`set_${(typeof sharedFields)[number]}`, string | null>): StoredRule {
  const assign: SharedFieldValues = {};
  for (const f of sharedFields) if (r[`set_${f}`] !== null) assign[f] = r[`set_${f}`]!;
  return {
    id: Number(r.id),
    conditions: r.conditions as RuleConditions,
    assign,
    priority: r.priority,
    effectiveFrom: r.effective_from,
    effectiveUntil: r.effective_until,
    origin: r.origin,
    author: r.author,
    createdAt: r.created_at,
    removedAt: r.removed_at,
    removedBy: r.removed_by,
  };
}

const ruleColumns = [
  'id', 'conditions', 'priority', 'effective_from', 'effective_until', 'origin', 'author', 'created_at', 'removed_at', 'removed_by',
  'set_cost_center', 'set_application', 'set_legal_entity', 'set_environment', 'set_project', 'set_owner',
] as const;

/** Rules in precedence order (priority, then id); removed ones only when asked. */
export async function listRules(db: Kysely<Database>, options: { includeRemoved?: boolean } = {}): Promise<StoredRule[]> {
  let q = db.selectFrom('attribution_rule').select(ruleColumns).orderBy('priority').orderBy('id');
  if (!options.includeRemoved) q = q.where('removed_at', 'is', null);
  return (await q.execute()).map(stored);
}

/** Rules by id (removed ones included). */
export async function rulesById(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, StoredRule>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('attribution_rule').select(ruleColumns).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [Number(r.id), stored(r)]));
}

/** Locks and reads one rule. */
export async function ruleForUpdate(trx: Transaction<Database>, id: number): Promise<StoredRule | undefined> {
  const row = await trx.selectFrom('attribution_rule').select(ruleColumns).where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? stored(row) : undefined;
}

/** Marks a rule removed (kept for the audit trail and for the claims that created it). */
export async function markRuleRemoved(trx: Transaction<Database>, id: number, by: string): Promise<void> {
  await trx.updateTable('attribution_rule').set({ removed_at: sql<string>`now()`, removed_by: by }).where('id', '=', id).execute();
}

/** The cost-center codes among `codes` that master data does not know. */
export async function unknownCostCenters(db: Kysely<Database> | Transaction<Database>, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const found = await db.selectFrom('cost_center').select('code').where('code', 'in', [...codes]).execute();
  const known = new Set(found.map((r) => r.code));
  return [...new Set(codes)].filter((c) => !known.has(c));
}
