import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { addCadence } from '../../app/cadence-add.js';
import { ensureDefaultReviewCadence } from '../../app/cadence-default.js';
import { listCadenceSchedule, type CadenceListing } from '../../app/cadence-list.js';
import { muteAlertKind, unmuteAlertKind } from '../../app/cadence-mute.js';
import { pauseCadence } from '../../app/cadence-pause.js';
import { removeCadence } from '../../app/cadence-remove.js';
import { subscribe, unsubscribe } from '../../app/cadence-subscribe.js';
import { cadenceKinds } from '../../domain/cadence.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { listMutes, listSubscriptions } from '../../store/alert-routing.js';
import { textTable } from '../text-table.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** The JSON of one cadence in `cadence list --json`. */
export function cadenceJson(l: CadenceListing) {
  const c = l.cadence;
  return {
    name: c.name,
    kind: c.kind,
    cron: c.cron,
    timezone: c.timezone,
    channels: c.channels,
    costCenters: c.costCenters,
    paused: c.paused,
    activeSince: c.activeSince.toISOString(),
    createdBy: c.createdBy,
    next: l.next?.toISOString() ?? null,
    lastRun: l.lastRun ? { id: l.lastRun.id, periodKey: l.lastRun.periodKey, status: l.lastRun.status, claimedAt: l.lastRun.claimedAt.toISOString() } : null,
  };
}

