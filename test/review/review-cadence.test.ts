import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCadence } from '../../src/app/cadence-add.js';
import { muteAlertKind } from '../../src/app/cadence-mute.js';
import type { DeliveryTransport, DeliveryTransports } from '../../src/app/deliver-pending.js';
import { loadDemoData } from '../../src/app/load-demo-data.js';
import { deliverReviewRuns } from '../../src/app/review-deliver.js';
import { runReview } from '../../src/app/review-run.js';
import { reviewSettings, type ReviewSettings } from '../../src/app/review-settings.js';
import { loadConfig } from '../../src/config.js';
import { normalizeDecimal } from '../../src/domain/money.js';
import type { ClaimedDelivery } from '../../src/store/chat-outbox.js';
import type { Store } from '../../src/store/database.js';
import { claimRun, runDeliveries } from '../../src/store/review-runs.js';
import { startReviewScheduler, type SchedulerLog } from '../../src/scheduler/review-scheduler.js';
import { cli } from '../support/run-cli.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/test-stores.js';

const quiet: SchedulerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const who = { actor: 'ana', surface: 'cli' as const };
const before = new Date('2026-09-01T00:00:00Z');
/** Monday 2026-09-14, the demo's last full week. */
const monday9 = new Date('2026-09-14T09:00:00Z');

/** A transport that records what it sends and answers with a message id. */
function recordingTransport(sent: ClaimedDelivery[]): DeliveryTransport {
  return {
    async deliver(d) {
      sent.push(d);
      return { kind: 'delivered', messageId: `ts-${d.id}` };
    },
  };
}

