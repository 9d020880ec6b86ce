import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { loadDemoData } from '../../app/load-demo-data.js';
import { ensureDefaultReviewCadence } from '../../app/cadence-default.js';
import { runReview, type RunReviewResult } from '../../app/review-run.js';
import { reviewSettings } from '../../app/review-settings.js';
import { createLogger } from '../../log.js';
import { digestText } from '../digest-text.js';
import { renderText } from '../../messages/render-text.js';
import { costDataStatus } from '../../store/cost-data-status.js';
import { listCadences } from '../../store/review-cadences.js';
import { runnerId, startReviewScheduler } from '../../scheduler/review-scheduler.js';
import { platformStatus, surfaceLines } from './serve.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { needsFirstAdmin } from '../../app/authorization-policy.js';
import { firstAdminCommand } from '../../app/add-person-role.js';
import { shareEmbeddedDatabase } from '../share-embedded.js';

const connectHelp = [
  'Connect Slack and Microsoft Teams (README, "Connect Slack and Teams"):',
  '  Slack: create an app from manifest/slack/manifest.yaml (or manifest.socket-mode.yaml), install it, then set',
  '         SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode, no public URL needed).',
  '  Teams: register a bot, set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, and upload the app built by npm run package:teams.',
  '  Then choose where the digest goes: npx costbridge cadence subscribe all --channel slack:C0123ABCD',
  '  and run npm start again: it serves Slack and Teams and posts every scheduled digest there.',
];

const importHelp = [
  'The database is empty and Slack/Teams credentials are set, so no demo data was loaded: its invented',
  'numbers would reach real people. Import your own data (formats: docs/itfm-formats.md):',
  '  npx costbridge import cost-centers cost-centers.csv   (with a chat_channel column to route alerts)',
  '  npx costbridge import budgets budgets.csv',
  '  npx costbridge import focus EXPORT.csv ...            (FOCUS cost exports, one or many files)',
  'or try costbridge on the synthetic demo set first: npm start -- --demo (its cost centers carry no channel ids).',
];

/** `costbridge start` (npm start): the main job. */
export function registerStart(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description(
      'run the main job: load labelled demo data into an empty database (unless Slack/Teams credentials are set), print the weekly digest with the CLI equivalent of each button, then keep the review scheduler running (and the Slack/Teams bot when credentials are set)',
    )
    .option('--demo', 'load the synthetic demo data set into an empty database even with Slack/Teams credentials set (its cost centers carry no channel ids, so nothing reaches a real channel)')
    .option('--no-demo', 'do not load the demo data set into an empty database')
    .option('--as-of <YYYY-MM-DD>', 'the day the demo data runs up to, and the digest is shown for (default: today)')
    .option('--once', 'print the digest and exit instead of running the scheduler')
    .action(async (opts: { demo?: boolean; asOf?: string; once?: boolean }) => {
      const { io, config } = ctx;
      const store = await ctx.store();
      if (!opts.once) await shareEmbeddedDatabase(store, 'costbridge start', io.err);
      let status = await costDataStatus(store.db);
      if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new CostbridgeError('INPUT_INVALID', `--as-of must be a day like 2026-09-15, got ${JSON.stringify(opts.asOf)}`);
      const chatOn = config.chat.slack !== undefined || config.chat.teams !== undefined;
      // Demo and real never mix: with real credentials the demo loads only when asked for.
      const loadDemo = opts.demo ?? !chatOn;
      if (!status.hasLines && !loadDemo && opts.demo === undefined) io.out(importHelp.join('\n'));
      if (!status.hasLines && loadDemo) {
        const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
        io.out(`The database is empty: loading the SYNTHETIC DEMO DATA set (invented numbers, never real billing data), as of ${asOf} ...`);
        const loaded = await loadDemoData(store, { dir: join(config.dataDir, 'demo-data'), asOf, actor: await ctx.actor(undefined, { unchecked: true }), surface: 'cli' });
        io.out(`Loaded ${loaded.focusRows} FOCUS rows in ${loaded.focusFiles} files for ${loaded.months.join(', ')}, with cost centers, budgets, forecast and GL actuals (files in ${loaded.dir}).`);
        status = await costDataStatus(store.db);
      }
      const now = new Date();
      await ensureDefaultReviewCadence(store, { timezone: config.timezone, now });
      const settings = reviewSettings(config);
      const cadences = await listCadences(store.db);
      const digestCadence = cadences.find((c) => c.name === 'weekly-digest') ?? cadences.find((c) => c.kind === 'weekly-digest');
      if (!status.hasLines) {
        // With credentials and no --demo / --no-demo, the import help above already said it.
        if (!(chatOn && opts.demo === undefined)) io.out('No cost data yet. Import FOCUS exports with: npx costbridge import focus FILE...');
      } else if (!digestCadence) io.out('No weekly-digest cadence (it was removed). Add one with: npx costbridge cadence add --name weekly-digest --kind weekly-digest --cron "0 9 * * 1"');
      else {
        const at = opts.asOf ? new Date(`${opts.asOf}T23:59:00Z`) : now;
        const preview = await runReview(store, { cadence: digestCadence.name, at, now, trigger: 'manual', dryRun: true, actor: await ctx.actor(undefined, { unchecked: true }), surface: 'cli', runner: runnerId(), settings });
        if (preview.ok && preview.overview) {
          io.out(`\n${digestText(preview.overview, preview.overviewThread ?? [])}`);
          io.out(`\nThis is the ${digestCadence.name} digest for ${preview.periodKey}, shown on demand (npx costbridge review run ${digestCadence.name} --dry-run prints it again); in chat the part after the first message goes into its thread.`);
        } else if (!preview.ok) io.err(`costbridge start: could not build the digest: ${preview.message}`);
      }

      io.out('');
      for (const line of platformStatus(config)) io.out(line);
      if (!chatOn) io.out(connectHelp.join('\n'));
      if (await needsFirstAdmin(store.db)) {
        io.out(`Nobody is admin yet. Decisions (claims, sign-offs, explanations) are recorded with the person who made them; make the first admin with:\n  ${firstAdminCommand}`);
      }
      io.out(
        `Review cadences: ${cadences.map((c) => `${c.name} (${c.kind}, "${c.cron}" ${c.timezone}${c.paused ? ', paused' : ''})`).join('; ') || 'none'} — npx costbridge cadence list`,
      );
      if (opts.once) return;

      const log = createLogger(config);
      const scheduler = startReviewScheduler(store, {
        settings,
        log,
        onRun: (r: RunReviewResult) => {
          if (r.ok && r.overview && !chatOn) io.out(`\n${digestText(r.overview, r.overviewThread ?? [])}`);
        },
      });
      io.err('costbridge start: the review scheduler is running (Ctrl-C to stop).');
      // The Slack and Teams SDKs load only when a platform is on: without credentials they are
      // hundreds of modules the terminal digest never uses.
      const server = chatOn
        ? await (await import('../../main/start-server.js')).startServer(config, store, { log, scheduler, onSurfaceChange: surfaceLines((line) => io.err(`costbridge start: ${line}`)) })
        : undefined;
      if (server) io.err(`costbridge start: serving Slack/Teams on port ${server.port}; GET /healthz for status`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      io.err(`costbridge start: ${signal} received; stopping`);
      await scheduler.stop();
      await server?.close();
      log.flush();
    });
}
