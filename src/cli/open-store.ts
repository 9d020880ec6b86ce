import type { Config } from '../config.js';
import { openStore, type Store } from '../store/database.js';
import { migrate } from '../store/migrator.js';

/**
 * Opens the configured store and applies pending migrations; says once on stderr which embedded
 * database it uses. `opener` names the command in the embedded database's lock file, so another
 * process can say who holds it.
 */
export async function openConfiguredStore(config: Config, notice: (text: string) => void, opener = 'costbridge'): Promise<Store> {
  const store = await openStore(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir, opener, notice });
  if (store.kind === 'pglite') notice(`costbridge: using the ${store.description} (set DATABASE_URL to use PostgreSQL)`);
  try {
    await migrate(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
