import { latestOccurrence, periodKey } from '../domain/cadence.js';
import type { AgendaItem, WeeklyDigest } from '../domain/digest.js';
import type { Message } from '../messages/message-model.js';
import type { Surface } from '../store/audit-log.js';
import type { Store } from '../store/database.js';
import { findCadence, type StoredCadence } from '../store/review-cadences.js';
import { claimForcedRun, claimRun, failRun, recordRunMessages, type ReviewRun } from '../store/review-runs.js';
import { previousReview, produceRun, runnableKinds, type ProducedMessage } from './review-produce.js';
import type { ReviewSettings } from './review-settings.js';

const alertKinds: readonly StoredCadence['kind'][] = ['variance-alert', 'unattributed-alert'];

/** Run a cadence's review for the occurrence at or before `at`. */
export interface RunReviewRequest {
  readonly cadence: string;
  /** The moment whose occurrence is run (default `now`): the latest cron occurrence at or before it. */
  readonly at?: Date | undefined;
  readonly now: Date;
  /**
   * The moment whose data the messages show (the data cut is the last full day before it). Default:
   * `at` when given, else `now`; the scheduler passes its tick, so a late (caught-up) run shows the
   * data it has, and every message says when it was really built (`now`).
   */
  readonly dataAt?: Date | undefined;
  readonly trigger: 'schedule' | 'catch-up' | 'manual';
  /** Print what would be posted: no claim, no post, no record. */
  readonly dryRun?: boolean | undefined;
  /** Post the period again on purpose (a new attempt, with an audit row). */
  readonly force?: boolean | undefined;
  readonly actor: string;
  readonly surface: Surface;
  /** This process, to tell who is working on a run. */
  readonly runner: string;
  /** How long a claimed run may take to queue its messages before another process resumes it. */
  readonly leaseMs?: number | undefined;
  readonly settings: ReviewSettings;
}

/** What a review run came to. */
export type RunReviewResult =
  | {
      readonly ok: true;
      readonly outcome: 'dry-run' | 'claimed' | 'already-run';
      readonly cadence: StoredCadence;
      readonly periodKey: string;
      readonly scheduledFor: Date;
      /** The run (claimed now, or the one that already ran); undefined for a dry run. */
      readonly run?: ReviewRun;
      readonly digest?: WeeklyDigest;
      /** The overview message (what the terminal prints); null when an alert had nothing to say. */
      readonly overview?: Message | null;
      /** The overview's thread replies (the weekly digest's details). */
      readonly overviewThread?: readonly Message[];
      readonly messages?: readonly ProducedMessage[];
      readonly agenda?: readonly AgendaItem[];
      readonly quiet?: boolean;
      readonly quietReason?: string;
      readonly invalidChannels?: readonly string[];
    }
  | { readonly ok: false; readonly code: 'NOT_FOUND' | 'NO_OCCURRENCE' | 'NOT_RUNNABLE' | 'FAILED'; readonly message: string; readonly run?: ReviewRun };

/** Default lease: a run has this long to queue its messages before another process may take it over. */
export const defaultRunLeaseMs = 10 * 60_000;

/**
 * Runs a cadence's review once per period: claims (cadence, period key) in the store, then builds
 * the messages and queues one per channel in the outbox in one transaction. A second caller for the
 * same period gets `already-run` with the run that won. Delivery is separate (deliverReviewRuns).
 */
