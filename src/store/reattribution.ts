// Set-based re-attribution: recomputes the six shared fields (and their sources, contract,
// component and GL account) of the stored lines in a scope with one UPDATE ... FROM, by the same
// precedence as domain/attribution.ts (valid tag, contract, rules by priority).

import { sql, type Kysely, type Transaction } from 'kysely';
import { sharedFields } from '../domain/shared-fields.js';
import { addToRollupSql, removeEmptyRollupRows, rollupAmountColumns, rollupChangeColumns, rollupGrainColumns, withHashedRollupGrouping } from './cost-rollup.js';
import { kyselyRunner, withLocalSettings, type SqlRunner } from './sql-runner.js';
import type { Database } from './tables.js';

const isSharedField = (col: string): boolean => (sharedFields as readonly string[]).includes(col);

/** The same key the FOCUS import locks, so a re-attribution and an import never interleave. */
export const attributionLockKey = 7_265_302;

/** Which stored lines to recompute: a SQL predicate over `c` (a cost_line) and its parameters. */
export interface ReattributionScope {
  readonly where: string;
  readonly params: readonly unknown[];
  /** A rule whose own values narrow the scope (its periods and patterns as constants), see `narrowedByRule`. */
  readonly rule?: number;
}

/** Lines a rule matches (removed or not), within its effective periods. */
export function ruleScope(ruleId: number): ReattributionScope {
  return { where: `EXISTS (SELECT 1 FROM attribution_rule r WHERE r.id = $1 AND ${ruleMatches('r', 'c')})`, params: [ruleId], rule: ruleId };
}

/** The rule columns a line column is matched against (cost_line column, attribution_rule column). */
const ruleMatchColumns = [
  ['provider_name', 'match_provider'], ['billing_account_id', 'match_billing_account'], ['sub_account_id', 'match_sub_account'],
  ['service_name', 'match_service'], ['service_category', 'match_service_category'], ['sku_id', 'match_sku'],
  ['region_id', 'match_region'], ['resource_id', 'match_resource_id'],
] as const;

/**
 * The scope restated as the rule's own predicate with its values as constants: its effective
 * period, its patterns and its tag conditions (the same lines as `ruleMatches`). Unlike the rule's
 * correlated predicate these let the planner prune billing-period partitions, use the condition
 * columns' indexes (cost_line_rule_match, cost_line_resource), so a claim's rule touches its item's
 * lines only, and estimate how many lines match, so it picks plans that suit a million of them.
 */
async function narrowedByRule(runner: SqlRunner, scope: ReattributionScope): Promise<ReattributionScope> {
  if (scope.rule === undefined) return scope;
  const [rule] = await runner.rows<Record<string, string | null>>(
    `SELECT effective_from::text AS effective_from, effective_until::text AS effective_until, tag_conditions::text AS tag_conditions,
            ${ruleMatchColumns.map(([, m]) => m).join(', ')}
       FROM attribution_rule WHERE id = $1`,
    [scope.rule],
  );
  if (!rule) return scope;
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const narrow = [`c.billing_period_start >= ${param(rule.effective_from)}::timestamptz`];
  if (rule.effective_until !== null) narrow.push(`c.billing_period_start < ${param(rule.effective_until)}::timestamptz`);
  for (const [column, match] of ruleMatchColumns) {
    const pattern = rule[match];
    if (pattern === null || pattern === undefined) continue;
    // The rule compares coalesce(column, '') LIKE pattern: only a pattern of '%'s matches '', and so takes NULLs.
    const matchesEmpty = /^%*$/.test(pattern);
    const like = `c.${column} LIKE ${param(pattern)} ESCAPE '\\'`;
    narrow.push(matchesEmpty ? `(c.${column} IS NULL OR ${like})` : like);
  }
  if (rule.tag_conditions !== null && rule.tag_conditions !== '[]') narrow.push(tagConditionsMatch(`${param(rule.tag_conditions)}::jsonb`, 'c'));
  return { where: narrow.join(' AND '), params };
}

/** Lines a rule currently sets a field of (what removing it can change). */
export function ruleSourceScope(ruleId: number): ReattributionScope {
  return { where: `$1 IN (${sharedFields.map((f) => `c.${f}_source`).join(', ')})`, params: [`rule:${ruleId}`] };
}

