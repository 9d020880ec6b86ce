import { channelKey, parseChannel, parseDuration, parseMutableKind, type MutableKind } from '../domain/cadence.js';
import type { Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { deleteMute, upsertMute } from '../store/alert-routing.js';

/** Mute an alert kind in a channel for a while (`/costbridge mute unattributed 7d`). */
export interface MuteAlertKindRequest {
  /** `slack:C123` / `teams:…`. */
  readonly channel: string;
  /** `unattributed`, `variance`, or a full kind like `unattributed-alert`. */
  readonly kind: string;
  /** `30m`, `12h`, `7d`, `2w`. */
  readonly duration: string;
  readonly actor: string;
  readonly surface: Surface;
  readonly now: Date;
}

/** Mutes an alert kind in one channel until now + duration (replacing an earlier mute), with an audit row. */
export async function muteAlertKind(store: Store, r: MuteAlertKindRequest): Promise<{ channel: string; kind: MutableKind; until: Date }> {
  const channel = channelKey(parseChannel(r.channel));
  const kind = parseMutableKind(r.kind);
  const until = new Date(r.now.getTime() + parseDuration(r.duration));
  await upsertMute(store.db, { channel, kind, until, now: r.now }, { actor: r.actor, surface: r.surface });
  return { channel, kind, until };
}

/** Lifts a mute early; false when the channel had none for that kind. */
export async function unmuteAlertKind(store: Store, r: { channel: string; kind: string; actor: string; surface: Surface }): Promise<boolean> {
  const channel = channelKey(parseChannel(r.channel));
  return deleteMute(store.db, { channel, kind: parseMutableKind(r.kind) }, { actor: r.actor, surface: r.surface });
}
