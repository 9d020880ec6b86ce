/** The six identifiers that join FinOps data to ITFM data, as stored (snake_case). */
export const sharedFields = ['cost_center', 'application', 'legal_entity', 'environment', 'project', 'owner'] as const;
/** One of the six shared fields. */
export type SharedField = (typeof sharedFields)[number];

/** The spelling of each shared field on the command line and in JSON (kebab-case). */
export function sharedFieldFlag(field: SharedField): string {
  return field.replace(/_/g, '-');
}

/** Accepts `cost-center`, `cost_center`, `CostCenter` or `cost center`; undefined when it is none of the six. */
export function parseSharedField(text: string): SharedField | undefined {
  const key = text.trim().replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().replace(/[\s-]+/g, '_');
  return (sharedFields as readonly string[]).includes(key) ? (key as SharedField) : undefined;
}

/** The shared fields among `texts` (names as `parseSharedField` reads them), in order; unknown names are left out. */
export function parseSharedFields(texts: readonly string[]): SharedField[] {
  return texts.map((t) => parseSharedField(t)).filter((f): f is SharedField => f !== undefined);
}

/** A tag key that means a shared field; the lowest priority wins when a line has several. */
export interface TagAlias {
  readonly tagKey: string;
  readonly field: SharedField;
  readonly priority: number;
}

/** How tag keys are compared: trimmed and case-folded, so ` CostCenter` and `costcenter` agree. */
export function normalizeTagKey(key: string): string {
  return key.trim().toLowerCase();
}

/** Resolves the six shared fields of a line from its tags through the alias table. */
export class TagResolver {
  readonly #byKey: Map<string, { index: number; priority: number }>;

  constructor(aliases: readonly TagAlias[]) {
    this.#byKey = new Map(
      aliases.map((a) => [normalizeTagKey(a.tagKey), { index: sharedFields.indexOf(a.field), priority: a.priority }]),
    );
  }

  /** Whether a tag key maps to a shared field. */
  maps(key: string): boolean {
    return this.#byKey.has(normalizeTagKey(key));
  }

  /** Values in {@link sharedFields} order; null where no tag gave a non-blank value. */
  resolve(tags: Readonly<Record<string, unknown>> | null): (string | null)[] {
    const values: (string | null)[] = [null, null, null, null, null, null];
    if (!tags) return values;
    const best = [Infinity, Infinity, Infinity, Infinity, Infinity, Infinity];
    const bestKey: string[] = ['', '', '', '', '', ''];
    for (const key in tags) {
      const alias = this.#byKey.get(normalizeTagKey(key));
      if (!alias) continue;
      const p = best[alias.index]!;
      // Same rule as the SQL re-resolution: lowest priority, then the smaller raw key.
      if (alias.priority > p || (alias.priority === p && key > bestKey[alias.index]!)) continue;
      const raw = tags[key];
      if (raw === null || raw === undefined || typeof raw === 'object') continue;
      const value = String(raw).trim();
      if (value === '') continue;
      values[alias.index] = value;
      best[alias.index] = alias.priority;
      bestKey[alias.index] = key;
    }
    return values;
  }
}
