import { sql, type Kysely, type Transaction } from 'kysely';
import { enqueueOutboxMessage, type ChatPlatform } from './chat-outbox.js';
import { recordAudit, type Surface } from './audit-log.js';
import type { Database } from './tables.js';
import type { ReviewRunStatus } from './tables-review.js';

/** A review run as stored. */
export interface ReviewRun {
  readonly id: number;
  readonly cadenceName: string;
  readonly kind: string;
  readonly periodKey: string;
  readonly attempt: number;
  readonly trigger: 'schedule' | 'catch-up' | 'manual' | 'forced';
  readonly scheduledFor: Date;
  readonly claimedBy: string;
  readonly runner: string;
  readonly surface: string;
  readonly claimedAt: Date;
  readonly leaseUntil: Date;
  readonly status: ReviewRunStatus;
  readonly outcome: string | null;
  readonly agenda: unknown;
  readonly summary: unknown;
  readonly finishedAt: Date | null;
}

/** One delivery of a run. */
export interface ReviewDelivery {
  readonly runId: number;
  readonly channel: string;
  readonly scope: readonly string[];
  readonly outboxId: number | null;
  readonly status: 'queued' | 'sent' | 'failed' | 'muted';
  readonly messageId: string | null;
  readonly deliveredAt: Date | null;
  /** The platform's reason while it is not delivered, and why it failed once it has (`channel_not_found`). */
  readonly lastError: string | null;
}

type RunRow = Awaited<ReturnType<typeof runQuery>>[number];

function runQuery(db: Kysely<Database>) {
  return db.selectFrom('review_run').selectAll().execute();
}

function toRun(r: RunRow): ReviewRun {
  return {
    id: Number(r.id),
    cadenceName: r.cadence_name,
    kind: r.kind,
    periodKey: r.period_key,
    attempt: r.attempt,
    trigger: r.trigger,
    scheduledFor: new Date(r.scheduled_for),
    claimedBy: r.claimed_by,
    runner: r.runner,
    surface: r.surface,
    claimedAt: new Date(r.claimed_at),
    leaseUntil: new Date(r.lease_until),
    status: r.status,
    outcome: r.outcome,
    agenda: r.agenda,
    summary: r.summary,
    finishedAt: r.finished_at ? new Date(r.finished_at) : null,
  };
}

/** What a claim needs. */
export interface RunClaim {
  readonly cadenceName: string;
  readonly kind: string;
  readonly periodKey: string;
  readonly scheduledFor: Date;
  readonly trigger: 'schedule' | 'catch-up' | 'manual' | 'forced';
  readonly actor: string;
  readonly surface: Surface;
  /** This process (host:pid:random), to tell who is working on a run. */
  readonly runner: string;
  readonly now: Date;
  readonly leaseMs: number;
}

/** The claim's outcome: this caller runs it, or somebody already did (or is doing) it. */
export type ClaimOutcome = { readonly claimed: true; readonly run: ReviewRun } | { readonly claimed: false; readonly existing: ReviewRun };

