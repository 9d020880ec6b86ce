import type { Kysely } from 'kysely';
import { recordAudit, type Surface } from './audit-log.js';
import type { Database } from './tables.js';

/** Who changes routing, for the audit row. */
export interface RoutingActor {
  readonly actor: string;
  readonly surface: Surface;
}

/** Mutes an alert kind in a channel until `until` (replacing an earlier mute), with an audit row. */
export async function upsertMute(db: Kysely<Database>, m: { channel: string; kind: string; until: Date; now: Date }, who: RoutingActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('alert_mute').select(['until']).where('channel', '=', m.channel).where('kind', '=', m.kind).executeTakeFirst();
    await trx
      .insertInto('alert_mute')
      .values({ channel: m.channel, kind: m.kind, until: m.until, muted_by: who.actor, muted_at: m.now })
      .onConflict((oc) => oc.columns(['channel', 'kind']).doUpdateSet({ until: m.until, muted_by: who.actor, muted_at: m.now }))
      .execute();
    await recordAudit(trx, {
      ...who,
      action: 'alert.mute',
      subjectType: 'channel',
      subjectId: m.channel,
      before: before ? { kind: m.kind, until: new Date(before.until).toISOString() } : null,
      after: { kind: m.kind, until: m.until.toISOString() },
    });
  });
}

/** Lifts a mute; false when there was none. */
export async function deleteMute(db: Kysely<Database>, m: { channel: string; kind: string }, who: RoutingActor): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('alert_mute').where('channel', '=', m.channel).where('kind', '=', m.kind).returning('until').executeTakeFirst();
    if (!r) return false;
    await recordAudit(trx, { ...who, action: 'alert.unmute', subjectType: 'channel', subjectId: m.channel, before: { kind: m.kind, until: new Date(r.until).toISOString() }, after: null });
    return true;
  });
}

/** Channels muting `kind` at `now`. */
export async function mutedChannels(db: Kysely<Database>, kind: string, now: Date): Promise<Set<string>> {
  const rows = await db.selectFrom('alert_mute').select('channel').where('kind', '=', kind).where('until', '>', now).execute();
  return new Set(rows.map((r) => r.channel));
}

/** Every mute still in force. */
export async function listMutes(db: Kysely<Database>, now: Date): Promise<{ channel: string; kind: string; until: Date; mutedBy: string }[]> {
  const rows = await db.selectFrom('alert_mute').selectAll().where('until', '>', now).orderBy('channel').orderBy('kind').execute();
  return rows.map((r) => ({ channel: r.channel, kind: r.kind, until: new Date(r.until), mutedBy: r.muted_by }));
}

/** Subscribes a channel to a cost center ('*' for the overview); false when it already was. */
export async function insertSubscription(db: Kysely<Database>, s: { channel: string; costCenter: string; now: Date }, who: RoutingActor): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('channel_subscription')
      .values({ channel: s.channel, cost_center: s.costCenter, subscribed_by: who.actor, subscribed_at: s.now })
      .onConflict((oc) => oc.columns(['channel', 'cost_center']).doNothing())
      .returning('channel')
      .executeTakeFirst();
    if (!r) return false;
    await recordAudit(trx, { ...who, action: 'channel.subscribe', subjectType: 'channel', subjectId: s.channel, after: { costCenter: s.costCenter } });
    return true;
  });
}

/** Unsubscribes a channel from a cost center (or from everything when `costCenter` is undefined); returns what was removed. */
export async function deleteSubscriptions(db: Kysely<Database>, s: { channel: string; costCenter?: string | undefined }, who: RoutingActor): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    let q = trx.deleteFrom('channel_subscription').where('channel', '=', s.channel);
    if (s.costCenter !== undefined) q = q.where('cost_center', '=', s.costCenter);
    const removed = (await q.returning('cost_center').execute()).map((r) => r.cost_center).sort();
    if (removed.length > 0) {
      await recordAudit(trx, { ...who, action: 'channel.unsubscribe', subjectType: 'channel', subjectId: s.channel, before: { costCenters: removed }, after: null });
    }
    return removed;
  });
}

/** Every subscription, by channel. */
export async function listSubscriptions(db: Kysely<Database>): Promise<{ channel: string; costCenter: string }[]> {
  const rows = await db.selectFrom('channel_subscription').select(['channel', 'cost_center']).orderBy('channel').orderBy('cost_center').execute();
  return rows.map((r) => ({ channel: r.channel, costCenter: r.cost_center }));
}

/** Cost centers whose master data names a chat channel. */
export async function costCenterChannels(db: Kysely<Database>): Promise<{ costCenter: string; channel: string }[]> {
  const rows = await db.selectFrom('cost_center').select(['code', 'chat_channel']).where('chat_channel', 'is not', null).where('chat_channel', '<>', '').orderBy('code').execute();
  return rows.map((r) => ({ costCenter: r.code, channel: r.chat_channel! }));
}

/** Whether a cost center code is in master data. */
export async function costCenterExists(db: Kysely<Database>, code: string): Promise<boolean> {
  return (await db.selectFrom('cost_center').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}