export async function runReview(store: Store, r: RunReviewRequest): Promise<RunReviewResult> {
  const cadence = await findCadence(store.db, r.cadence);
  if (!cadence) return { ok: false, code: 'NOT_FOUND', message: `no cadence named ${JSON.stringify(r.cadence)} (costbridge cadence list)` };
  if (!runnableKinds.includes(cadence.kind)) {
    return { ok: false, code: 'NOT_RUNNABLE', message: `cadence ${cadence.name} is a ${cadence.kind}, which this version cannot run (runnable: ${runnableKinds.join(', ')})` };
  }
  const at = r.at ?? r.now;
  const scheduledFor = latestOccurrence(cadence.cron, cadence.timezone, at);
  if (!scheduledFor) return { ok: false, code: 'NO_OCCURRENCE', message: `cadence ${cadence.name} (${cadence.cron}) has no occurrence at or before ${at.toISOString()}` };
  const key = periodKey(scheduledFor, cadence.timezone);

  if (r.dryRun) {
    const previous = await previousReview(store, cadence.name, null);
    const produced = await produceRun(store, r.settings, cadence, scheduledFor, previous, { dataAt: r.dataAt ?? at, generatedAt: r.now });
    return { ok: true, outcome: 'dry-run', cadence, periodKey: key, scheduledFor, ...produced };
  }

  const claim = {
    cadenceName: cadence.name,
    kind: cadence.kind,
    periodKey: key,
    scheduledFor,
    trigger: r.trigger,
    actor: r.actor,
    surface: r.surface,
    runner: r.runner,
    now: r.now,
    leaseMs: r.leaseMs ?? defaultRunLeaseMs,
  };
  const claimed = r.force ? await claimForcedRun(store.db, claim) : await claimRun(store.db, claim);
  if (!claimed.claimed) return { ok: true, outcome: 'already-run', cadence, periodKey: key, scheduledFor, run: claimed.existing };
  return completeRun(store, r.settings, cadence, claimed.run, r.runner, r.now, r.dataAt ?? at);
}

/**
 * Builds and queues the messages of a claimed run (a new one, or one taken over from a runner that
 * died before queuing). A failure marks the run failed with the error, so it is not retried forever.
 */
export async function completeRun(store: Store, settings: ReviewSettings, cadence: StoredCadence, run: ReviewRun, runner: string, now: Date, dataAt: Date = now): Promise<RunReviewResult> {
  const base = { cadence, periodKey: run.periodKey, scheduledFor: run.scheduledFor };
  try {
    const previous = await previousReview(store, cadence.name, run.id);
    const produced = await produceRun(store, settings, cadence, run.scheduledFor, previous, { force: run.trigger === 'forced', renderCharts: true, dataAt, generatedAt: now });
    const stored = await recordRunMessages(store.db, {
      runId: run.id,
      runner,
      messages: produced.messages.map((m) => ({
        channel: m.route.channel,
        platform: m.route.platform,
        target: m.route.target,
        scope: m.route.scope,
        // The chart's bytes travel with the message in the outbox, so every attempt posts the same picture.
        message: m.message && m.attachments ? { ...m.message, attachments: m.attachments } : m.message,
        ...(m.thread ? { thread: m.thread.map((t) => (t.attachments ? { ...t.message, attachments: t.attachments } : t.message)) } : {}),
      })),
      agenda: produced.agenda,
      summary: {
        kind: cadence.kind,
        period: produced.facts.period,
        asOf: produced.facts.asOf,
        headline: produced.facts.headline,
        demo: produced.facts.demo,
        agendaItems: produced.agenda.length,
        invalidChannels: produced.invalidChannels,
      },
      quiet: produced.quiet,
      quietReason: produced.quietReason,
      now,
      // An alert is a reply in the thread of the week's digest its channel got, so the channel keeps
      // one conversation per week; with no digest there in the last 7 days it stands on its own.
      threadUnder: alertKinds.includes(cadence.kind) ? { kind: 'weekly-digest', since: new Date(run.scheduledFor.getTime() - 7 * 86_400_000) } : undefined,
    });
    if (!stored) return { ok: false, code: 'FAILED', message: `run ${run.id} was taken over by another process before its messages were queued`, run };
    return { ok: true, outcome: 'claimed', ...base, run, ...produced };
  } catch (e) {
    const message = (e as Error)?.message ?? String(e);
    await failRun(store.db, run.id, message, new Date());
    return { ok: false, code: 'FAILED', message: `run ${run.id} of ${cadence.name} for ${run.periodKey} failed: ${message}`, run };
  }
}