/** `costbridge cadence`: the joint review's schedule, per-channel mutes and subscriptions. */
export function registerCadence(program: Command, ctx: CliContext): void {
  const cadence = program.command('cadence').description('the joint review cadence: scheduled digests and alerts, mutes and per-owner routing (a running serve picks changes up without restart)');
  const store = async () => {
    const s = await ctx.store();
    await ensureDefaultReviewCadence(s, { timezone: ctx.config.timezone, now: new Date() });
    return s;
  };

  cadence
    .command('add')
    .description('schedule a review')
    .requiredOption('--name <name>', 'unique name (letters, digits, . _ -)')
    .requiredOption('--kind <kind>', `one of ${cadenceKinds.join(', ')}`)
    .requiredOption('--cron <expr>', 'cron expression, 5 fields (minute hour day month weekday), e.g. "0 9 * * 1"')
    .option('--timezone <tz>', 'IANA time zone the cron is read in (default COSTBRIDGE_TIMEZONE)')
    .option('--channel <platform:id>', 'slack:CHANNEL_ID or teams:CONVERSATION_ID (repeatable)', collect, [])
    .option('--cost-center <code>', 'limit to these cost centers (repeatable)', collect, [])
    .option('--as <user>', 'who is recorded as making the change')
    .option('--json', 'print JSON on stdout')
    .action(async (o: { name: string; kind: string; cron: string; timezone?: string; channel: string[]; costCenter: string[]; as?: string; json?: boolean }) => {
      const now = new Date();
      const r = await addCadence(await store(), {
        name: o.name,
        kind: o.kind,
        cron: o.cron,
        timezone: o.timezone ?? ctx.config.timezone,
        channels: o.channel,
        costCenters: o.costCenter,
        actor: await ctx.actor(o.as),
        surface: 'cli',
        now,
      });
      if (!r.ok) throw new CostbridgeError(r.code, r.message);
      const [listing] = (await listCadenceSchedule(await ctx.store(), { now })).filter((l) => l.cadence.name === r.cadence.name);
      if (o.json) ctx.io.out(JSON.stringify(cadenceJson(listing!)));
      else ctx.io.out(`Added cadence ${r.cadence.name} (${r.cadence.kind}, "${r.cadence.cron}" ${r.cadence.timezone}); next run ${r.next?.toISOString() ?? 'never'}.`);
    });

  cadence
    .command('list')
    .description('every cadence with its next run and last run')
    .option('--json', 'print JSON on stdout: {"cadences":[{"name","kind","cron","timezone","channels","costCenters","paused","next","lastRun"}],"mutes","subscriptions"}')
    .action(async (o: { json?: boolean }) => {
      const s = await store();
      const now = new Date();
      const listings = await listCadenceSchedule(s, { now });
      const mutes = await listMutes(s.db, now);
      const subscriptions = await listSubscriptions(s.db);
      if (o.json) {
        ctx.io.out(
          JSON.stringify({
            cadences: listings.map(cadenceJson),
            mutes: mutes.map((m) => ({ channel: m.channel, kind: m.kind, until: m.until.toISOString(), mutedBy: m.mutedBy })),
            subscriptions,
          }),
        );
        return;
      }
      if (listings.length === 0) ctx.io.out('No cadences. Add one with: npx costbridge cadence add --name NAME --kind weekly-digest --cron "0 9 * * 1" --channel slack:C123');
      else {
        ctx.io.out(
          textTable(
            ['name', 'kind', 'cron', 'timezone', 'channels', 'cost centers', 'state', 'next run', 'last run'],
            listings.map((l) => [
              l.cadence.name,
              l.cadence.kind,
              l.cadence.cron,
              l.cadence.timezone,
              l.cadence.channels.join(' ') || '(none: subscribers only)',
              l.cadence.costCenters.join(' ') || 'all',
              l.cadence.paused ? 'paused' : 'active',
              l.next?.toISOString() ?? '-',
              l.lastRun ? `${l.lastRun.periodKey} ${l.lastRun.status}` : '-',
            ]),
          ),
        );
      }
      if (mutes.length > 0) ctx.io.out(`\nMuted:\n${textTable(['channel', 'kind', 'until', 'by'], mutes.map((m) => [m.channel, m.kind, m.until.toISOString(), m.mutedBy]))}`);
      if (subscriptions.length > 0) ctx.io.out(`\nSubscriptions:\n${textTable(['channel', 'cost center'], subscriptions.map((x) => [x.channel, x.costCenter === '*' ? 'all (overview)' : x.costCenter]))}`);
    });

  cadence
    .command('remove <name>')
    .description('remove a cadence (its past runs stay in review history; a removed default is not re-created)')
    .option('--as <user>', 'who is recorded as making the change')
    .action(async (name: string, o: { as?: string }) => {
      const r = await removeCadence(await store(), { name, actor: await ctx.actor(o.as), surface: 'cli' });
      if (!r.ok) throw new CostbridgeError(r.code, r.message);
      ctx.io.out(`Removed cadence ${name}.`);
    });

  for (const [verb, paused] of [['pause', true], ['resume', false]] as const) {
    cadence
      .command(`${verb} <name>`)
      .description(paused ? 'stop running a cadence until resumed' : 'run a paused cadence again (occurrences missed while paused are not caught up)')
      .option('--as <user>', 'who is recorded as making the change')
      .action(async (name: string, o: { as?: string }) => {
        const r = await pauseCadence(await store(), { name, paused, actor: await ctx.actor(o.as), surface: 'cli', now: new Date() });
        if (!r.ok) throw new CostbridgeError(r.code, r.message);
        ctx.io.out(r.changed ? `${paused ? 'Paused' : 'Resumed'} cadence ${name}.` : `Cadence ${name} was already ${paused ? 'paused' : 'active'}.`);
      });
  }

  cadence
    .command('mute <kind> <duration>')
    .description('mute an alert kind in a channel for a while (CLI equivalent of /costbridge mute unattributed 7d); kinds: unattributed, variance')
    .requiredOption('--channel <platform:id>', 'slack:CHANNEL_ID or teams:CONVERSATION_ID')
    .option('--as <user>', 'who is recorded as making the change')
    .action(async (kind: string, duration: string, o: { channel: string; as?: string }) => {
      const r = await muteAlertKind(await store(), { channel: o.channel, kind, duration, actor: await ctx.actor(o.as), surface: 'cli', now: new Date() });
      ctx.io.out(`Muted ${r.kind} in ${r.channel} until ${r.until.toISOString()}.`);
    });

  cadence
    .command('unmute <kind>')
    .description('lift a mute early')
    .requiredOption('--channel <platform:id>', 'slack:CHANNEL_ID or teams:CONVERSATION_ID')
    .option('--as <user>', 'who is recorded as making the change')
    .action(async (kind: string, o: { channel: string; as?: string }) => {
      const lifted = await unmuteAlertKind(await store(), { channel: o.channel, kind, actor: await ctx.actor(o.as), surface: 'cli' });
      ctx.io.out(lifted ? `Unmuted ${kind} in ${o.channel}.` : `${o.channel} had no mute of ${kind}.`);
    });

  cadence
    .command('subscribe <cost-center>')
    .description('route a cost center\'s review items to a channel, or "all" to make it a joint channel that gets the overview (CLI equivalent of /costbridge subscribe)')
    .requiredOption('--channel <platform:id>', 'slack:CHANNEL_ID or teams:CONVERSATION_ID')
    .option('--as <user>', 'who is recorded as making the change')
    .action(async (costCenter: string, o: { channel: string; as?: string }) => {
      const r = await subscribe(await store(), { channel: o.channel, costCenter, actor: await ctx.actor(o.as), surface: 'cli', now: new Date() });
      const what = r.costCenter === '*' ? 'the overview' : `cost center ${r.costCenter}`;
      ctx.io.out(r.created ? `Subscribed ${r.channel} to ${what}.` : `${r.channel} was already subscribed to ${what}.`);
    });

  cadence
    .command('unsubscribe [cost-center]')
    .description('stop routing a cost center (or "all", or without argument everything) to a channel')
    .requiredOption('--channel <platform:id>', 'slack:CHANNEL_ID or teams:CONVERSATION_ID')
    .option('--as <user>', 'who is recorded as making the change')
    .action(async (costCenter: string | undefined, o: { channel: string; as?: string }) => {
      const removed = await unsubscribe(await store(), { channel: o.channel, costCenter, actor: await ctx.actor(o.as), surface: 'cli' });
      ctx.io.out(removed.length > 0 ? `Unsubscribed ${o.channel} from ${removed.map((c) => (c === '*' ? 'all' : c)).join(', ')}.` : `${o.channel} had no such subscription.`);
    });
}