/** Lines on a contract now, or that its current terms cover. */
export function contractScope(contractId: string): ReattributionScope {
  return {
    where: `(c.contract_id = $1 OR EXISTS (SELECT 1 FROM contract k WHERE k.id = $1 AND ${contractMatches('k', 'c')}))`,
    params: [contractId],
  };
}

/**
 * Lines whose cost-center tag value changed validity (master data added, or loaded for the first
 * time), and lines whose owner comes, or could come, from the master data of their cost center.
 */
export function costCenterScope(): ReattributionScope {
  return {
    where: `(c.tag_cost_center IS NOT NULL
        AND (NOT EXISTS (SELECT 1 FROM cost_center) OR EXISTS (SELECT 1 FROM cost_center x WHERE x.code = c.tag_cost_center))
            IS DISTINCT FROM (c.cost_center_source = 'tag'))
     OR ${ownerFromMasterDataWhere}`,
    params: [],
  };
}

const ownerFromMasterDataWhere = `(c.cost_center IS NOT NULL AND (c.owner IS NULL OR c.owner_source = 'master-data'))`;

/** Lines whose owner comes, or could come, from their cost center's master data (what the setting changes). */
export function masterDataOwnerScope(): ReattributionScope {
  return { where: ownerFromMasterDataWhere, params: [] };
}

/** Every stored line. */
export function allLinesScope(): ReattributionScope {
  return { where: 'true', params: [] };
}

const like = (column: string, pattern: string) => `(${pattern} IS NULL OR coalesce(${column}, '') LIKE ${pattern} ESCAPE '\\')`;

/** SQL: rule `r` matches line `t` (effective period unless `dates` is false, FOCUS fields, tags). */
export function ruleMatches(r: string, t: string, dates = true): string {
  return [
    ...(dates
      ? [`${t}.billing_period_start >= ${r}.effective_from`, `(${r}.effective_until IS NULL OR ${t}.billing_period_start < ${r}.effective_until)`]
      : []),
    like(`${t}.provider_name`, `${r}.match_provider`),
    like(`${t}.billing_account_id`, `${r}.match_billing_account`),
    like(`${t}.sub_account_id`, `${r}.match_sub_account`),
    like(`${t}.service_name`, `${r}.match_service`),
    like(`${t}.service_category`, `${r}.match_service_category`),
    like(`${t}.sku_id`, `${r}.match_sku`),
    like(`${t}.region_id`, `${r}.match_region`),
    like(`${t}.resource_id`, `${r}.match_resource_id`),
    tagConditionsMatch(`${r}.tag_conditions`, t),
  ].join('\n AND ');
}

/** SQL: line `t` carries a tag matching each of `conditions` (a jsonb array of {key, like}; key trimmed and case-folded). */
function tagConditionsMatch(conditions: string, t: string): string {
  return `NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${conditions}) tc
       WHERE NOT EXISTS (SELECT 1 FROM jsonb_each(${t}.tags) tg
                          WHERE lower(btrim(tg.key)) = tc->>'key'
                            AND jsonb_typeof(tg.value) IN ('string', 'number', 'boolean')
                            AND btrim(tg.value #>> '{}') <> ''
                            AND btrim(tg.value #>> '{}') LIKE tc->>'like' ESCAPE '\\'))`;
}

/** SQL: contract `k` covers line `t` (charge period within its dates unless `dates` is false, vendor and account patterns). */
export function contractMatches(k: string, t: string, dates = true): string {
  return [
    ...(dates
      ? [
          `${t}.charge_period_start >= (${k}.start_date::timestamp AT TIME ZONE 'UTC')`,
          `(${k}.end_date IS NULL OR ${t}.charge_period_start < ((${k}.end_date + 1)::timestamp AT TIME ZONE 'UTC'))`,
        ]
      : []),
    like(`${t}.invoice_issuer_name`, `${k}.match_invoice_issuer`),
    like(`${t}.publisher_name`, `${k}.match_publisher`),
    like(`${t}.provider_name`, `${k}.match_provider`),
    like(`${t}.billing_account_id`, `${k}.match_billing_account`),
    like(`${t}.sub_account_id`, `${k}.match_sub_account`),
    like(`${t}.sku_id`, `${k}.match_sku`),
    like(`${t}.charge_description`, `${k}.match_charge_description`),
    like(`${t}.service_category`, `${k}.match_service_category`),
  ].join('\n AND ');
}

function componentMatches(p: string, t: string): string {
  return [
    like(`${t}.pricing_unit`, `${p}.match_pricing_unit`),
    like(`${t}.sku_id`, `${p}.match_sku`),
    like(`${t}.charge_description`, `${p}.match_charge_description`),
    like(`${t}.service_subcategory`, `${p}.match_service_subcategory`),
  ].join('\n AND ');
}

