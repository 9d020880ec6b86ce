import { z } from 'zod';
import { decimalText, isCurrencyCode } from './cell-values.js';
import type { CellError } from './focus-row.js';

// The three ITFM file formats (cost centers, budgets, GL actuals): their columns and the zod schema
// every data row must pass. Cells arrive as text keyed by our column name; a column the file does
// not have arrives as undefined.

/** The ITFM files costbridge imports, named as `import_batch.kind` names them. */
export type ItfmKind = 'cost-centers' | 'budgets' | 'gl';

/** A budget line is either the approved budget or finance's forecast. */
export const budgetVersions = ['budget', 'forecast'] as const;
export type BudgetVersion = (typeof budgetVersions)[number];

/** One cell that must hold text: no NUL character (Postgres text cannot store it), blanks trimmed. */
const cell = () => z.string().refine((v) => !v.includes('\u0000'), { error: 'contains a NUL character', abort: true }).trim();

const requiredText = () => cell().min(1, { error: 'is required but empty', abort: true });

/** An optional text cell: empty means null; a column the file lacks stays undefined. */
const optionalText = () =>
  cell()
    .transform((v) => (v === '' ? null : v))
    .optional();

const monthPattern = /^([1-9]\d{3})-(0[1-9]|1[0-2])(?:-01)?$/;

/** `2025-03` or `2025-03-01` as the first day of the month (`2025-03-01`); undefined for anything else. */
export function parseMonth(text: string): string | undefined {
  const m = monthPattern.exec(text.trim());
  return m ? `${m[1]}-${m[2]}-01` : undefined;
}

const month = (what: string) =>
  requiredText().transform((v, ctx) => {
    const first = parseMonth(v);
    if (first === undefined) {
      ctx.addIssue({ code: 'custom', input: v, message: `is not a ${what} (YYYY-MM): ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return first;
  });

/** An exact decimal kept as text (never a JS number), as Postgres `numeric` will read it. */
const amount = () =>
  requiredText().refine((v) => decimalText(v) !== undefined, {
    error: (iss) => `is not a decimal number (like 1234.56): ${JSON.stringify(iss.input)}`,
  });

const currency = () =>
  requiredText().refine(isCurrencyCode, {
    error: (iss) => `is not a three-letter currency code (like EUR): ${JSON.stringify(iss.input)}`,
  });

const version = () =>
  requiredText()
    .toLowerCase()
    .pipe(z.enum(budgetVersions, { error: (iss) => `must be budget or forecast; got ${JSON.stringify(iss.input)}` }));

/** A cost center row; optional fields are null when empty and undefined when the file has no such column. */
export const costCenterRowSchema = z.object({
  code: requiredText(),
  name: requiredText(),
  parent: optionalText(),
  owner: optionalText(),
  legal_entity: optionalText(),
  chat_channel: optionalText(),
});
export type CostCenterRow = z.output<typeof costCenterRowSchema>;

/** A budget or forecast amount for a cost center, category and month (stored as its first day). */
export const budgetRowSchema = z.object({
  cost_center: requiredText(),
  category: cell().optional().transform((v) => v ?? ''),
  month: month('month'),
  amount: amount(),
  currency: currency(),
  version: version(),
});
export type BudgetRow = z.output<typeof budgetRowSchema>;

/** A general-ledger actual for a period (stored as its first day). */
export const glRowSchema = z.object({
  period: month('period'),
  cost_center: requiredText(),
  gl_account: requiredText(),
  vendor: optionalText().transform((v) => v ?? null),
  invoice_id: optionalText().transform((v) => v ?? null),
  amount: amount(),
  currency: currency(),
  description: optionalText().transform((v) => v ?? null),
});
export type GlRow = z.output<typeof glRowSchema>;

/** What an ITFM format looks like: its columns, the ones a header must have, and its row schema. */
export interface ItfmFormat<Row> {
  readonly kind: ItfmKind;
  /** Every column the format knows, in documented order. */
  readonly columns: readonly string[];
  readonly required: readonly string[];
  readonly schema: z.ZodType<Row, Record<string, string | undefined>>;
}

/** `code,name,parent,owner,legal_entity,chat_channel`. */
export const costCenterFormat: ItfmFormat<CostCenterRow> = {
  kind: 'cost-centers',
  columns: ['code', 'name', 'parent', 'owner', 'legal_entity', 'chat_channel'],
  required: ['code', 'name'],
  schema: costCenterRowSchema,
};

/**
 * `cost_center,category,month,amount,currency,version`. Without a version column every row takes the
 * version given on the command line, so `version` is only required when none is.
 */
export function budgetFormat(defaultVersion?: BudgetVersion): ItfmFormat<BudgetRow> {
  const required = ['cost_center', 'month', 'amount', 'currency'];
  return {
    kind: 'budgets',
    columns: ['cost_center', 'category', 'month', 'amount', 'currency', 'version'],
    required: defaultVersion ? required : [...required, 'version'],
    schema: defaultVersion ? budgetRowSchemaWith(defaultVersion) : budgetRowSchema,
  };
}

/** An empty or absent version cell takes `given`; a cell naming the other version is an error. */
function budgetRowSchemaWith(given: BudgetVersion) {
  return budgetRowSchema.extend({
    version: cell()
      .optional()
      .transform((v, ctx) => {
        const written = v?.toLowerCase() || given;
        if (written !== given) {
          ctx.addIssue({ code: 'custom', input: v, message: `is ${JSON.stringify(v)} but --budget-version ${given} was given` });
          return z.NEVER;
        }
        return given;
      }),
  });
}

/** `period,cost_center,gl_account,vendor,invoice_id,amount,currency,description`. */
export const glFormat: ItfmFormat<GlRow> = {
  kind: 'gl',
  columns: ['period', 'cost_center', 'gl_account', 'vendor', 'invoice_id', 'amount', 'currency', 'description'],
  required: ['period', 'cost_center', 'gl_account', 'amount', 'currency'],
  schema: glRowSchema,
};

/** Validates one row's cells; every failing cell is reported once, under our column name. */
export function parseItfmRow<Row>(
  format: ItfmFormat<Row>,
  cells: Record<string, string | undefined>,
  line: number,
): { ok: true; row: Row } | { ok: false; errors: CellError[] } {
  const parsed = format.schema.safeParse(cells);
  if (parsed.success) return { ok: true, row: parsed.data };
  const seen = new Set<string>();
  const errors: CellError[] = [];
  for (const issue of parsed.error.issues) {
    const column = String(issue.path[0] ?? '(row)');
    if (seen.has(column)) continue;
    seen.add(column);
    errors.push({ line, column, reason: issue.message });
  }
  return { ok: false, errors };
}
