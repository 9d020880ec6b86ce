// The contract file a FinOps or procurement person writes when a deal is signed (YAML or JSON):
// parsed with line numbers and validated with zod, so every error names file, line, column and path.

import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { z } from 'zod';
import type { ComponentMatch, ContractMatch, SharedFieldValues } from './attribution.js';
import { Money } from './money.js';
import { parseSharedField, sharedFieldFlag, sharedFields } from './shared-fields.js';

/** Contract categories: the kinds of spend a contract classifies. */
export const contractCategories = ['cloud', 'saas', 'ai', 'license', 'data-platform', 'on-premises'] as const;
/** One contract category. */
export type ContractCategory = (typeof contractCategories)[number];

/** A validated contract, ready to store. Patterns are globs (see glob-pattern.ts). */
export interface ContractDefinition {
  readonly id: string;
  readonly vendor: ContractMatch;
  readonly category: ContractCategory;
  readonly startDate: string;
  readonly endDate: string | null;
  readonly expectedMonthlyAmount: string | null;
  readonly currency: string | null;
  readonly glAccount: string;
  readonly costPool: string | null;
  readonly tower: string | null;
  readonly attribution: SharedFieldValues;
  readonly components: readonly {
    readonly name: string;
    readonly match: ComponentMatch;
    readonly glAccount: string | null;
    readonly attribution: SharedFieldValues;
  }[];
}

const text = z.string().trim().min(1, 'must not be empty');
// "" matches only lines without the value; "*" matches anything.
const pattern = z.string();
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, 'is not a calendar date');

const attribution = z
  .record(z.string(), text)
  .superRefine((values, ctx) => {
    for (const key of Object.keys(values)) {
      if (!parseSharedField(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `is not a shared field; use ${sharedFields.map(sharedFieldFlag).join(', ')}`,
        });
      }
    }
  })
  .transform((values) => {
    const out: SharedFieldValues = {};
    for (const [key, value] of Object.entries(values)) out[parseSharedField(key)!] = value;
    return out;
  });

const vendor = z
  .strictObject({
    invoiceIssuerName: pattern.optional(),
    publisherName: pattern.optional(),
    providerName: pattern.optional(),
    billingAccountId: pattern.optional(),
    subAccountId: pattern.optional(),
    skuId: pattern.optional(),
    chargeDescription: pattern.optional(),
    serviceCategory: pattern.optional(),
  })
  .refine((v) => v.invoiceIssuerName ?? v.publisherName ?? v.providerName, 'needs invoiceIssuerName, publisherName or providerName');

const component = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, like token or license'),
  match: z
    .strictObject({
      pricingUnit: pattern.optional(),
      skuId: pattern.optional(),
      chargeDescription: pattern.optional(),
      serviceSubcategory: pattern.optional(),
    })
    .refine((m) => Object.keys(m).length > 0, 'needs pricingUnit, skuId, chargeDescription or serviceSubcategory'),
  glAccount: text.optional(),
  attribution: attribution.optional(),
});

const contract = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dots, dashes or underscores'),
    vendor,
    category: z.enum(contractCategories, { error: `must be one of ${contractCategories.join(', ')}` }),
    startDate: isoDate,
    endDate: isoDate.optional(),
    expectedMonthlyAmount: z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal like 12000.00')
      .optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code like USD').optional(),
    glAccount: text,
    costCategory: z.strictObject({ costPool: text.optional(), tower: text.optional() }).optional(),
    attribution: attribution.optional(),
    components: z.array(component).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.endDate && c.endDate < c.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'is before startDate' });
    if (c.expectedMonthlyAmount !== undefined && !c.currency) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is required with expectedMonthlyAmount' });
    }
    const seen = new Set<string>();
    (c.components ?? []).forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: ['components', i, 'name'], message: `${p.name} appears twice` });
      seen.add(p.name);
    });
  });

const file = z.union([contract, z.strictObject({ contracts: z.array(contract).min(1, 'must list at least one contract') })]);

/** A located problem in a contract file. */
export interface ContractFileError {
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly reason: string;
}

/**
 * Parses a contract file (one contract, or `contracts:` with several). YAML and JSON both go
 * through the YAML parser, so errors carry line and column either way; numbers are kept as written
 * (`12000.50` stays exact, `glAccount: 6410` is the text "6410").
 */
export function parseContractFile(source: string): { ok: true; contracts: ContractDefinition[] } | { ok: false; errors: ContractFileError[] } {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const at = lines.linePos(e.pos[0]);
        return { line: at.line, column: at.col, path: '(file)', reason: e.message.split('\n')[0]! };
      }),
    };
  }
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && node.source !== undefined) node.value = node.source;
    },
  });
  const value: unknown = doc.toJS();
  // A single contract is validated as such, so its errors are not reported twice (once per union arm).
  const isList = typeof value === 'object' && value !== null && 'contracts' in value;
  const parsed = (isList ? file : contract).safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => {
        const at = locate(doc, lines, issue.path as (string | number)[]);
        return { ...at, path: issue.path.length ? issue.path.join('.') : '(document)', reason: reasonOf(issue) };
      }),
    };
  }
  const list = 'contracts' in parsed.data ? parsed.data.contracts : [parsed.data];
  const ids = new Set<string>();
  const errors: ContractFileError[] = [];
  list.forEach((c, i) => {
    if (ids.has(c.id)) errors.push({ ...locate(doc, lines, ['contracts', i, 'id']), path: `contracts.${i}.id`, reason: `${c.id} appears twice` });
    ids.add(c.id);
  });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    contracts: list.map((c) => ({
      id: c.id,
      vendor: c.vendor,
      category: c.category,
      startDate: c.startDate,
      endDate: c.endDate ?? null,
      expectedMonthlyAmount: c.expectedMonthlyAmount === undefined ? null : new Money(c.expectedMonthlyAmount).toFixed(),
      currency: c.currency ?? null,
      glAccount: c.glAccount,
      costPool: c.costCategory?.costPool ?? null,
      tower: c.costCategory?.tower ?? null,
      attribution: c.attribution ?? {},
      components: (c.components ?? []).map((p) => ({
        name: p.name,
        match: p.match,
        glAccount: p.glAccount ?? null,
        attribution: p.attribution ?? {},
      })),
    })),
  };
}

function reasonOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'unrecognized_keys') return `unknown key(s): ${issue.keys.join(', ')}`;
  return issue.message;
}

/** The line and column of the deepest node on `path` that exists (a missing key points at its parent). */
function locate(doc: Document, lines: LineCounter, path: (string | number)[]): { line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range && (n === 0 || isScalar(node) || typeof node === 'object')) {
      const at = lines.linePos(range[0]);
      return { line: at.line, column: at.col };
    }
  }
  return { line: 1, column: 1 };
}