const lineColumns = [
  'billing_period_start', 'id', 'charge_period_start', 'provider_name', 'publisher_name', 'invoice_issuer_name',
  'billing_account_id', 'sub_account_id', 'service_name', 'service_category', 'service_subcategory', 'sku_id',
  'region_id', 'resource_id', 'charge_description', 'pricing_unit', 'tags',
  ...sharedFields.map((f) => `tag_${f}`),
];

/** SQL: whether cost-center master data exists (a tag value is then valid only when it is known). */
export const masterDataCte = `m AS (SELECT EXISTS (SELECT 1 FROM cost_center) AS present,
  coalesce((SELECT owner_from_master_data FROM attribution_setting), true) AS owner_from_master)`;

/**
 * SQL of the CTE `d`: for each line of a CTE `t` (its `lineColumns`, plus `passthrough` columns
 * carried unchanged, and its billing period), the six shared fields with their sources, the contract, component and GL
 * account, by the same precedence as the import (valid tag, contract, rules by priority). Needs `m`.
 * `materialized` keeps the planner from moving a later join below the decision, which would then
 * be made once per row of that join instead of once per row of `t`.
 */
export function attributionDecisionCte(passthrough: readonly string[] = [], materialized = false): string {
  const tagOk = (f: string) =>
    f === 'cost_center'
      ? `(t.tag_cost_center IS NOT NULL AND (NOT m.present OR EXISTS (SELECT 1 FROM cost_center x WHERE x.code = t.tag_cost_center)))`
      : `(t.tag_${f} IS NOT NULL)`;
  const contractValue = (f: string) => `coalesce(cp.set_${f}, ct.set_${f})`;
  const decided = (f: string) => `CASE WHEN ${tagOk(f)} THEN t.tag_${f} WHEN ${contractValue(f)} IS NOT NULL THEN ${contractValue(f)} ELSE rr.v_${f} END`;
  // The owner falls back to the final cost center's owner in master data (source 'master-data').
  const finals = sharedFields.flatMap((f) => [
    f === 'owner' ? `coalesce(${decided(f)}, mo.owner) AS ${f}` : `${decided(f)} AS ${f}`,
    `CASE WHEN ${tagOk(f)} THEN 'tag' WHEN ${contractValue(f)} IS NOT NULL THEN 'contract'
          WHEN rr.i_${f} IS NOT NULL THEN 'rule:' || rr.i_${f}${f === 'owner' ? ` WHEN mo.owner IS NOT NULL THEN 'master-data'` : ''} END AS ${f}_source`,
  ]);
  const ruleAggregates = sharedFields.flatMap((f) => [
    `(array_agg(r.set_${f} ORDER BY r.priority, r.id) FILTER (WHERE r.set_${f} IS NOT NULL))[1] AS v_${f}`,
    `(array_agg(r.id ORDER BY r.priority, r.id) FILTER (WHERE r.set_${f} IS NOT NULL))[1] AS i_${f}`,
  ]);
  return `d AS ${materialized ? 'MATERIALIZED ' : ''}(
  SELECT t.billing_period_start,
         ${[...finals, ...passthrough.map((p) => `t.${p}`)].join(',\n         ')},
         ct.id AS contract_id,
         cp.name AS contract_component,
         CASE WHEN ct.id IS NOT NULL THEN coalesce(cp.gl_account, ct.gl_account) END AS gl_account
    FROM t CROSS JOIN m
    LEFT JOIN LATERAL (
      SELECT k.* FROM contract k WHERE ${contractMatches('k', 't')}
       ORDER BY k.start_date DESC, k.id COLLATE "C" LIMIT 1) ct ON true
    LEFT JOIN LATERAL (
      SELECT p.* FROM contract_component p WHERE p.contract_id = ct.id AND ${componentMatches('p', 't')}
       ORDER BY p.position LIMIT 1) cp ON true
    LEFT JOIN LATERAL (
      SELECT ${ruleAggregates.join(',\n             ')}
        FROM attribution_rule r WHERE r.removed_at IS NULL AND ${ruleMatches('r', 't')}) rr ON true
    LEFT JOIN cost_center mo ON m.owner_from_master AND mo.code = ${decided('cost_center')}
)`;
}

