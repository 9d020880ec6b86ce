import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { ensureDefaultReviewCadence } from '../../app/cadence-default.js';
import { deliverReviewRuns } from '../../app/review-deliver.js';
import { reviewHistory, type ReviewHistoryEntry } from '../../app/review-history.js';
import { reportFailedReviewDeliveries } from '../../app/review-delivery-failures.js';
import { deliverPending } from '../../app/deliver-pending.js';
import { runReview, type RunReviewResult } from '../../app/review-run.js';
import { reviewSettings } from '../../app/review-settings.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { createLogger } from '../../log.js';
import { digestText } from '../digest-text.js';
import { renderText } from '../../messages/render-text.js';
import type { ReviewDelivery, ReviewRun } from '../../store/review-runs.js';
import { chatTransports } from '../../main/chat-transports.js';
import { runnerId } from '../../scheduler/review-scheduler.js';
import { textTable } from '../text-table.js';
import { ExitStatus } from '../exit-status.js';

/** The JSON of a run. */
export function runJson(run: ReviewRun) {
  return {
    id: run.id,
    cadence: run.cadenceName,
    kind: run.kind,
    periodKey: run.periodKey,
    attempt: run.attempt,
    trigger: run.trigger,
    scheduledFor: run.scheduledFor.toISOString(),
    claimedBy: run.claimedBy,
    runner: run.runner,
    surface: run.surface,
    claimedAt: run.claimedAt.toISOString(),
    status: run.status,
    outcome: run.outcome,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    agenda: run.agenda,
    summary: run.summary,
  };
}

/** The JSON of a delivery; `error` is the platform's reason for a failed one (`channel_not_found`), or the last retry's while it waits. */
export function deliveryJson(d: ReviewDelivery) {
  return { channel: d.channel, scope: d.scope, status: d.status, messageId: d.messageId, deliveredAt: d.deliveredAt?.toISOString() ?? null, error: d.lastError };
}

/** One delivery for people: `delivered`, `failed` with the platform's reason, `waiting`, or `muted`. */
export function deliveryLine(d: ReviewDelivery): [string, string, string] {
  switch (d.status) {
    case 'sent':
      return [d.channel, 'delivered', d.messageId ?? ''];
    case 'failed':
      return [d.channel, 'failed', d.lastError ?? 'no reason given'];
    case 'muted':
      return [d.channel, 'muted', 'the channel muted this kind of review'];
    default:
      return [d.channel, 'waiting', d.lastError ? `retrying: ${d.lastError}` : 'in the outbox'];
  }
}

function parseAt(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim()) || Number.isNaN(d.getTime())) throw new CostbridgeError('INPUT_INVALID', `--at must be an ISO time such as 2026-11-30T09:00:00Z, got ${JSON.stringify(text)}`);
  return d;
}

function failure(r: Extract<RunReviewResult, { ok: false }>): never {
  throw new CostbridgeError(r.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'INPUT_INVALID', r.message);
}

