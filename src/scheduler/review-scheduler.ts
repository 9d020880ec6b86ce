import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import { dueOccurrence } from '../domain/cadence.js';
import type { DeliveryLog, DeliveryTransports } from '../app/deliver-pending.js';
import { ensureDefaultReviewCadence } from '../app/cadence-default.js';
import { deliverReviewRuns } from '../app/review-deliver.js';
import { completeRun, runReview, type RunReviewResult } from '../app/review-run.js';
import { reportFailedReviewDeliveries } from '../app/review-delivery-failures.js';
import type { ReviewSettings } from '../app/review-settings.js';
import type { Store } from '../store/database.js';
import { cadencesVersion, findCadence, listCadences, type StoredCadence } from '../store/review-cadences.js';
import { reclaimStaleRuns, runExists, settleRunDeliveries } from '../store/review-runs.js';

/** Where the scheduler reports (a pino logger fits). */
export interface SchedulerLog extends DeliveryLog {
  debug?(obj: object, msg: string): void;
}

/** How the scheduler runs. */
export interface ReviewSchedulerOptions {
  readonly settings: ReviewSettings;
  /** Platforms to deliver to after a run; undefined or empty: runs are queued and `serve`'s outbox worker delivers them. */
  readonly transports?: DeliveryTransports;
  readonly log: SchedulerLog;
  /** Poll interval: picks up cadence changes, catch-ups and runs other processes abandoned (default 30 s). */
  readonly pollMs?: number;
  readonly now?: () => Date;
  /** Identifies this process in claims (default host:pid:random). */
  readonly runner?: string;
  readonly leaseMs?: number;
  /** Start the poll loop and the cron timers (default true); false for tests that call `tick` themselves. */
  readonly autoStart?: boolean;
  /** Called with each run this scheduler produced (the terminal prints the digest). */
  readonly onRun?: (result: RunReviewResult) => void;
  /** How long a tick waits for its runs' deliveries (default 30 s). */
  readonly deliveryTimeoutMs?: number;
}

/** What one pass did. */
export interface TickReport {
  readonly claimed: number;
  readonly alreadyRun: number;
  readonly resumed: number;
  readonly failed: number;
}

/** When the scheduler last finished a pass, and how it went (for `GET /healthz`). */
export interface SchedulerHealth {
  readonly lastTickAt: Date | undefined;
  readonly lastTickOk: boolean | undefined;
  readonly lastError: string | undefined;
  /** How often it passes when no cron occurrence wakes it first. */
  readonly pollMs: number;
}

/** The running scheduler. */
export interface ReviewScheduler {
  /** One pass now: resume abandoned runs, run what is due (on time or caught up), deliver. */
  tick(): Promise<TickReport>;
  /** The last pass's time and outcome. */
  health(): SchedulerHealth;
  /** Cadences the last pass saw. */
  cadences(): readonly StoredCadence[];
  /** Stops the timers and waits for the pass in progress. */
  stop(): Promise<void>;
}

/** A process identity for claims. */
export function runnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * The review scheduler of `serve` and `start`. Each pass reads the cadence table (so added, removed,
 * paused cadences take effect without a restart), takes over runs a dead process left unqueued,
 * and for every cadence runs its latest occurrence if it is due: on time, or caught up once when it
 * was missed within the catch-up window. The claim in the store makes every (cadence, period) run
 * once however many schedulers poll the same database. node-cron timers wake the loop at each
 * occurrence so runs start on time rather than at the next poll.
 */