/** Inserts attempt `attempt` of (cadence, period), claimed by the caller; undefined when that attempt exists already (the unique key decides). */
function insertAttempt(db: Kysely<Database>, c: RunClaim, attempt: number, trigger: RunClaim['trigger']) {
  return db
    .insertInto('review_run')
    .values({
      cadence_name: c.cadenceName,
      kind: c.kind,
      period_key: c.periodKey,
      attempt,
      trigger,
      scheduled_for: c.scheduledFor,
      claimed_by: c.actor,
      runner: c.runner,
      surface: c.surface,
      claimed_at: c.now,
      lease_until: new Date(c.now.getTime() + c.leaseMs),
    })
    .onConflict((oc) => oc.columns(['cadence_name', 'period_key', 'attempt']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The latest attempt of (cadence, period), which exists. */
async function latestAttempt(db: Kysely<Database>, c: Pick<RunClaim, 'cadenceName' | 'periodKey'>): Promise<ReviewRun> {
  const r = await db
    .selectFrom('review_run')
    .selectAll()
    .where('cadence_name', '=', c.cadenceName)
    .where('period_key', '=', c.periodKey)
    .orderBy('attempt', 'desc')
    .executeTakeFirstOrThrow();
  return toRun(r);
}

/**
 * Claims (cadence, period) for its first attempt. The unique key decides: exactly one of any number
 * of concurrent claimers inserts the row; the others get the existing run.
 */
export async function claimRun(db: Kysely<Database>, c: RunClaim): Promise<ClaimOutcome> {
  const inserted = await insertAttempt(db, c, 1, c.trigger);
  if (inserted) return { claimed: true, run: toRun(inserted) };
  return { claimed: false, existing: await latestAttempt(db, c) };
}

/**
 * Claims the next attempt of a period on purpose (`--force`), with an audit row saying so.
 * Two concurrent forces: one wins, the other gets the winner's run.
 */
export async function claimForcedRun(db: Kysely<Database>, c: RunClaim): Promise<ClaimOutcome> {
  return db.transaction().execute(async (trx) => {
    const prior = await trx
      .selectFrom('review_run')
      .select(['attempt', 'id'])
      .where('cadence_name', '=', c.cadenceName)
      .where('period_key', '=', c.periodKey)
      .orderBy('attempt', 'desc')
      .executeTakeFirst();
    const attempt = (prior?.attempt ?? 0) + 1;
    const inserted = await insertAttempt(trx, c, attempt, 'forced');
    if (!inserted) return { claimed: false, existing: await latestAttempt(trx, c) } as const;
    await recordAudit(trx, {
      actor: c.actor,
      surface: c.surface,
      action: 'review.force-run',
      subjectType: 'review-run',
      subjectId: `${c.cadenceName}/${c.periodKey}`,
      before: prior ? { runId: Number(prior.id), attempt: prior.attempt } : null,
      after: { runId: Number(inserted.id), attempt },
    });
    return { claimed: true, run: toRun(inserted) } as const;
  });
}

/**
 * Takes over runs whose runner died before queuing their messages (status 'building', lease
 * lapsed), renewing the lease for `runner`. FOR UPDATE SKIP LOCKED: concurrent resumers split them.
 */
export async function reclaimStaleRuns(db: Kysely<Database>, request: { now: Date; leaseMs: number; runner: string }): Promise<ReviewRun[]> {
  const lease = new Date(request.now.getTime() + request.leaseMs);
  const r = await sql<RunRow>`
    WITH stale AS (
      SELECT id FROM review_run
       WHERE status = 'building' AND lease_until <= ${request.now}
       ORDER BY id
       FOR UPDATE SKIP LOCKED
    )
    UPDATE review_run r SET runner = ${request.runner}, lease_until = ${lease}
      FROM stale WHERE r.id = stale.id
    RETURNING r.*`.execute(db);
  return r.rows.map(toRun);
}

/** One message of a run, ready for the outbox (null message: the channel muted this kind). */
export interface RunMessage {
  readonly channel: string;
  readonly platform: ChatPlatform;
  readonly target: string;
  readonly scope: readonly string[];
  /** The neutral message (src/messages), or null when muted. */
  readonly message: unknown;
  /** Replies posted in the message's thread once it is delivered, in order. */
  readonly thread?: readonly unknown[];
}

/**
 * Stores what a run produced in one transaction: the agenda, a summary, one delivery per channel and
 * its outbox message (purpose `review-run:<id>`, so queuing twice stores one). Fenced by the runner:
 * false when another process took the run over meanwhile.
 */
export async function recordRunMessages(
  db: Kysely<Database>,
  request: {
    runId: number; runner: string; messages: readonly RunMessage[]; agenda: unknown; summary: unknown; quiet: boolean; quietReason?: string | undefined; now: Date;
    /** Post each message as a reply in the thread of the latest review of this kind its channel got since then, when there is one. */
    threadUnder?: { readonly kind: string; readonly since: Date } | undefined;
  },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const run = await trx.selectFrom('review_run').select(['status', 'runner']).where('id', '=', request.runId).forUpdate().executeTakeFirst();
    if (!run || run.status !== 'building' || run.runner !== request.runner) return false;
    for (const m of request.messages) {
      let outboxId: number | null = null;
      if (m.message !== null) {
        const parent = request.threadUnder ? await latestReviewMessage(trx, m.channel, request.threadUnder) : undefined;
        outboxId = (
          await enqueueOutboxMessage(trx, {
            platform: m.platform, operation: 'post', purpose: `review-run:${request.runId}`, target: m.target, payload: m.message,
            ...(parent !== undefined ? { replyOf: parent } : {}),
          })
        ).id;
        // The details go into the message's thread, in order, once it is delivered.
        for (const [i, reply] of (m.thread ?? []).entries()) {
          await enqueueOutboxMessage(trx, { platform: m.platform, operation: 'post', purpose: `review-run:${request.runId}:thread:${i + 1}`, target: m.target, replyOf: outboxId, payload: reply });
        }
      }
      await trx
        .insertInto('review_delivery')
        .values({ run_id: request.runId, channel: m.channel, scope: [...m.scope], outbox_id: outboxId, status: m.message === null ? 'muted' : 'queued' })
        .onConflict((oc) => oc.columns(['run_id', 'channel']).doNothing())
        .execute();
    }
    const pending = request.messages.some((m) => m.message !== null);
    await trx
      .updateTable('review_run')
      .set({
        status: pending ? 'queued' : request.quiet ? 'quiet' : 'delivered',
        agenda: JSON.stringify(request.agenda),
        summary: JSON.stringify(request.summary),
        outcome: pending ? null : request.quiet ? (request.quietReason ?? 'nothing crossed a threshold: no message') : 'no channel to post to',
        ...(pending ? {} : { finished_at: request.now }),
      })
      .where('id', '=', request.runId)
      .execute();
    return true;
  });
}

/**
 * The outbox id of the latest message a review of `kind` posted (or is posting) to `channel` for an
 * occurrence since `since`; a failed one does not count (a reply to it could never be sent).
 */
async function latestReviewMessage(db: Kysely<Database>, channel: string, of: { readonly kind: string; readonly since: Date }): Promise<number | undefined> {
  const row = await db
    .selectFrom('review_delivery as d')
    .innerJoin('review_run as r', 'r.id', 'd.run_id')
    .innerJoin('chat_outbox as o', 'o.id', 'd.outbox_id')
    .select('o.id')
    .where('d.channel', '=', channel)
    .where('r.kind', '=', of.kind)
    .where('r.scheduled_for', '>=', of.since)
    .where('o.status', 'in', ['pending', 'sending', 'sent'])
    .orderBy('r.scheduled_for', 'desc')
    .orderBy('o.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

/** Marks a run failed (building it threw) so that it is not retried forever; the error is kept. */
export async function failRun(db: Kysely<Database>, runId: number, error: string, now: Date): Promise<void> {
  await db.updateTable('review_run').set({ status: 'failed', outcome: error.slice(0, 2000), finished_at: now }).where('id', '=', runId).where('status', '=', 'building').execute();
}

/**
 * Copies each queued delivery's outcome from the outbox (sent with its message id, or failed), and
 * closes runs whose deliveries are all done: delivered, partial (some failed) or failed.
 */
export async function settleRunDeliveries(db: Kysely<Database>, now: Date): Promise<void> {
  await sql`
    UPDATE review_delivery d
       SET status = CASE o.status WHEN 'sent' THEN 'sent' ELSE 'failed' END,
           message_id = o.delivered_id,
           delivered_at = o.sent_at
      FROM chat_outbox o
     WHERE d.outbox_id = o.id AND d.status = 'queued' AND o.status IN ('sent', 'failed')`.execute(db);
  await sql`
    UPDATE review_run r
       SET status = CASE WHEN s.failed = 0 THEN 'delivered' WHEN s.sent = 0 THEN 'failed' ELSE 'partial' END,
           outcome = s.sent || ' sent, ' || s.failed || ' failed, ' || s.muted || ' muted',
           finished_at = ${now}
      FROM (SELECT run_id,
                   count(*) FILTER (WHERE status = 'sent') AS sent,
                   count(*) FILTER (WHERE status = 'failed') AS failed,
                   count(*) FILTER (WHERE status = 'muted') AS muted,
                   count(*) FILTER (WHERE status = 'queued') AS queued
              FROM review_delivery GROUP BY run_id) s
     WHERE r.id = s.run_id AND r.status = 'queued' AND s.queued = 0`.execute(db);
}

/** The deliveries of runs, with the outbox's last error for those still waiting. */
export async function runDeliveries(db: Kysely<Database>, runIds: readonly number[]): Promise<ReviewDelivery[]> {
  if (runIds.length === 0) return [];
  const rows = await db
    .selectFrom('review_delivery as d')
    .leftJoin('chat_outbox as o', 'o.id', 'd.outbox_id')
    .select(['d.run_id', 'd.channel', 'd.scope', 'd.outbox_id', 'd.status', 'd.message_id', 'd.delivered_at', 'o.last_error'])
    .where('d.run_id', 'in', [...runIds])
    .orderBy('d.run_id')
    .orderBy('d.channel')
    .execute();
  return rows.map((r) => ({
    runId: Number(r.run_id),
    channel: r.channel,
    scope: r.scope,
    outboxId: r.outbox_id === null ? null : Number(r.outbox_id),
    status: r.status,
    messageId: r.message_id,
    deliveredAt: r.delivered_at ? new Date(r.delivered_at) : null,
    lastError: r.status === 'queued' || r.status === 'failed' ? (r.last_error ?? null) : null,
  }));
}

/** Runs, newest first, optionally of one cadence. */
export async function listRuns(db: Kysely<Database>, request: { cadenceName?: string | undefined; limit: number }): Promise<ReviewRun[]> {
  let q = db.selectFrom('review_run').selectAll();
  if (request.cadenceName !== undefined) q = q.where('cadence_name', '=', request.cadenceName);
  return (await q.orderBy('claimed_at', 'desc').orderBy('id', 'desc').limit(request.limit).execute()).map(toRun);
}

/** One run by id. */
export async function findRun(db: Kysely<Database>, id: number): Promise<ReviewRun | undefined> {
  const r = await db.selectFrom('review_run').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRun(r) : undefined;
}

/** The latest earlier run of a cadence that produced its review (for "since the last review"). */
export async function previousRun(db: Kysely<Database>, cadenceName: string, beforeRunId: number | null): Promise<ReviewRun | undefined> {
  let q = db.selectFrom('review_run').selectAll().where('cadence_name', '=', cadenceName).where('status', 'in', ['queued', 'delivered', 'partial', 'quiet']);
  if (beforeRunId !== null) q = q.where('id', '<', beforeRunId);
  const r = await q.orderBy('id', 'desc').executeTakeFirst();
  return r ? toRun(r) : undefined;
}

/** Whether any run (any attempt) of (cadence, period) exists. */
export async function runExists(db: Kysely<Database>, cadenceName: string, periodKey: string): Promise<boolean> {
  const r = await db.selectFrom('review_run').select('id').where('cadence_name', '=', cadenceName).where('period_key', '=', periodKey).executeTakeFirst();
  return r !== undefined;
}

/** How many thread replies of the runs' delivered messages still wait in the outbox, per platform. */
export async function waitingThreadReplies(db: Kysely<Database>, runIds: readonly number[]): Promise<Map<string, number>> {
  if (runIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('chat_outbox as o')
    .innerJoin('review_delivery as d', 'd.outbox_id', 'o.reply_of')
    .select(['o.platform', (eb) => eb.fn.countAll<string>().as('n')])
    .where('d.run_id', 'in', [...runIds])
    // Its own details only: a later alert posted in the same thread belongs to the alert's run.
    .where('o.purpose', 'like', 'review-run:%:thread:%')
    .where('o.status', 'in', ['pending', 'sending'])
    .groupBy('o.platform')
    .execute();
  return new Map(rows.map((r) => [r.platform, Number(r.n)]));
}

/** Outbox ids of a run's queued deliveries. */
export async function queuedOutboxIds(db: Kysely<Database>, runIds: readonly number[]): Promise<number[]> {
  if (runIds.length === 0) return [];
  const rows = await db.selectFrom('review_delivery').select('outbox_id').where('run_id', 'in', [...runIds]).where('status', '=', 'queued').execute();
  return rows.flatMap((r) => (r.outbox_id === null ? [] : [Number(r.outbox_id)]));
}

/** A failed review delivery whose failure has not been reported yet, with where its run's overview went. */
export interface UnreportedFailure {
  readonly runId: number;
  readonly cadenceName: string;
  readonly kind: string;
  readonly periodKey: string;
  readonly channel: string;
  readonly error: string | null;
  /** The run's overview deliveries (its joint channels), with the message each produced. */
  readonly jointChannels: readonly { readonly channel: string; readonly status: string; readonly messageId: string | null }[];
}

/** Failed review deliveries not reported yet (`failure_noted_at` unset), oldest run first. */
export async function unreportedDeliveryFailures(db: Kysely<Database>, limit = 50): Promise<UnreportedFailure[]> {
  const failed = await db
    .selectFrom('review_delivery as d')
    .innerJoin('review_run as r', 'r.id', 'd.run_id')
    .leftJoin('chat_outbox as o', 'o.id', 'd.outbox_id')
    .select(['d.run_id', 'd.channel', 'r.cadence_name', 'r.kind', 'r.period_key', 'o.last_error'])
    .where('d.status', '=', 'failed')
    .where('d.failure_noted_at', 'is', null)
    .orderBy('d.run_id')
    .orderBy('d.channel')
    .limit(limit)
    .execute();
  if (failed.length === 0) return [];
  const runIds = [...new Set(failed.map((f) => Number(f.run_id)))];
  const joint = await db
    .selectFrom('review_delivery')
    .select(['run_id', 'channel', 'status', 'message_id'])
    .where('run_id', 'in', runIds)
    .where(sql<boolean>`cardinality(scope) = 0`)
    .orderBy('channel')
    .execute();
  return failed.map((f) => ({
    runId: Number(f.run_id),
    cadenceName: f.cadence_name,
    kind: f.kind,
    periodKey: f.period_key,
    channel: f.channel,
    error: f.last_error,
    jointChannels: joint.filter((j) => Number(j.run_id) === Number(f.run_id)).map((j) => ({ channel: j.channel, status: j.status, messageId: j.message_id })),
  }));
}

/** Records that a failed delivery was reported; false when someone else reported it first. */
export async function markFailureReported(db: Kysely<Database> | Transaction<Database>, runId: number, channel: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('review_delivery')
    .set({ failure_noted_at: now })
    .where('run_id', '=', runId)
    .where('channel', '=', channel)
    .where('failure_noted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
