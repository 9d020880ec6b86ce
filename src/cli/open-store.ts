import type { Config } from '../config.js';
import { openStore, type Store } from '../store/database.js';
import { migrate } from '../store/migrator.js';

/** Opens the configured store and applies pending migrations; says once on stderr when it is the embedded one. */
export async function openConfiguredStore(config: Config, notice: (text: string) => void): Promise<Store> {
  const store = config.databaseUrl
    ? await openStore({ databaseUrl: config.databaseUrl })
    : await openStore({ dataDir: config.dataDir });
  if (store.kind === 'pglite') notice(`costbridge: using the ${store.description} (set DATABASE_URL to use PostgreSQL)`);
  try {
    await migrate(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