/** The line columns the attribution decision reads (a `t` CTE must provide them). */
export const attributionLineColumns: readonly string[] = lineColumns;

const written = [...sharedFields.flatMap((f) => [f, `${f}_source`]), 'contract_id', 'contract_component', 'gl_account'];

/**
 * SQL: every date at which some contract starts or stops covering a charge (sorted, possibly
 * empty). Two charge starts between the same two bounds are covered by the same contracts.
 */
const contractDateBounds = `(SELECT coalesce(array_agg(b ORDER BY b), '{}') FROM (
    SELECT start_date::timestamp AT TIME ZONE 'UTC' AS b FROM contract
     UNION SELECT (end_date + 1)::timestamp AT TIME ZONE 'UTC' FROM contract WHERE end_date IS NOT NULL) x)`;

/**
 * What the decision of a line over `c` depends on, and what it replaces: the columns it reads
 * (but the id and the charge start), the charge start's place among the contracts' dates, and the
 * written columns as stored. Lines equal in all of these are decided once and alike.
 */
/** The line columns a group of lines shares (all the decision reads but the id and the charge start). */
const groupedLineColumns = lineColumns.filter((col) => col !== 'id' && col !== 'charge_period_start');

const decisionInput = [
  ...groupedLineColumns.map((col) => `c.${col}`),
  `width_bucket(c.charge_period_start, ${contractDateBounds})`,
  ...written.map((col) => `c.${col}`),
];

/**
 * One statement: group the lines in scope by their decision input (with stack-level tags, the
 * benchmark's 564k lines in scope make 19k groups), decide each group once, update the lines of
 * the groups whose decision differs, and move their amounts from their old rollup row to their new
 * one (the group's old values ride along to RETURNING; the lines are summed once per new and old
 * row pair, `v`, then taken from the old row and added to the new). Deciding per line took half of the time.
 */
function reattributionSql(scope: ReattributionScope): string {
  // Besides the six fields, whether a contract covers the line is a rollup grain column (the digest's
  // uncontracted spend reads it), so a line that gains or loses its contract moves too.
  const oldFields = [...sharedFields.map((f) => `old_${f}`), 'old_contracted'];
  const oldValues = [...sharedFields.map((f) => `u.old_${f}`), '(u.old_contract_id IS NOT NULL) AS old_contracted'];
  const moved = `(${[...sharedFields.map((f) => `u.old_${f}`), 'u.old_contract_id IS NOT NULL'].join(', ')})
    IS DISTINCT FROM (${[...sharedFields.map((f) => `u.${f}`), 'u.contract_id IS NOT NULL'].join(', ')})`;
  const returned = [
    'billing_period_start', 'charge_period_start', 'billing_currency', 'provider_name', 'billing_account_id', 'sub_account_id',
    'region_id', 'service_category', 'service_name', 'sku_id', 'sku_price_id', 'charge_description', 'pricing_unit', 'charge_category',
    'publisher_name', 'invoice_issuer_name', 'contract_id', ...sharedFields, 'extra',
    'billed_cost', 'effective_cost', 'list_cost', 'contracted_cost', 'pricing_quantity', 'consumed_quantity',
  ];
  // Any charge start of a group stands for all of them: contracts see only its place among their dates.
  return `
WITH ${masterDataCte},
t AS (SELECT ${groupedLineColumns.map((col) => `c.${col}`).join(', ')}, min(c.charge_period_start) AS charge_period_start,
             ${written.map((col) => `c.${col} AS old_${col}`).join(', ')}, array_agg(c.id) AS ids, row_number() OVER () AS decision
        FROM cost_line c WHERE ${scope.where}
       GROUP BY ${decisionInput.join(', ')}),
${attributionDecisionCte(['ids', 'decision', ...written.map((col) => `old_${col}`)], true)},
l AS MATERIALIZED (
  SELECT d.billing_period_start, l.id, d.decision FROM d CROSS JOIN LATERAL unnest(d.ids) AS l(id)
   WHERE (${written.map((col) => `d.old_${col}`).join(', ')}) IS DISTINCT FROM (${written.map((col) => `d.${col}`).join(', ')})
   ORDER BY d.billing_period_start, l.id),
u AS (
  UPDATE cost_line c
     SET ${written.map((col) => `${col} = d.${col}`).join(', ')}
    FROM l JOIN d ON d.decision = l.decision
   WHERE c.billing_period_start = l.billing_period_start AND c.id = l.id
  RETURNING ${returned.map((col) => `c.${col}`).join(', ')}, ${sharedFields.map((f) => `d.old_${f}`).join(', ')}, d.old_contract_id
),
v AS (SELECT ${[...rollupGrainColumns, ...oldFields].join(', ')}, ${rollupAmountColumns.map((a) => `sum(${a}) AS ${a}`).join(', ')}
        FROM (SELECT ${rollupChangeColumns('u', 1)}, ${oldValues.join(', ')} FROM u WHERE ${moved}) x
       GROUP BY ${[...rollupGrainColumns, ...oldFields].join(', ')}),
r AS (${addToRollupSql(`SELECT ${rollupGrainColumns.map((col) => (isSharedField(col) || col === 'contracted' ? `old_${col} AS ${col}` : col)).join(', ')},
                                ${rollupAmountColumns.map((a) => `-${a} AS ${a}`).join(', ')} FROM v
                         UNION ALL SELECT ${[...rollupGrainColumns, ...rollupAmountColumns].join(', ')} FROM v`)})
SELECT count(*)::int AS n FROM u`;
}

