import type { Config } from '../config.js';
import { openStore, type Store } from '../store/database.js';
import { migrate } from '../store/migrator.js';
import { storeOwnerFromMasterData } from '../store/attribution-setting.js';

/**
 * Opens the configured store, applies pending migrations and stores the configured attribution
 * switches (re-attributing what they change); says once on stderr which embedded
 * database it uses. `opener` names the command in the embedded database's lock file, so another
 * process can say who holds it.
 */
export async function openConfiguredStore(config: Config, notice: (text: string) => void, opener = 'costbridge'): Promise<Store> {
  const store = await openStore(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir, opener, notice });
  if (store.kind === 'pglite') notice(`costbridge: using the ${store.description} (set DATABASE_URL to use PostgreSQL)`);
  try {
    await migrate(store);
    await storeConfiguredSettings(store, config, notice);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

/** Copies the configured attribution switches into the store, re-attributing what a change affects, and says so. */
export async function storeConfiguredSettings(store: Store, config: Config, notice: (text: string) => void): Promise<void> {
  const change = await storeOwnerFromMasterData(store, config.attribution.ownerFromMasterData, config.defaultActor);
  if (change) {
    notice(
      `costbridge: owners ${change.ownerFromMasterData ? 'now' : 'no longer'} come from cost-center master data (COSTBRIDGE_OWNER_FROM_MASTER_DATA=${change.ownerFromMasterData}); ${change.linesChanged} stored line(s) re-attributed`,
    );
  }
}
