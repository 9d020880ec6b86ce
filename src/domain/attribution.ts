// How one cost line's six shared fields are decided, per field, strongest first:
//   1. a valid tag (through the alias table; a cost-center value must be in the cost-center master
//      data once any master data is loaded),
//   2. the contract the line falls under (its matching component's value before the contract's),
//   3. the active attribution rules that match the line, by priority: the LOWEST number wins, ties
//      go to the older rule (smaller id).
//   4. the owner only: when the final cost center is a known code and nothing above set an owner,
//      that cost center's owner in master data (unless COSTBRIDGE_OWNER_FROM_MASTER_DATA=false),
//      so a tagged cost center is enough to make a line accountable.
// The same decision is made set-based in SQL by store/reattribution.ts; the two must agree, and a
// property test holds them to it.

import { compileGlob, type GlobMatcher } from './glob-pattern.js';
import { sharedFields, type SharedField, type TagAlias } from './shared-fields.js';

/** Where a field's value came from: a tag, the contract, a rule (`rule:<id>`) or, for the owner, the cost center's master data; null when empty. */
export type AttributionSource = 'tag' | 'contract' | `rule:${number}` | 'master-data';

/** The six shared fields as an optional assignment (what a contract, component or rule sets). */
export type SharedFieldValues = Partial<Record<SharedField, string>>;

/** Rule conditions: globs on FOCUS fields plus tag key/value pairs; all given must match. */
export interface RuleConditions {
  readonly provider?: string;
  readonly billingAccount?: string;
  readonly subAccount?: string;
  readonly service?: string;
  readonly serviceCategory?: string;
  readonly sku?: string;
  readonly region?: string;
  readonly resourceId?: string;
  /** Keys compared trimmed and case-folded, values as globs on the trimmed value. */
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

/** An active attribution rule, as the attributor needs it. */
export interface AttributionRule {
  readonly id: number;
  readonly priority: number;
  /** Applies to lines whose BillingPeriodStart is >= this instant ... */
  readonly effectiveFromMs: number;
  /** ... and < this one (exclusive), or without end. */
  readonly effectiveUntilMs: number | null;
  readonly conditions: RuleConditions;
  readonly assign: SharedFieldValues;
}

/** Which lines a contract covers: globs on vendor and account fields; all given must match. */
export interface ContractMatch {
  readonly invoiceIssuerName?: string;
  readonly publisherName?: string;
  readonly providerName?: string;
  readonly billingAccountId?: string;
  readonly subAccountId?: string;
  readonly skuId?: string;
  readonly chargeDescription?: string;
  readonly serviceCategory?: string;
}

/** Which of a contract's lines a component takes; all given must match. */
export interface ComponentMatch {
  readonly pricingUnit?: string;
  readonly skuId?: string;
  readonly chargeDescription?: string;
  readonly serviceSubcategory?: string;
}

/** A contract as the attributor needs it. */
export interface ContractTerms {
  readonly id: string;
  /** Covers lines whose ChargePeriodStart is >= this instant ... */
  readonly startMs: number;
  /** ... and < this one (the day after the end date), or without end. */
  readonly endBeforeMs: number | null;
  readonly match: ContractMatch;
  readonly glAccount: string;
  readonly assign: SharedFieldValues;
  /** In file order: the first matching component takes the line. */
  readonly components: readonly {
    readonly name: string;
    readonly match: ComponentMatch;
    readonly glAccount: string | null;
    readonly assign: SharedFieldValues;
  }[];
}

/** The FOCUS facts of one line that attribution reads. */
export interface LineFacts {
  readonly billingPeriodStartMs: number;
  readonly chargePeriodStartMs: number;
  readonly providerName: string | null;
  readonly publisherName: string | null;
  readonly invoiceIssuerName: string | null;
  readonly billingAccountId: string | null;
  readonly subAccountId: string | null;
  readonly serviceName: string | null;
  readonly serviceCategory: string | null;
  readonly serviceSubcategory: string | null;
  readonly skuId: string | null;
  readonly regionId: string | null;
  readonly resourceId: string | null;
  readonly chargeDescription: string | null;
  readonly pricingUnit: string | null;
  readonly tags: Readonly<Record<string, unknown>> | null;
}

/** The outcome for one line: final values and their sources, the tag layer, and the contract. */
export interface LineAttribution {
  /** Final values in {@link sharedFields} order. */
  readonly values: (string | null)[];
  readonly sources: (AttributionSource | null)[];
  /** What the tags said, before validation, in {@link sharedFields} order. */
  readonly tagValues: (string | null)[];
  /** The tag key that gave each tag value (as written in Tags), or null when no tag did. */
  readonly tagKeys: Partial<Record<SharedField, string>> | null;
  readonly contractId: string | null;
  readonly component: string | null;
  readonly glAccount: string | null;
}

/** Trims spaces only, as SQL `btrim(x)` does, so both sides see the same tag keys and values. */
export function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** A tag key as attribution compares it (SQL: `lower(btrim(key))`). */
export function tagKeyOf(key: string): string {
  return trimSpaces(key).toLowerCase();
}

/** A tag's value as attribution reads it: strings, numbers and booleans, trimmed; null when blank or structured. */
export function tagValueText(raw: unknown): string | null {
  if (raw === null || raw === undefined || typeof raw === 'object') return null;
  const text = trimSpaces(String(raw));
  return text === '' ? null : text;
}

interface CompiledRule {
  readonly id: number;
  readonly source: AttributionSource;
  readonly fromMs: number;
  readonly untilMs: number;
  readonly facts: readonly [keyof LineFacts, GlobMatcher][];
  readonly tags: readonly { readonly key: string; readonly value: GlobMatcher }[];
  readonly assign: (string | null)[];
}

interface CompiledContract {
  readonly id: string;
  readonly startMs: number;
  readonly endBeforeMs: number;
  readonly facts: readonly [keyof LineFacts, GlobMatcher][];
  readonly glAccount: string;
  readonly assign: (string | null)[];
  readonly components: readonly {
    readonly name: string;
    readonly facts: readonly [keyof LineFacts, GlobMatcher][];
    readonly glAccount: string | null;
    readonly assign: (string | null)[];
  }[];
}

const ruleFact: Record<Exclude<keyof RuleConditions, 'tags'>, keyof LineFacts> = {
  provider: 'providerName',
  billingAccount: 'billingAccountId',
  subAccount: 'subAccountId',
  service: 'serviceName',
  serviceCategory: 'serviceCategory',
  sku: 'skuId',
  region: 'regionId',
  resourceId: 'resourceId',
};

function compileFacts(patterns: Readonly<Record<string, string | undefined>>, factOf: Readonly<Record<string, keyof LineFacts>>) {
  const out: [keyof LineFacts, GlobMatcher][] = [];
  for (const [name, glob] of Object.entries(patterns)) {
    const fact = factOf[name];
    if (glob !== undefined && fact) out.push([fact, compileGlob(glob)]);
  }
  return out;
}

function assignArray(values: SharedFieldValues): (string | null)[] {
  return sharedFields.map((f) => values[f] ?? null);
}

function matchesFacts(facts: LineFacts, patterns: readonly [keyof LineFacts, GlobMatcher][]): boolean {
  for (const [fact, glob] of patterns) if (!glob.test(facts[fact] as string | null)) return false;
  return true;
}

const identity = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, n])) as Record<string, keyof LineFacts>;

