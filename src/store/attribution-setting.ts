import { sql } from 'kysely';
import { recordAudit } from './audit-log.js';
import type { Store } from './database.js';
import { lockAttribution, masterDataOwnerScope, reattribute } from './reattribution.js';

/** What changed when the configured attribution switches were copied into the database. */
export interface AttributionSettingChange {
  readonly ownerFromMasterData: boolean;
  /** Stored lines whose owner changed with it. */
  readonly linesChanged: number;
}

/**
 * Stores whether owners come from cost-center master data; when that differs from what is stored,
 * re-attributes the lines it affects in the same transaction and audits the change. Null when
 * nothing changed (the common case: one read).
 */
export async function storeOwnerFromMasterData(store: Store, enabled: boolean, actor: string): Promise<AttributionSettingChange | null> {
  const current = await store.db.selectFrom('attribution_setting').select('owner_from_master_data').executeTakeFirst();
  if (current?.owner_from_master_data === enabled) return null;
  return store.db.transaction().execute(async (trx) => {
    await lockAttribution(trx);
    const locked = await sql<{ v: boolean }>`SELECT owner_from_master_data AS v FROM attribution_setting FOR UPDATE`.execute(trx);
    if (locked.rows[0]?.v === enabled) return null;
    await sql`INSERT INTO attribution_setting (singleton, owner_from_master_data, updated_at) VALUES (true, ${enabled}, now())
              ON CONFLICT (singleton) DO UPDATE SET owner_from_master_data = EXCLUDED.owner_from_master_data, updated_at = now()`.execute(trx);
    const linesChanged = await reattribute(trx, masterDataOwnerScope());
    await recordAudit(trx, {
      actor,
      surface: 'system',
      action: 'attribution.owner-from-master-data',
      subjectType: 'attribution_setting',
      subjectId: 'owner_from_master_data',
      before: { ownerFromMasterData: locked.rows[0]?.v ?? null },
      after: { ownerFromMasterData: enabled, linesChanged },
    });
    return { ownerFromMasterData: enabled, linesChanged };
  });
}
