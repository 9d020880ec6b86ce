// Cost facts: the one shape every monthly report reads, from the live cost lines or from a close's
// frozen figures (closed_cost). A fact row carries the grain columns under cost_line's names, the
// price key, whether it is a quantified Usage line, the summed amounts and how many lines it holds,
// so a report's SQL is the same whichever source a month comes from.

import { sql, type RawBuilder } from 'kysely';

/** A source of cost facts, to use as a FROM item (`FROM (facts) f`); opaque outside store/. */
export type Facts = RawBuilder<unknown>;

/** A billing-period range: BillingPeriodStart in [start, end), ISO instants. */
export interface FactRange {
  readonly start: string;
  readonly end: string;
}

/** Which frozen figures of a close. */
export type FrozenKind = 'actual' | 'comparative' | 'restatement';

/** A close whose frozen figures stand in for the live lines of its month. */
export interface FrozenMonth {
  readonly closureId: number;
  /** The closed month's range. */
  readonly start: string;
  readonly end: string;
}

/** The grain columns of a fact (the cost_line names), in the order closed_cost stores them. */
export const factGrainColumns = [
  'billing_period_start', 'charge_period_start', 'billing_currency', 'provider_name', 'service_category', 'service_name',
  'sub_account_id', 'billing_account_id', 'region_id', 'charge_category', 'price_key', 'pricing_unit', 'quantified',
  'cost_center', 'application', 'legal_entity', 'environment', 'project', 'owner', 'gl_account', 'invoice_id',
] as const;

/** The summed columns of a fact. */
export const factAmountColumns = ['billed_cost', 'effective_cost', 'list_cost', 'contracted_cost', 'pricing_quantity', 'line_count'] as const;

/** SQL over a cost_line alias `c`: one fact grain column as a live line has it. */
export function liveGrainExpression(c: string, col: (typeof factGrainColumns)[number]): string {
  switch (col) {
    case 'charge_period_start':
      return `(date_trunc('day', ${c}.charge_period_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;
    case 'price_key':
      return `coalesce(${c}.sku_id, ${c}.sku_price_id, ${c}.charge_description)`;
    case 'quantified':
      return `(${c}.charge_category = 'Usage' AND ${c}.pricing_quantity IS NOT NULL AND ${c}.pricing_quantity <> 0)`;
    default:
      return `${c}.${col}`;
  }
}

/** SQL over a cost_line alias `c`: every fact grain column, named. */
export function liveGrainExpressions(c: string): string[] {
  return factGrainColumns.map((col) => `${liveGrainExpression(c, col)} AS ${col}`);
}

const liveAmounts = (c: string) => `${c}.billed_cost, ${c}.effective_cost, ${c}.list_cost, ${c}.contracted_cost, ${c}.pricing_quantity, 1::bigint AS line_count`;
const frozenColumns = [...factGrainColumns, ...factAmountColumns].join(', ');

const inRange = (r: FactRange) => sql`billing_period_start >= ${r.start}::timestamptz AND billing_period_start < ${r.end}::timestamptz`;

/** The live lines of a range as facts (one row per line; the planner flattens it into the caller's query). */
export function liveFacts(range: FactRange): RawBuilder<unknown> {
  return sql`SELECT ${sql.raw(liveGrainExpressions('c').join(', '))}, ${sql.raw(liveAmounts('c'))} FROM cost_line c WHERE ${inRange(range)}`;
}

/** One close's frozen facts of a kind within a range. */
export function frozenFacts(closureId: number, kind: FrozenKind, range: FactRange): RawBuilder<unknown> {
  return sql`SELECT ${sql.raw(frozenColumns)} FROM closed_cost WHERE closure_id = ${closureId} AND kind = ${kind} AND ${inRange(range)}`;
}

/**
 * The facts of a range as reported: the frozen figures of every closed month in `frozen`, and the
 * live lines of every other month. Use it as a FROM item: `FROM (${reportedFacts(...)}) f`.
 */
export function reportedFacts(range: FactRange, frozen: readonly FrozenMonth[]): RawBuilder<unknown> {
  const overlapping = frozen.filter((m) => m.start < range.end && m.end > range.start);
  if (overlapping.length === 0) return liveFacts(range);
  const outside = overlapping.map((m) => sql`NOT (c.billing_period_start >= ${m.start}::timestamptz AND c.billing_period_start < ${m.end}::timestamptz)`);
  const live = sql`SELECT ${sql.raw(liveGrainExpressions('c').join(', '))}, ${sql.raw(liveAmounts('c'))} FROM cost_line c
                    WHERE ${inRange(range)} AND ${sql.join(outside, sql` AND `)}`;
  return unionFacts([live, ...overlapping.map((m) => frozenFacts(m.closureId, 'actual', range))]);
}

/** Facts with every amount negated (to subtract one source from another in one grouping). */
export function negatedFacts(facts: RawBuilder<unknown>): RawBuilder<unknown> {
  const negated = factAmountColumns.map((col) => `-${col} AS ${col}`).join(', ');
  return sql`SELECT ${sql.raw(factGrainColumns.join(', '))}, ${sql.raw(negated)} FROM (${facts}) n`;
}

/** Several fact sources as one (each operand parenthesized, so a source may have its own WITH). */
export function unionFacts(parts: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
  return sql.join(parts.map((p) => sql`(${p})`), sql` UNION ALL `);
}
