import { CostbridgeError } from '../domain/costbridge-error.js';
import type { Store } from '../store/database.js';

/**
 * For the long-running commands (`start`, `serve`) on the embedded database: serves it to the other
 * costbridge commands run beside them (the button equivalents `start` prints), and says where. A
 * second long-running command on a database another process already serves is refused.
 */
export async function shareEmbeddedDatabase(store: Store, command: string, say: (line: string) => void): Promise<void> {
  if (store.servedBy) {
    throw new CostbridgeError(
      'CONFLICT',
      `${store.servedBy} is already running on this embedded database; stop it before starting ${command} (other costbridge commands work beside it)`,
    );
  }
  if (!store.serveLocalClients) return;
  const where = await store.serveLocalClients();
  say(`${command}: other costbridge commands on this embedded database go through this process (${where}) while it runs`);
}