export function startReviewScheduler(store: Store, options: ReviewSchedulerOptions): ReviewScheduler {
  const now = options.now ?? (() => new Date());
  const runner = options.runner ?? runnerId();
  const pollMs = options.pollMs ?? 30_000;
  const log = options.log;
  const done = new Set<string>();
  let seen: StoredCadence[] = [];
  let version = '';
  let tasks: ScheduledTask[] = [];
  let current: Promise<TickReport> | undefined;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ensured = false;
  let last: { at: Date; ok: boolean; error: string | undefined } | undefined;

  const syncTimers = () => {
    for (const t of tasks) void t.destroy();
    tasks = [];
    if (options.autoStart === false || stopped) return;
    for (const c of seen) {
      if (c.paused) continue;
      try {
        // Fires a pass at each occurrence; the pass itself decides what is due.
        tasks.push(cron.schedule(c.cron, () => void tick().catch(() => undefined), { timezone: c.timezone, name: `review:${c.name}`, noOverlap: true }));
      } catch (e) {
        log.warn({ cadence: c.name, cron: c.cron, err: e }, 'cannot time this cadence with node-cron; it runs at the next poll instead');
      }
    }
  };

  const pass = async (): Promise<TickReport> => {
    const at = now();
    const report = { claimed: 0, alreadyRun: 0, resumed: 0, failed: 0 };
    if (!ensured) {
      if (await ensureDefaultReviewCadence(store, { timezone: options.settings.timezone, now: at })) {
        log.info({ cadence: 'weekly-digest', timezone: options.settings.timezone }, 'created the default weekly-digest cadence (Monday 09:00)');
      }
      ensured = true;
    }
    const v = await cadencesVersion(store.db);
    if (v !== version) {
      seen = await listCadences(store.db);
      version = v;
      syncTimers();
      log.info({ cadences: seen.map((c) => ({ name: c.name, kind: c.kind, cron: c.cron, timezone: c.timezone, paused: c.paused, channels: c.channels })) }, 'review cadences loaded');
    }
    const runIds: number[] = [];
    const record = (result: RunReviewResult, context: object) => {
      if (result.ok && result.outcome === 'claimed') {
        report.claimed++;
        runIds.push(result.run!.id);
        options.onRun?.(result);
        log.info(
          { ...context, cadence: result.cadence.name, periodKey: result.periodKey, runId: result.run!.id, channels: result.messages?.map((m) => m.route.channel) ?? [], outcome: result.quiet ? 'quiet' : 'queued' },
          'review run queued',
        );
      } else if (result.ok && result.outcome === 'already-run') {
        report.alreadyRun++;
        log.info({ ...context, cadence: result.cadence.name, periodKey: result.periodKey, runId: result.run?.id, claimedBy: result.run?.runner, outcome: 'already-run' }, 'review run already claimed elsewhere');
      } else if (!result.ok) {
        report.failed++;
        log.error({ ...context, code: result.code, error: result.message, runId: result.run?.id, outcome: 'failed' }, 'review run failed');
      }
    };

    for (const stale of await reclaimStaleRuns(store.db, { now: at, leaseMs: options.leaseMs ?? 10 * 60_000, runner })) {
      const cadence = await findCadence(store.db, stale.cadenceName);
      if (!cadence) continue;
      report.resumed++;
      record(await completeRun(store, options.settings, cadence, stale, runner, at), { trigger: 'resume', abandonedBy: stale.claimedBy });
    }
    for (const cadence of seen) {
      const due = dueOccurrence(cadence, at, options.settings.catchupHours);
      if (!due) continue;
      const key = `${cadence.name}|${due.periodKey}`;
      if (done.has(key)) continue;
      if (await runExists(store.db, cadence.name, due.periodKey)) {
        done.add(key);
        continue;
      }
      const result = await runReview(store, {
        cadence: cadence.name,
        at: due.scheduledFor,
        now: at,
        // A caught-up run shows the data there is now, not the data there was at its slot.
        dataAt: at,
        trigger: due.trigger,
        actor: 'scheduler',
        surface: 'schedule',
        runner,
        leaseMs: options.leaseMs,
        settings: options.settings,
      });
      done.add(key);
      record(result, { trigger: due.trigger, scheduledFor: due.scheduledFor.toISOString() });
    }
    if (runIds.length > 0 && options.transports && Object.keys(options.transports).length > 0) {
      // The outbox's due times are the database's clock, so delivery runs on the real clock even when scheduling is told another time.
      const delivered = await deliverReviewRuns(store, options.transports, runIds, { timeoutMs: options.deliveryTimeoutMs ?? 30_000, log });
      for (const d of delivered.deliveries) {
        log.info({ runId: d.runId, channel: d.channel, status: d.status, messageId: d.messageId, error: d.lastError ?? undefined }, 'review delivery');
      }
    }
    await settleRunDeliveries(store.db, now());
    await reportFailedReviewDeliveries(store, { now: now(), log });
    return report;
  };

  // One pass at a time; a request during a pass runs one more pass right after it.
  const tick = (): Promise<TickReport> => {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      try {
        let r = await pass();
        while (again && !stopped) {
          again = false;
          r = await pass();
        }
        last = { at: new Date(), ok: true, error: undefined };
        return r;
      } catch (e) {
        last = { at: new Date(), ok: false, error: (e as Error)?.message ?? String(e) };
        throw e;
      } finally {
        current = undefined;
      }
    })();
    return current;
  };

  const loop = () => {
    if (stopped) return;
    tick()
      .catch((e: unknown) => log.error({ err: e }, 'review scheduler pass failed; retrying at the next poll'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, pollMs);
      });
  };
  if (options.autoStart !== false) loop();

  return {
    tick,
    health: () => ({ lastTickAt: last?.at, lastTickOk: last?.ok, lastError: last?.error, pollMs }),
    cadences: () => seen,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const t of tasks) await t.destroy();
      tasks = [];
      await current?.catch(() => undefined);
    },
  };
}
