import { channelKey, parseChannel } from '../domain/cadence.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import type { Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { costCenterExists, deleteSubscriptions, insertSubscription } from '../store/alert-routing.js';

/** Route a cost center's review items to a channel, or (`all`) make it a joint channel that gets the overview. */
export interface SubscribeRequest {
  readonly channel: string;
  /** A cost center code in master data, or `all`. */
  readonly costCenter: string;
  readonly actor: string;
  readonly surface: Surface;
  readonly now: Date;
}

/** Subscribes a channel (`/costbridge subscribe CC-123|all`); `created: false` when it already was. */
export async function subscribe(store: Store, r: SubscribeRequest): Promise<{ channel: string; costCenter: string; created: boolean }> {
  const channel = channelKey(parseChannel(r.channel));
  const cc = r.costCenter.trim();
  const costCenter = cc.toLowerCase() === 'all' || cc === '*' ? '*' : cc;
  if (costCenter !== '*' && !(await costCenterExists(store.db, costCenter))) {
    throw new CostbridgeError('INPUT_INVALID', `cost center ${JSON.stringify(cc)} is not in the master data (or use "all" for the overview)`);
  }
  const created = await insertSubscription(store.db, { channel, costCenter, now: r.now }, { actor: r.actor, surface: r.surface });
  return { channel, costCenter, created };
}

/** Unsubscribes a channel from one cost center, `all`, or (no cost center) everything; returns what was removed. */
export async function unsubscribe(store: Store, r: { channel: string; costCenter?: string | undefined; actor: string; surface: Surface }): Promise<string[]> {
  const channel = channelKey(parseChannel(r.channel));
  const cc = r.costCenter?.trim();
  const costCenter = cc === undefined || cc === '' ? undefined : cc.toLowerCase() === 'all' ? '*' : cc;
  return deleteSubscriptions(store.db, { channel, costCenter }, { actor: r.actor, surface: r.surface });
}
