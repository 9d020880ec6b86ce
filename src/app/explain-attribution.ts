import type { BillingMonth } from '../domain/billing-month.js';
import type { ContractDefinition } from '../domain/contract-document.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { sharedFieldFlag, sharedFields, type SharedField } from '../domain/shared-fields.js';
import { rulesById } from '../store/attribution-rules.js';
import { listContracts } from '../store/contracts.js';
import type { Store } from '../store/database.js';
import { findLineAttributions, type StoredLineAttribution } from '../store/line-attribution.js';

/** Why one shared field of a line holds its value, or why it is empty. */
export interface FieldExplanation {
  readonly field: string;
  readonly value: string | null;
  readonly source: 'tag' | 'contract' | 'rule' | 'master-data' | null;
  readonly tag?: { key: string | null; value: string };
  readonly contract?: { id: string; component: string | null };
  readonly rule?: { id: number; priority: number; author: string; origin: string; from: string; to: string | null; removed: boolean };
  /** For `master-data`: the cost center whose master-data owner it is. */
  readonly costCenter?: string;
  /** Why the field is empty, or what was set aside (an unknown cost-center tag value). */
  readonly reason?: string;
  readonly notes: readonly string[];
}

/** One line's attribution, field by field, as stored when it was (re-)attributed. */
export interface LineExplanation {
  readonly lineId: number;
  readonly period: string;
  readonly provider: string | null;
  readonly billingAccountId: string;
  readonly subAccountId: string | null;
  readonly service: string | null;
  readonly skuId: string | null;
  readonly resourceId: string | null;
  readonly billedCost: string;
  readonly effectiveCost: string;
  readonly currency: string;
  readonly contractId: string | null;
  readonly contractComponent: string | null;
  readonly glAccount: string | null;
  readonly fields: readonly FieldExplanation[];
}

/**
 * Explains which tag, contract or rule set each shared field of a line (or of a resource's lines
 * in a billing month), or why a field is empty. Reads the sources stored at attribution time.
 */
export async function explainAttribution(
  store: Store,
  target: { lineId: number } | { resourceId: string; period: BillingMonth },
): Promise<LineExplanation[]> {
  const lines = await findLineAttributions(store.db, target);
  if (lines.length === 0) {
    throw new CostbridgeError(
      'NOT_FOUND',
      'lineId' in target ? `no cost line ${target.lineId}` : `no cost line of resource ${JSON.stringify(target.resourceId)} in ${target.period.key}`,
    );
  }
  const ruleIds = lines.flatMap((l) => sharedFields.map((f) => l.sources[f])).filter((s): s is string => !!s?.startsWith('rule:')).map((s) => Number(s.slice(5)));
  const rules = await rulesById(store.db, [...new Set(ruleIds)]);
  const contracts = new Map((await listContracts(store.db)).map((c) => [c.definition.id, c.definition]));
  const masterData = (await store.db.selectFrom('cost_center').select('code').limit(1).execute()).length > 0;
  return lines.map((l) => explainLine(l, rules, contracts, masterData));
}

function explainLine(
  l: StoredLineAttribution,
  rules: Awaited<ReturnType<typeof rulesById>>,
  contracts: ReadonlyMap<string, ContractDefinition>,
  masterData: boolean,
): LineExplanation {
  const hasTags = !!l.tags && Object.keys(l.tags).length > 0;
  const fields = sharedFields.map((f): FieldExplanation => {
    const name = sharedFieldFlag(f);
    const value = l.values[f];
    const source = l.sources[f];
    const tagValue = l.tagValues[f];
    const tagKey = l.tagKeys?.[f] ?? null;
    const notes: string[] = [];
    if (f === 'cost_center' && tagValue !== null && source !== 'tag') {
      notes.push(`tag ${tagKey ?? '(key unknown)'}=${tagValue} does not count: unknown cost center value ${tagValue}`);
    }
    if (source === 'tag') {
      if (f === 'cost_center' && !masterData) notes.push('not validated: no cost-center master data is loaded');
      return { field: name, value, source: 'tag', tag: { key: tagKey, value: value! }, notes };
    }
    if (source === 'contract') {
      const contract = l.contractId ? contracts.get(l.contractId) : undefined;
      const component = contract?.components.find((p) => p.name === l.contractComponent);
      const byComponent = component?.attribution[f] !== undefined;
      return { field: name, value, source: 'contract', contract: { id: l.contractId!, component: byComponent ? component!.name : null }, notes };
    }
    if (source === 'master-data') {
      return { field: name, value, source: 'master-data', costCenter: l.values.cost_center ?? '', notes };
    }
    if (source?.startsWith('rule:')) {
      const id = Number(source.slice(5));
      const rule = rules.get(id);
      return {
        field: name,
        value,
        source: 'rule',
        rule: {
          id,
          priority: rule?.priority ?? NaN,
          author: rule?.author ?? '(unknown)',
          origin: rule?.origin ?? '(unknown)',
          from: rule ? rule.effectiveFrom.toISOString().slice(0, 7) : '',
          to: rule?.effectiveUntil ? new Date(rule.effectiveUntil.getTime() - 1).toISOString().slice(0, 7) : null,
          removed: !!rule?.removedAt,
        },
        notes,
      };
    }
    return { field: name, value: null, source: null, reason: emptyReason(f, hasTags, l, tagKey), notes };
  });
  return {
    lineId: l.id,
    period: l.billingPeriodStart,
    provider: l.providerName,
    billingAccountId: l.billingAccountId,
    subAccountId: l.subAccountId,
    service: l.serviceName,
    skuId: l.skuId,
    resourceId: l.resourceId,
    billedCost: l.billedCost,
    effectiveCost: l.effectiveCost,
    currency: l.currency,
    contractId: l.contractId,
    contractComponent: l.contractComponent,
    glAccount: l.glAccount,
    fields,
  };
}

function emptyReason(f: SharedField, hasTags: boolean, l: StoredLineAttribution, tagKey: string | null): string {
  const name = sharedFieldFlag(f);
  const tagPart =
    f === 'cost_center' && l.tagValues.cost_center !== null
      ? `unknown cost center value ${l.tagValues.cost_center} (tag ${tagKey ?? '(key unknown)'})`
      : hasTags
        ? `no tag for ${name} (tag keys: ${Object.keys(l.tags!).map((k) => JSON.stringify(k)).join(', ')})`
        : 'no tags';
  const contractPart = l.contractId ? `contract ${l.contractId} does not set ${name}` : 'no contract';
  const masterPart = f !== 'owner' ? '' : l.values.cost_center === null ? '; no cost center to take an owner from' : `; cost center ${l.values.cost_center} has no owner in master data (or COSTBRIDGE_OWNER_FROM_MASTER_DATA=false)`;
  return `${tagPart}; ${contractPart}; no rule sets ${name}${masterPart}`;
}