/** `costbridge review`: run a cadence by hand and read the minutes of past reviews. */
export function registerReview(program: Command, ctx: CliContext): void {
  const review = program.command('review').description('the joint review: run a cadence now (through the same once-per-period claim as the scheduler) and see past runs');

  review
    .command('run <cadence>')
    .description('run a cadence\'s review for its latest occurrence (at or before --at) and deliver its messages before exiting, printing each channel as delivered or failed with the platform\'s reason; exits 3 when a delivery failed; a period already run is not posted again')
    .option('--at <iso-time>', 'run the occurrence at or before this time (default: now)')
    .option('--dry-run', 'print what would be posted: no claim, no post, no record')
    .option('--force', 're-post a period that already ran (a new attempt, recorded in the audit log)')
    .option('--as <user>', 'who is recorded as running it')
    .option('--json', 'print JSON on stdout')
    .action(async (name: string, o: { at?: string; dryRun?: boolean; force?: boolean; as?: string; json?: boolean }) => {
      if (o.dryRun && o.force) throw new CostbridgeError('INPUT_INVALID', '--dry-run and --force cannot be combined');
      const store = await ctx.store();
      const now = new Date();
      await ensureDefaultReviewCadence(store, { timezone: ctx.config.timezone, now });
      const log = createLogger(ctx.config);
      const r = await runReview(store, {
        cadence: name,
        at: parseAt(o.at),
        now,
        trigger: 'manual',
        dryRun: o.dryRun,
        force: o.force,
        actor: await ctx.actor(o.as),
        surface: 'cli',
        runner: runnerId(),
        settings: reviewSettings(ctx.config),
      });
      if (!r.ok) failure(r);
      const overviewText = r.overview ? digestText(r.overview, r.overviewThread ?? []) : null;
      if (r.outcome === 'dry-run') {
        if (o.json) {
          ctx.io.out(
            JSON.stringify({
              outcome: 'dry-run',
              cadence: r.cadence.name,
              periodKey: r.periodKey,
              scheduledFor: r.scheduledFor.toISOString(),
              channels: (r.messages ?? []).map((m) => ({ channel: m.route.channel, scope: m.route.scope, muted: m.muted })),
              quiet: r.quiet ?? false,
              agenda: r.agenda,
              digest: r.digest,
              text: overviewText,
            }),
          );
        } else {
          ctx.io.err(`DRY RUN of ${r.cadence.name} for ${r.periodKey}: nothing claimed, posted or recorded.`);
          ctx.io.out(overviewText ?? `${r.cadence.kind} would post no message: ${r.quietReason ?? 'nothing crossed a threshold'}.`);
          ctx.io.out(`\nWould post to: ${(r.messages ?? []).map((m) => `${m.route.channel}${m.route.scope.length ? ` (${m.route.scope.join(', ')})` : ''}${m.muted ? ' [muted]' : ''}`).join(', ') || 'no channel (add one with costbridge cadence add --channel, or costbridge cadence subscribe all --channel)'}`);
        }
        return;
      }
      if (r.outcome === 'already-run') {
        const run = r.run!;
        const text = `${r.cadence.name} for ${r.periodKey} was already run by ${run.claimedBy} (${run.runner}, ${run.trigger}) at ${run.claimedAt.toISOString()}: run #${run.id}, ${run.status}. Use --force to post it again.`;
        if (o.json) ctx.io.out(JSON.stringify({ outcome: 'already-run', run: runJson(run), message: text }));
        else ctx.io.out(text);
        return;
      }
      const run = r.run!;
      const transports = chatTransports(ctx.config, store, log);
      const delivered = await deliverReviewRuns(store, transports, [run.id], { log });
      const failed = delivered.deliveries.filter((d) => d.status === 'failed');
      if (failed.length > 0) {
        // The joint channel hears about an owner's channel that did not get its message; send that note now too.
        const reported = await reportFailedReviewDeliveries(store, { now: new Date(), log });
        if (reported.noted > 0) await deliverPending(store, transports, new Date(), { log }).catch((e: unknown) => log.warn({ err: e }, 'could not deliver the failure notes now; serve will'));
      }
      log.info({ cadence: r.cadence.name, periodKey: r.periodKey, runId: run.id, channels: delivered.deliveries.map((d) => d.channel), outcome: failed.length > 0 ? 'failed' : delivered.waiting > 0 ? 'waiting' : 'done' }, 'review run by hand');
      log.flush();
      const off = [...new Set(delivered.deliveries.filter((d) => d.status === 'queued').map((d) => d.channel.split(':')[0]!))];
      if (o.json) {
        ctx.io.out(JSON.stringify({ outcome: 'posted', run: runJson(run), deliveries: delivered.deliveries.map(deliveryJson), waiting: delivered.waiting, failed: failed.length, quiet: r.quiet ?? false }));
      } else {
        if (overviewText) ctx.io.out(overviewText);
        ctx.io.out(
          `\nRun #${run.id} of ${r.cadence.name} for ${r.periodKey}${r.quiet ? `: ${r.quietReason ?? 'nothing crossed a threshold: no message'}` : ''}.` +
            (delivered.deliveries.length === 0 ? ' No channel to post to.' : ''),
        );
        if (delivered.deliveries.length > 0) ctx.io.out(textTable(['channel', 'result', 'message id or reason'], delivered.deliveries.map(deliveryLine)));
        if (off.length > 0) ctx.io.err(`Deliveries to ${off.join(', ')} wait in the outbox: that platform has no credentials here, or is retrying; costbridge serve delivers them.`);
      }
      if (failed.length > 0) {
        ctx.io.err(
          `costbridge: ${failed.length} of ${delivered.deliveries.length} deliveries failed: ${failed.map((d) => `${d.channel} (${d.lastError ?? 'no reason given'})`).join(', ')}. ` +
            'Invite the bot to those channels or change where the cadence posts (npx costbridge cadence list); review run --force posts the period again.',
        );
        throw new ExitStatus(3);
      }
    });

  review
    .command('history')
    .description('past review runs and their outcomes, newest first: the minutes of the joint review')
    .option('--cadence <name>', 'only this cadence')
    .option('--limit <n>', 'how many runs', '20')
    .option('--json', 'print JSON on stdout: {"runs":[{"id","cadence","periodKey","attempt","trigger","status","agenda",...,"deliveries":[{"channel","status","messageId","error"}]}]}')
    .action(async (o: { cadence?: string; limit: string; json?: boolean }) => {
      if (!/^\d{1,4}$/.test(o.limit) || Number(o.limit) === 0) throw new CostbridgeError('INPUT_INVALID', `--limit must be a whole number from 1, got ${JSON.stringify(o.limit)}`);
      const entries = await reviewHistory(await ctx.store(), { cadence: o.cadence, limit: Number(o.limit), now: new Date() });
      if (o.json) {
        ctx.io.out(JSON.stringify({ runs: entries.map((e) => ({ ...runJson(e.run), deliveries: e.deliveries.map(deliveryJson) })) }));
        return;
      }
      ctx.io.out(entries.length === 0 ? 'No review has run yet.' : historyText(entries));
    });
}

function historyText(entries: readonly ReviewHistoryEntry[]): string {
  return textTable(
    ['run', 'cadence', 'period', 'attempt', 'trigger', 'by', 'claimed at', 'status', 'agenda items', 'deliveries'],
    entries.map((e) => [
      String(e.run.id),
      e.run.cadenceName,
      e.run.periodKey,
      String(e.run.attempt),
      e.run.trigger,
      e.run.claimedBy,
      e.run.claimedAt.toISOString(),
      e.run.outcome ? `${e.run.status} (${e.run.outcome})` : e.run.status,
      String(Array.isArray(e.run.agenda) ? e.run.agenda.length : 0),
      e.deliveries.map((d) => `${d.channel} ${d.status}${d.messageId ? ` ${d.messageId}` : ''}${d.status === 'failed' && d.lastError ? ` (${d.lastError})` : ''}`).join('; ') || '-',
    ]),
  );
}