async function runCount(store: Store, cadence: string): Promise<number> {
  const r = await store.db.selectFrom('review_run').select((eb) => eb.fn.countAll<string>().as('n')).where('cadence_name', '=', cadence).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe.each(storeKinds)('review cadence on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let settings: ReviewSettings;
  let demoDir: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    demoDir = await mkdtemp(join(tmpdir(), 'costbridge-review-'));
    await loadDemoData(store, { dir: demoDir, asOf: '2026-09-15', actor: 'demo', surface: 'cli' });
    settings = reviewSettings(loadConfig({ LOG_LEVEL: 'silent' }));
  }, 120_000);
  afterAll(async () => {
    await tdb.drop();
    await rm(demoDir, { recursive: true, force: true });
  });

  it('manages cadences from the CLI, with the default weekly digest and validation that names the flag', async () => {
    const list = await cli(tdb, 'cadence', 'list', '--json');
    expect(list.code).toBe(0);
    const parsed = JSON.parse(list.stdout) as { cadences: { name: string; kind: string; cron: string; timezone: string }[] };
    expect(parsed.cadences).toEqual([expect.objectContaining({ name: 'weekly-digest', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC' })]);

    const bad = await cli(tdb, 'cadence', 'add', '--name', 'x', '--kind', 'weekly-digest', '--cron', '61 9 * * 1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--cron');
    const badTz = await cli(tdb, 'cadence', 'add', '--name', 'x', '--kind', 'weekly-digest', '--cron', '0 9 * * 1', '--timezone', 'Mars/Olympus');
    expect(badTz.stderr).toContain('--timezone');
    const badChannel = await cli(tdb, 'cadence', 'add', '--name', 'x', '--kind', 'weekly-digest', '--cron', '0 9 * * 1', '--channel', '#finops');
    expect(badChannel.stderr).toContain('slack:CHANNEL_ID');

    const add = await cli(tdb, 'cadence', 'add', '--name', 'cli-daily', '--kind', 'variance-alert', '--cron', '0 8 * * *', '--timezone', 'Europe/Paris', '--channel', 'slack:CFIN01', '--cost-center', 'CC-1310');
    expect(add.stderr).toBe(kind === 'pglite' ? '' : add.stderr);
    expect(add.code).toBe(0);
    const dup = await cli(tdb, 'cadence', 'add', '--name', 'cli-daily', '--kind', 'variance-alert', '--cron', '0 8 * * *');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
    expect((await cli(tdb, 'cadence', 'pause', 'cli-daily')).stdout).toContain('Paused');
    const paused = JSON.parse((await cli(tdb, 'cadence', 'list', '--json')).stdout) as { cadences: { name: string; paused: boolean; next: string | null }[] };
    expect(paused.cadences.find((c) => c.name === 'cli-daily')).toMatchObject({ paused: true, next: null });
    expect((await cli(tdb, 'cadence', 'resume', 'cli-daily')).stdout).toContain('Resumed');
    expect((await cli(tdb, 'cadence', 'remove', 'cli-daily')).code).toBe(0);
    expect((await cli(tdb, 'cadence', 'remove', 'cli-daily')).code).toBe(1);

    // A removed default stays removed.
    expect((await cli(tdb, 'cadence', 'remove', 'weekly-digest')).code).toBe(0);
    const after = JSON.parse((await cli(tdb, 'cadence', 'list', '--json')).stdout) as { cadences: unknown[] };
    expect(after.cadences).toEqual([]);
    const audit = await store.db.selectFrom('audit_log').select('action').where('action', 'like', 'cadence.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['cadence.add-default', 'cadence.add', 'cadence.pause', 'cadence.resume', 'cadence.remove', 'cadence.remove']);
  });

  it('builds the digest from the demo data with the manifest\'s exact totals, and a dry run records nothing', async () => {
    await addCadence(store, { name: 'joint', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC', channels: ['slack:CJOINT'], costCenters: [], ...who, now: before });
    const manifest = JSON.parse(await readFile(join(demoDir, 'manifest.json'), 'utf8')) as { totals: { byMonth: { month: string; billedCost: string; effectiveCost: string }[] } };
    const september = manifest.totals.byMonth.find((m) => m.month === '2026-09')!;
    // The Monday 09:00 occurrence, built a day later: the data cut is the day before that (2026-09-14), the whole demo month.
    const r = await runReview(store, { cadence: 'joint', at: new Date('2026-09-15T12:00:00Z'), now: new Date(), trigger: 'manual', dryRun: true, ...who, runner: 't', settings });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.outcome).toBe('dry-run');
    expect(r.periodKey).toBe('2026-09-14T09:00');
    const d = r.digest!;
    expect(d.period).toBe('2026-09');
    expect(d.demo).toBe(true);
    expect(d.headline).toEqual([{ currency: 'USD', effective: normalizeDecimal(september.effectiveCost), billed: normalizeDecimal(september.billedCost), lines: expect.any(Number) }]);
    expect(d.unattributed![0]!.unknownCostCenters.map((u) => u.value)).toContain('CC-9999');
    expect(d.budgets.length).toBeGreaterThan(0);
    expect(d.newSpend!.map((n) => n.vendor)).toContain('Cortex AI Labs, Inc.');
    expect(await runCount(store, 'joint')).toBe(0);

    expect(d.dataThrough).toBe('2026-09-14');
    const text = await cli(tdb, 'review', 'run', 'joint', '--dry-run', '--at', '2026-09-15T12:00:00Z');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Weekly review · 2026-09 to date [DEMO DATA]');
    expect(text.stdout).toContain('[Classify] npx costbridge contracts apply');
    expect(await runCount(store, 'joint')).toBe(0);
  });

  it('runs a period once: review run twice gives one run, the second says who ran it; --force re-posts with an audit row', async () => {
    await addCadence(store, { name: 'once', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC', channels: ['teams:19:joint@thread.tacv2'], costCenters: [], ...who, now: before });
    const runs = await Promise.all([
      cli(tdb, 'review', 'run', 'once', '--at', '2026-09-14T10:00:00Z', '--json', '--as', 'ana'),
      cli(tdb, 'review', 'run', 'once', '--at', '2026-09-14T11:00:00Z', '--json', '--as', 'ben'),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const outcomes = runs.map((run) => (JSON.parse(run.stdout) as { outcome: string }).outcome).sort();
    expect(outcomes).toEqual(['already-run', 'posted']);
    const second = runs.find((run) => run.stdout.includes('already-run'))!;
    expect((JSON.parse(second.stdout) as { message: string }).message).toMatch(/was already run by (ana|ben)/);
    expect(await runCount(store, 'once')).toBe(1);

    const forced = await cli(tdb, 'review', 'run', 'once', '--at', '2026-09-14T10:00:00Z', '--force', '--json', '--as', 'cy');
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ outcome: 'posted', run: { attempt: 2, trigger: 'forced' } });
    const audit = await store.db.selectFrom('audit_log').selectAll().where('action', '=', 'review.force-run').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('cy');

    const history = JSON.parse((await cli(tdb, 'review', 'history', '--cadence', 'once', '--json')).stdout) as { runs: { attempt: number; agenda: unknown[]; deliveries: { channel: string; status: string }[] }[] };
    expect(history.runs.map((h) => h.attempt)).toEqual([2, 1]);
    expect(history.runs[1]!.agenda.length).toBeGreaterThan(0);
    // Teams is not configured in this process: the overview waits in the outbox for serve.
    expect(history.runs[1]!.deliveries).toContainEqual(expect.objectContaining({ channel: 'teams:19:joint@thread.tacv2', status: 'queued' }));
  });

  it('two schedulers on one database post each occurrence once, and a restart does not run it again', async () => {
    await addCadence(store, { name: 'sched', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC', channels: ['slack:CSCHED1', 'slack:CSCHED2'], costCenters: [], ...who, now: before });
    const second = kind === 'postgres' ? await tdb.open() : store;
    const sentA: ClaimedDelivery[] = [];
    const sentB: ClaimedDelivery[] = [];
    const at = () => new Date(monday9.getTime() + 30_000);
    const a = startReviewScheduler(store, { settings, log: quiet, now: at, autoStart: false, transports: { slack: recordingTransport(sentA) }, runner: 'A' });
    const b = startReviewScheduler(second, { settings, log: quiet, now: at, autoStart: false, transports: { slack: recordingTransport(sentB) }, runner: 'B' });
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    expect(ra.claimed + rb.claimed).toBeGreaterThanOrEqual(1);
    expect(await runCount(store, 'sched')).toBe(1);
    const run = await store.db.selectFrom('review_run').selectAll().where('cadence_name', '=', 'sched').executeTakeFirstOrThrow();
    expect(run.trigger).toBe('schedule');
    expect(run.period_key).toBe('2026-09-14T09:00');
    const posts = [...sentA, ...sentB].filter((d) => d.purpose === `review-run:${run.id}` && d.target.startsWith('CSCHED'));
    expect(posts.map((d) => d.target).sort()).toEqual(['CSCHED1', 'CSCHED2']);
    const deliveries = await runDeliveries(store.db, [Number(run.id)]);
    expect(deliveries.filter((d) => d.channel.startsWith('slack:CSCHED')).map((d) => [d.channel, d.status, d.messageId?.startsWith('ts-')])).toEqual([
      ['slack:CSCHED1', 'sent', true],
      ['slack:CSCHED2', 'sent', true],
    ]);
    await Promise.all([a.stop(), b.stop()]);

    // A restart (a fresh scheduler) an hour later: the occurrence already ran; nothing new.
    const c = startReviewScheduler(store, { settings, log: quiet, now: () => new Date(monday9.getTime() + 3600_000), autoStart: false, runner: 'C' });
    expect((await c.tick()).claimed).toBe(0);
    await c.stop();
    expect(await runCount(store, 'sched')).toBe(1);
  });

  it('catches a missed occurrence up once within the window, and skips one older than the window', async () => {
    await addCadence(store, { name: 'catchup', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC', channels: [], costCenters: [], ...who, now: before });
    const late = startReviewScheduler(store, { settings, log: quiet, now: () => new Date('2026-09-14T20:00:00Z'), autoStart: false, runner: 'late' });
    expect((await late.tick()).claimed).toBeGreaterThanOrEqual(1);
    const again = startReviewScheduler(store, { settings, log: quiet, now: () => new Date('2026-09-14T21:00:00Z'), autoStart: false, runner: 'again' });
    await again.tick();
    await Promise.all([late.stop(), again.stop()]);
    const runs = await store.db.selectFrom('review_run').selectAll().where('cadence_name', '=', 'catchup').execute();
    expect(runs.map((r) => [r.period_key, r.trigger])).toEqual([['2026-09-14T09:00', 'catch-up']]);

    await addCadence(store, { name: 'toolate', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC', channels: [], costCenters: [], ...who, now: before });
    const down = startReviewScheduler(store, { settings, log: quiet, now: () => new Date('2026-09-15T10:00:00Z'), autoStart: false, runner: 'down' });
    await down.tick();
    await down.stop();
    expect(await runCount(store, 'toolate')).toBe(0);
  });

  it('resumes after a crash: a run claimed but never queued is completed, and only undelivered channels are posted', async () => {
    await addCadence(store, { name: 'crash', kind: 'weekly-digest', cron: '0 9 * * 1', timezone: 'UTC', channels: ['slack:CCRASH1', 'slack:CCRASH2'], costCenters: [], ...who, now: before });
    // The process that claimed it died before queuing anything (its lease has lapsed).
    const claimed = await claimRun(store.db, { cadenceName: 'crash', kind: 'weekly-digest', periodKey: '2026-09-14T09:00', scheduledFor: monday9, trigger: 'schedule', actor: 'scheduler', surface: 'schedule', runner: 'dead', now: monday9, leaseMs: 1000 });
    expect(claimed.claimed).toBe(true);
    const resumer = startReviewScheduler(store, { settings, log: quiet, now: () => new Date(monday9.getTime() + 600_000), autoStart: false, runner: 'resumer' });
    const report = await resumer.tick();
    await resumer.stop();
    expect(report.resumed).toBe(1);
    const runId = claimed.claimed ? claimed.run.id : 0;
    const queued = await runDeliveries(store.db, [runId]);
    const mine = queued.filter((d) => d.channel.startsWith('slack:CCRASH'));
    expect(mine.map((d) => d.status)).toEqual(['queued', 'queued']);

    // The first channel went out before the next crash: only the second is posted on restart.
    await store.db.updateTable('chat_outbox').set({ status: 'sent', delivered_id: 'ts-before-crash', sent_at: new Date() }).where('id', '=', mine[0]!.outboxId!).execute();
    const sent: ClaimedDelivery[] = [];
    const transports: DeliveryTransports = { slack: recordingTransport(sent) };
    await deliverReviewRuns(store, transports, [runId], { timeoutMs: 10_000 });
    // Parents: only the second; thread replies: both, each in its own parent's thread.
    expect(sent.filter((d) => d.target.startsWith('CCRASH') && d.replyTo === null).map((d) => d.target)).toEqual(['CCRASH2']);
    expect(sent.filter((d) => d.target === 'CCRASH1' && d.replyTo !== null).map((d) => d.replyTo)).toEqual(['ts-before-crash', 'ts-before-crash', 'ts-before-crash']);
    expect(sent.filter((d) => d.target === 'CCRASH2' && d.replyTo !== null).map((d) => d.replyTo)).toEqual([1, 2, 3].map(() => `ts-${mine[1]!.outboxId}`));
    const done = (await runDeliveries(store.db, [runId])).filter((d) => d.channel.startsWith('slack:CCRASH'));
    expect(done.map((d) => [d.channel, d.status, d.messageId])).toEqual([
      ['slack:CCRASH1', 'sent', 'ts-before-crash'],
      ['slack:CCRASH2', 'sent', `ts-${mine[1]!.outboxId}`],
    ]);
  });

  it('alerts only when something crosses the thresholds, honours a channel mute, and alerts an item once', async () => {
    await addCadence(store, { name: 'variance', kind: 'variance-alert', cron: '0 8 * * *', timezone: 'UTC', channels: ['slack:CVAR1', 'slack:CVAR2'], costCenters: [], ...who, now: before });
    const base = { cadence: 'variance', now: new Date(), trigger: 'manual' as const, ...who, runner: 't' };
    const calm = await runReview(store, { ...base, at: new Date('2026-09-14T08:30:00Z'), settings });
    expect(calm.ok && calm.quiet).toBe(true);
    const runs = await store.db.selectFrom('review_run').selectAll().where('cadence_name', '=', 'variance').execute();
    expect(runs.map((r) => r.status)).toEqual(['quiet']);
    expect(await store.db.selectFrom('chat_outbox').select('id').where('purpose', '=', `review-run:${runs[0]!.id}`).execute()).toEqual([]);

    await muteAlertKind(store, { channel: 'slack:CVAR1', kind: 'variance', duration: '7d', ...who, now: new Date('2026-09-14T00:00:00Z') });
    const sensitive = { ...settings, materiality: { amount: '10', share: '0.01' } };
    const loud = await runReview(store, { ...base, at: new Date('2026-09-15T08:30:00Z'), settings: sensitive });
    expect(loud.ok && !loud.quiet).toBe(true);
    if (!loud.ok) return;
    const ds = await runDeliveries(store.db, [loud.run!.id]);
    expect(ds.find((d) => d.channel === 'slack:CVAR1')?.status).toBe('muted');
    expect(ds.find((d) => d.channel === 'slack:CVAR2')?.status).toBe('queued');
    expect(loud.overview!.fallback).toContain('cost centers projected over budget for 2026-09');

    await addCadence(store, { name: 'unatt', kind: 'unattributed-alert', cron: '0 7 * * *', timezone: 'UTC', channels: ['slack:CUNATT'], costCenters: [], ...who, now: before });
    const first = await runReview(store, { ...base, cadence: 'unatt', at: new Date('2026-09-14T07:30:00Z'), settings });
    expect(first.ok && !first.quiet).toBe(true);
    // The next day counts one more day of data (its cut moved on): what it alerts is only what was not alerted before.
    const nextDay = await runReview(store, { ...base, cadence: 'unatt', at: new Date('2026-09-15T07:30:00Z'), settings });
    if (!first.ok || !nextDay.ok) throw new Error('run failed');
    const alerted = (r: typeof first) => (r.agenda ?? []).filter((a) => a.section === 'claim-spend' && a.subjectType !== 'alerted').map((a) => a.subjectId);
    expect(alerted(first).length).toBeGreaterThan(0);
    expect(alerted(nextDay).filter((id) => alerted(first).includes(id))).toEqual([]);
    const sameDay = await runReview(store, { ...base, cadence: 'unatt', at: new Date('2026-09-15T08:30:00Z'), dataAt: new Date('2026-09-15T07:30:00Z'), force: true, settings });
    expect(sameDay.ok && sameDay.quiet).toBe(true);
  });
});