/** What attribution is decided from: loaded once per import (all of it is small). */
export interface AttributionSetup {
  readonly aliases: readonly TagAlias[];
  readonly rules: readonly AttributionRule[];
  readonly contracts: readonly ContractTerms[];
  /** Known cost-center codes; when empty, cost-center tag values are not validated (nothing to validate against). */
  readonly costCenters: ReadonlySet<string>;
  /** Owner per known cost-center code, used when a line's owner is otherwise empty; empty when the setting is off. */
  readonly costCenterOwners?: ReadonlyMap<string, string>;
}

/** Decides the six shared fields of lines, per field: valid tag, then contract, then rules by priority. */
export class Attributor {
  readonly #aliases: Map<string, { index: number; priority: number }>;
  readonly #rules: CompiledRule[];
  readonly #contracts: CompiledContract[];
  readonly #costCenters: ReadonlySet<string>;
  readonly #owners: ReadonlyMap<string, string>;

  constructor(setup: AttributionSetup) {
    this.#owners = setup.costCenterOwners ?? new Map();
    this.#aliases = new Map(setup.aliases.map((a) => [tagKeyOf(a.tagKey), { index: sharedFields.indexOf(a.field), priority: a.priority }]));
    this.#costCenters = setup.costCenters;
    this.#rules = [...setup.rules]
      .sort((a, b) => a.priority - b.priority || a.id - b.id)
      .map((r) => {
        const { tags, ...facts } = r.conditions;
        return {
          id: r.id,
          source: `rule:${r.id}` as AttributionSource,
          fromMs: r.effectiveFromMs,
          untilMs: r.effectiveUntilMs ?? Infinity,
          facts: compileFacts(facts, ruleFact),
          tags: (tags ?? []).map((t) => ({ key: tagKeyOf(t.key), value: compileGlob(t.value) })),
          assign: assignArray(r.assign),
        };
      });
    const contractFacts = identity(['invoiceIssuerName', 'publisherName', 'providerName', 'billingAccountId', 'subAccountId', 'skuId', 'chargeDescription', 'serviceCategory']);
    const componentFacts = identity(['pricingUnit', 'skuId', 'chargeDescription', 'serviceSubcategory']);
    // Latest start first, then the smaller id: the same order as the SQL re-attribution.
    this.#contracts = [...setup.contracts]
      .sort((a, b) => b.startMs - a.startMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((c) => ({
        id: c.id,
        startMs: c.startMs,
        endBeforeMs: c.endBeforeMs ?? Infinity,
        facts: compileFacts(c.match as Record<string, string | undefined>, contractFacts),
        glAccount: c.glAccount,
        assign: assignArray(c.assign),
        components: c.components.map((p) => ({
          name: p.name,
          facts: compileFacts(p.match as Record<string, string | undefined>, componentFacts),
          glAccount: p.glAccount,
          assign: assignArray(p.assign),
        })),
      }));
  }

  /** Attributes one line. */
  attribute(facts: LineFacts): LineAttribution {
    const tagValues: (string | null)[] = [null, null, null, null, null, null];
    let tagKeys: Partial<Record<SharedField, string>> | null = null;
    if (facts.tags) {
      const best = [Infinity, Infinity, Infinity, Infinity, Infinity, Infinity];
      const bestKey: string[] = ['', '', '', '', '', ''];
      for (const key in facts.tags) {
        const alias = this.#aliases.get(tagKeyOf(key));
        if (!alias) continue;
        const p = best[alias.index]!;
        // Lowest alias priority, then the smaller raw key (SQL: ORDER BY priority, key COLLATE "C").
        if (alias.priority > p || (alias.priority === p && key > bestKey[alias.index]!)) continue;
        const value = tagValueText(facts.tags[key]);
        if (value === null) continue;
        tagValues[alias.index] = value;
        best[alias.index] = alias.priority;
        bestKey[alias.index] = key;
      }
      sharedFields.forEach((f, i) => {
        if (tagValues[i] !== null) (tagKeys ??= {})[f] = bestKey[i]!;
      });
    }

    const values: (string | null)[] = [null, null, null, null, null, null];
    const sources: (AttributionSource | null)[] = [null, null, null, null, null, null];
    for (let i = 0; i < 6; i++) {
      const v = tagValues[i]!;
      if (v === null) continue;
      if (i === 0 && this.#costCenters.size > 0 && !this.#costCenters.has(v)) continue;
      values[i] = v;
      sources[i] = 'tag';
    }

    const contract = this.#contracts.find(
      (c) => facts.chargePeriodStartMs >= c.startMs && facts.chargePeriodStartMs < c.endBeforeMs && matchesFacts(facts, c.facts),
    );
    const component = contract?.components.find((p) => matchesFacts(facts, p.facts));
    if (contract) {
      for (let i = 0; i < 6; i++) {
        if (sources[i] !== null) continue;
        const v = component?.assign[i] ?? contract.assign[i] ?? null;
        if (v !== null) {
          values[i] = v;
          sources[i] = 'contract';
        }
      }
    }

    let open = sources.filter((s) => s === null).length;
    for (const rule of this.#rules) {
      if (open === 0) break;
      if (facts.billingPeriodStartMs < rule.fromMs || facts.billingPeriodStartMs >= rule.untilMs) continue;
      if (!matchesFacts(facts, rule.facts) || !this.#tagsMatch(facts.tags, rule.tags)) continue;
      for (let i = 0; i < 6; i++) {
        if (sources[i] !== null || rule.assign[i] === null) continue;
        values[i] = rule.assign[i]!;
        sources[i] = rule.source;
        open--;
      }
    }

    const ownerIndex = 5;
    if (sources[ownerIndex] === null && values[0] !== null) {
      const owner = this.#owners.get(values[0]!);
      if (owner !== undefined) {
        values[ownerIndex] = owner;
        sources[ownerIndex] = 'master-data';
      }
    }

    return {
      values,
      sources,
      tagValues,
      tagKeys,
      contractId: contract?.id ?? null,
      component: component?.name ?? null,
      glAccount: contract ? (component?.glAccount ?? contract.glAccount) : null,
    };
  }

  #tagsMatch(tags: Readonly<Record<string, unknown>> | null, conditions: CompiledRule['tags']): boolean {
    for (const c of conditions) {
      if (!tags) return false;
      let found = false;
      for (const key in tags) {
        if (tagKeyOf(key) !== c.key) continue;
        const value = tagValueText(tags[key]);
        if (value !== null && c.value.test(value)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }
}
