import type { AttributionRule, ContractTerms, SharedFieldValues, AttributionSetup } from '../domain/attribution.js';
import { likeToGlob } from '../domain/glob-pattern.js';
import { sharedFields, type SharedField } from '../domain/shared-fields.js';
import type { SqlRunner } from './sql-runner.js';

type Assignments = { [K in `set_${SharedField}`]: string | null };

function assignment(row: Assignments): SharedFieldValues {
  const out: SharedFieldValues = {};
  for (const f of sharedFields) {
    const v = row[`set_${f}`];
    if (v !== null) out[f] = v;
  }
  return out;
}

const globOf = (like: string | null) => (like === null ? undefined : likeToGlob(like));

/**
 * Everything attribution is decided from: tag aliases, active rules, contracts with their
 * components, known cost-center codes. All small; loaded once per import.
 */
export async function loadAttributionSetup(db: SqlRunner): Promise<AttributionSetup> {
  const aliases = await db.rows<{ tag_key: string; field: SharedField; priority: number }>(
    `SELECT tag_key, field, priority FROM tag_alias ORDER BY priority, tag_key`,
  );
  const rules = await db.rows<
    Assignments & {
      id: number; priority: number; from_ms: string; until_ms: string | null;
      match_provider: string | null; match_billing_account: string | null; match_sub_account: string | null;
      match_service: string | null; match_service_category: string | null; match_sku: string | null;
      match_region: string | null; match_resource_id: string | null; tag_conditions: { key: string; like: string }[];
    }
  >(
    `SELECT r.*, (extract(epoch FROM effective_from) * 1000)::bigint::text AS from_ms,
            (extract(epoch FROM effective_until) * 1000)::bigint::text AS until_ms
       FROM attribution_rule r WHERE removed_at IS NULL ORDER BY priority, id`,
  );
  const contracts = await db.rows<
    Assignments & {
      id: string; start_ms: string; end_before_ms: string | null; gl_account: string;
      match_invoice_issuer: string | null; match_publisher: string | null; match_provider: string | null;
      match_billing_account: string | null; match_sub_account: string | null; match_sku: string | null;
      match_charge_description: string | null; match_service_category: string | null;
    }
  >(
    `SELECT k.*, (extract(epoch FROM start_date::timestamp AT TIME ZONE 'UTC') * 1000)::bigint::text AS start_ms,
            (extract(epoch FROM (end_date + 1)::timestamp AT TIME ZONE 'UTC') * 1000)::bigint::text AS end_before_ms
       FROM contract k ORDER BY id`,
  );
  const components = await db.rows<
    Assignments & {
      contract_id: string; name: string; gl_account: string | null; match_pricing_unit: string | null;
      match_sku: string | null; match_charge_description: string | null; match_service_subcategory: string | null;
    }
  >(`SELECT * FROM contract_component ORDER BY contract_id, position`);
  const codes = await db.rows<{ code: string; owner: string | null }>(
    `SELECT x.code, CASE WHEN coalesce((SELECT owner_from_master_data FROM attribution_setting), true) THEN x.owner END AS owner FROM cost_center x`,
  );

  return {
    aliases: aliases.map((a) => ({ tagKey: a.tag_key, field: a.field, priority: a.priority })),
    rules: rules.map(
      (r): AttributionRule => ({
        id: Number(r.id),
        priority: r.priority,
        effectiveFromMs: Number(r.from_ms),
        effectiveUntilMs: r.until_ms === null ? null : Number(r.until_ms),
        conditions: {
          provider: globOf(r.match_provider),
          billingAccount: globOf(r.match_billing_account),
          subAccount: globOf(r.match_sub_account),
          service: globOf(r.match_service),
          serviceCategory: globOf(r.match_service_category),
          sku: globOf(r.match_sku),
          region: globOf(r.match_region),
          resourceId: globOf(r.match_resource_id),
          tags: r.tag_conditions.map((t) => ({ key: t.key, value: likeToGlob(t.like) })),
        },
        assign: assignment(r),
      }),
    ),
    contracts: contracts.map(
      (k): ContractTerms => ({
        id: k.id,
        startMs: Number(k.start_ms),
        endBeforeMs: k.end_before_ms === null ? null : Number(k.end_before_ms),
        match: {
          invoiceIssuerName: globOf(k.match_invoice_issuer),
          publisherName: globOf(k.match_publisher),
          providerName: globOf(k.match_provider),
          billingAccountId: globOf(k.match_billing_account),
          subAccountId: globOf(k.match_sub_account),
          skuId: globOf(k.match_sku),
          chargeDescription: globOf(k.match_charge_description),
          serviceCategory: globOf(k.match_service_category),
        },
        glAccount: k.gl_account,
        assign: assignment(k),
        components: components
          .filter((p) => p.contract_id === k.id)
          .map((p) => ({
            name: p.name,
            match: {
              pricingUnit: globOf(p.match_pricing_unit),
              skuId: globOf(p.match_sku),
              chargeDescription: globOf(p.match_charge_description),
              serviceSubcategory: globOf(p.match_service_subcategory),
            },
            glAccount: p.gl_account,
            assign: assignment(p),
          })),
      }),
    ),
    costCenters: new Set(codes.map((c) => c.code)),
    costCenterOwners: new Map(codes.filter((c) => c.owner !== null).map((c) => [c.code, c.owner!])),
  };
}
