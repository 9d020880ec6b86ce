import { z } from 'zod';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { CostbridgeError } from './costbridge-error.js';
import { Money } from './money.js';
import { allocationMethods, type AllocationMethod } from './allocation.js';

export { implicitPool, type PoolMatch, type PoolReference, type SharedPool } from './allocation-pool.js';
import type { PoolReference, SharedPool } from './allocation-pool.js';

const text = z.string().trim().min(1, 'must not be empty');
const oneOrMany = z.union([text, z.array(text).min(1, 'must list at least one value')]).transform((v) => (Array.isArray(v) ? v : [v]));
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const decimal = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, 'must be a positive decimal percentage such as 25 or 33.34');

const matchSchema = z
  .strictObject({
    costCenter: oneOrMany.optional(),
    provider: oneOrMany.optional(),
    service: oneOrMany.optional(),
    serviceCategory: oneOrMany.optional(),
    subAccount: oneOrMany.optional(),
    billingAccount: oneOrMany.optional(),
    tags: z.record(text, text).optional(),
    unattributedOnly: flag.optional(),
  })
  .refine((m) => Object.keys(m).some((k) => k !== 'unattributedOnly'), 'needs at least one condition (costCenter, provider, service, serviceCategory, subAccount, billingAccount or tags)');

const poolSchema = z.strictObject({
  name: text,
  method: z.enum(allocationMethods as [AllocationMethod, ...AllocationMethod[]], { error: `must be one of ${allocationMethods.join(', ')}` }),
  match: matchSchema,
  among: oneOrMany.optional(),
  shares: z.record(text, decimal).optional(),
  glAccount: text.optional(),
});

const fileSchema = z.strictObject({ pools: z.array(poolSchema) });

/**
 * Parses a shared-pools file (YAML, or JSON, which is YAML too). Scalars are read as text so
 * percentages stay exact decimals. Every problem is reported as `file:line:col: path: reason`.
 */
export function parseSharedPools(source: string, file: string): SharedPool[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, schema: 'failsafe', prettyErrors: false, uniqueKeys: true });
  const at = (path: readonly PropertyKey[], key = false): string => locate(doc, lineCounter, file, path, key);
  if (doc.errors.length > 0) {
    throw new CostbridgeError(
      'INPUT_INVALID',
      `${file}: not valid YAML or JSON`,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return `${file}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`;
      }),
    );
  }
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new CostbridgeError(
      'INPUT_INVALID',
      `${file}: invalid shared-cost pools`,
      parsed.error.issues.map((i) => {
        // An unknown field is pointed at by its own key, not by the object holding it.
        const where = i.code === 'unrecognized_keys' ? at([...i.path, i.keys[0]!], true) : at(i.path);
        return `${where}: ${formatPath(i.path) || '(file)'}: ${issueMessage(i)}`;
      }),
    );
  }
  const problems: string[] = [];
  const pools: SharedPool[] = [];
  const seen = new Map<string, string>();
  parsed.data.pools.forEach((p, i) => {
    const where = at(['pools', i]);
    const nameAt = at(['pools', i, 'name']);
    const earlier = seen.get(p.name);
    if (earlier) problems.push(`${nameAt}: pools[${i}].name: pool "${p.name}" is already defined at ${earlier}`);
    seen.set(p.name, nameAt);
    const references: PoolReference[] = [];
    p.match.costCenter?.forEach((code, j) =>
      references.push({ code, where: at(Array.isArray(getNode(doc, ['pools', i, 'match', 'costCenter'])) ? ['pools', i, 'match', 'costCenter', j] : ['pools', i, 'match', 'costCenter']) }),
    );
    if (p.method === 'fixed') {
      if (!p.shares || Object.keys(p.shares).length === 0) {
        problems.push(`${where}: pools[${i}].shares: method fixed needs shares: percentages per cost center summing to 100`);
      } else {
        const sum = Object.values(p.shares).reduce((s, v) => s.plus(v), new Money(0));
        if (!sum.eq(100)) problems.push(`${at(['pools', i, 'shares'])}: pools[${i}].shares: percentages sum to ${sum.toFixed()}, must be exactly 100`);
        for (const [code, percent] of Object.entries(p.shares)) {
          if (new Money(percent).isZero()) problems.push(`${at(['pools', i, 'shares', code])}: pools[${i}].shares.${code}: must be greater than 0`);
          references.push({ code, where: at(['pools', i, 'shares', code], true) });
        }
      }
      if (p.among) problems.push(`${at(['pools', i, 'among'])}: pools[${i}].among: not used by method fixed (the shares name the cost centers)`);
    } else {
      if (p.shares) problems.push(`${at(['pools', i, 'shares'])}: pools[${i}].shares: only method fixed takes shares`);
      const twice = p.among?.filter((code, j) => p.among!.indexOf(code) !== j) ?? [];
      if (twice.length > 0) problems.push(`${at(['pools', i, 'among'])}: pools[${i}].among: ${[...new Set(twice)].join(', ')} listed twice`);
      p.among?.forEach((code, j) =>
        references.push({ code, where: at(Array.isArray(getNode(doc, ['pools', i, 'among'])) ? ['pools', i, 'among', j] : ['pools', i, 'among']) }),
      );
    }
    const m = p.match;
    pools.push({
      name: p.name,
      method: p.method,
      match: {
        ...(m.costCenter ? { costCenter: m.costCenter } : {}),
        ...(m.provider ? { provider: m.provider } : {}),
        ...(m.service ? { service: m.service } : {}),
        ...(m.serviceCategory ? { serviceCategory: m.serviceCategory } : {}),
        ...(m.subAccount ? { subAccount: m.subAccount } : {}),
        ...(m.billingAccount ? { billingAccount: m.billingAccount } : {}),
        ...(m.tags ? { tags: Object.entries(m.tags).map(([key, value]) => ({ key: key.trim().toLowerCase(), value })) } : {}),
        unattributedOnly: m.unattributedOnly ?? false,
      },
      ...(p.among ? { among: p.among } : {}),
      ...(p.shares ? { shares: Object.entries(p.shares).map(([costCenter, percent]) => ({ costCenter, percent: new Money(percent).toFixed() })) } : {}),
      ...(p.glAccount ? { glAccount: p.glAccount } : {}),
      where,
      references,
    });
  });
  if (problems.length > 0) throw new CostbridgeError('INPUT_INVALID', `${file}: invalid shared-cost pools`, problems);
  return pools;
}

function getNode(doc: Document, path: readonly PropertyKey[]): unknown {
  const node = doc.getIn(path as unknown[], true) as { items?: unknown } | undefined;
  return node && Array.isArray(node.items) ? node.items : node;
}

/** `file:line:col` of the node at `path` (or of its key), falling back to the nearest existing parent. */
function locate(doc: Document, lc: LineCounter, file: string, path: readonly PropertyKey[], key: boolean): string {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    let offset: number | undefined;
    if (key && n === path.length && n > 0) {
      const parent = doc.getIn(sub.slice(0, -1) as unknown[], true) as { items?: { key?: { value?: unknown; range?: number[] } }[] } | undefined;
      const pair = parent?.items?.find((it) => it.key?.value === sub[sub.length - 1]);
      offset = pair?.key?.range?.[0];
    }
    if (offset === undefined) {
      const node = (n === 0 ? doc.contents : doc.getIn(sub as unknown[], true)) as { range?: number[] } | null | undefined;
      offset = node?.range?.[0];
    }
    if (offset !== undefined) {
      const pos = lc.linePos(offset);
      return `${file}:${pos.line}:${pos.col}`;
    }
  }
  return `${file}:1:1`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}
