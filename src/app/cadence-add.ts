import { channelKey, nextOccurrence, parseCadenceKind, parseCadenceName, parseChannel, parseCron, parseTimeZone, type CadenceKind } from '../domain/cadence.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import type { Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { costCenterExists } from '../store/alert-routing.js';
import { findCadence, insertCadence, type StoredCadence } from '../store/review-cadences.js';
import { runnableKinds } from './review-produce.js';

/** A new cadence as typed (validated here). */
export interface AddCadenceRequest {
  readonly name: string;
  readonly kind: string;
  readonly cron: string;
  readonly timezone: string;
  readonly channels: readonly string[];
  readonly costCenters: readonly string[];
  readonly actor: string;
  readonly surface: Surface;
  readonly now: Date;
}

/** The stored cadence and its next occurrence, or why not. */
export type AddCadenceResult =
  | { readonly ok: true; readonly cadence: StoredCadence; readonly next: Date | undefined }
  | { readonly ok: false; readonly code: 'CONFLICT'; readonly message: string };

/** Validates and stores a cadence (unique name), with an audit row; a running scheduler picks it up at its next poll. */
export async function addCadence(store: Store, r: AddCadenceRequest): Promise<AddCadenceResult> {
  const name = parseCadenceName(r.name);
  const kind: CadenceKind = parseCadenceKind(r.kind);
  if (!runnableKinds.includes(kind)) {
    throw new CostbridgeError('INPUT_INVALID', `--kind: ${kind} cadences are not available in this version (available: ${runnableKinds.join(', ')})`);
  }
  const cron = parseCron(r.cron);
  const timezone = parseTimeZone(r.timezone);
  const channels = [...new Set(r.channels.map((c) => channelKey(parseChannel(c))))];
  const costCenters = [...new Set(r.costCenters.map((c) => c.trim()).filter(Boolean))].sort();
  for (const cc of costCenters) {
    if (!(await costCenterExists(store.db, cc))) throw new CostbridgeError('INPUT_INVALID', `--cost-center: ${cc} is not in the cost-center master data`);
  }
  const created = await insertCadence(store.db, { name, kind, cron, timezone, channels, costCenters }, { actor: r.actor, surface: r.surface }, r.now);
  if (!created) return { ok: false, code: 'CONFLICT', message: `a cadence named ${name} already exists (costbridge cadence remove ${name} first)` };
  const cadence = (await findCadence(store.db, name))!;
  return { ok: true, cadence, next: nextOccurrence(cron, timezone, r.now) };
}