/**
 * Recomputes the attribution of the stored lines in `scope`, set-based, inside the caller's
 * transaction, and keeps the daily rollup in step. Returns how many lines changed.
 */
export async function reattribute(db: Kysely<Database> | Transaction<Database>, scope: ReattributionScope): Promise<number> {
  const runner = kyselyRunner(db);
  const narrowed = await narrowedByRule(runner, scope);
  // The scope's rule predicate is opaque to the planner, which then expects a row or two and
  // would look up every decided group's lines with a nested loop (13 minutes in the benchmark):
  // groups are joined to their lines by hash instead (laterals stay nested loops, having no other plan).
  const [row] = await withLocalSettings(runner, { enable_nestloop: 'off', enable_incremental_sort: 'off' }, () =>
    withHashedRollupGrouping(runner, () => runner.rows<{ n: number }>(reattributionSql(narrowed), narrowed.params)),
  );
  const changed = Number(row?.n ?? 0);
  if (changed > 0) await removeEmptyRollupRows(runner);
  return changed;
}

/** Waits for any running FOCUS import or attribution change; call first (inside the transaction) before re-attributing. */
export async function lockAttribution(trx: Kysely<Database> | Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(attributionLockKey)})`.execute(trx);
}

/**
 * Re-reads the tag layer (tag_* values and winning keys) of the lines carrying `tagKey` (compared
 * trimmed and case-folded) from their Tags through the alias table, then re-attributes them. Same
 * rule as the import: lowest alias priority, then the smaller raw key. Returns lines changed.
 */
export async function reresolveTagKey(db: Kysely<Database> | Transaction<Database>, tagKey: string): Promise<number> {
  const pick = (f: string, what: string) =>
    `(array_agg(${what} ORDER BY a.priority, t.key COLLATE "C") FILTER (WHERE a.field = '${f}'))[1]`;
  const carries = `c.tags IS NOT NULL AND EXISTS (SELECT 1 FROM jsonb_object_keys(c.tags) k WHERE lower(btrim(k)) = $1)`;
  const runner = kyselyRunner(db);
  await runner.run(
    `WITH affected AS (SELECT c.billing_period_start, c.id, c.tags FROM cost_line c WHERE ${carries}),
     resolved AS (
       SELECT f.billing_period_start, f.id,
              ${sharedFields.map((fl) => `${pick(fl, `btrim(t.v #>> '{}')`)} AS tag_${fl}`).join(', ')},
              nullif(jsonb_strip_nulls(jsonb_build_object(${sharedFields.map((fl) => `'${fl}', ${pick(fl, 't.key')}`).join(', ')})), '{}'::jsonb) AS tag_keys
         FROM affected f
         LEFT JOIN LATERAL jsonb_each(f.tags) t(key, v)
                ON jsonb_typeof(t.v) IN ('string', 'number', 'boolean') AND btrim(t.v #>> '{}') <> ''
         LEFT JOIN tag_alias a ON a.tag_key = lower(btrim(t.key))
        GROUP BY f.billing_period_start, f.id)
     UPDATE cost_line c SET ${sharedFields.map((fl) => `tag_${fl} = r.tag_${fl}`).join(', ')}, tag_keys = r.tag_keys
       FROM resolved r WHERE c.billing_period_start = r.billing_period_start AND c.id = r.id`,
    [tagKey],
  );
  return reattribute(db, { where: carries, params: [tagKey] });
}
