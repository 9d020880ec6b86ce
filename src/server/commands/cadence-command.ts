import { listCadenceSchedule } from '../../app/cadence-list.js';
import { muteAlertKind } from '../../app/cadence-mute.js';
import { pauseCadence } from '../../app/cadence-pause.js';
import { checkCadenceChange } from '../../app/cadence-permission.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { formatInstant } from '../../messages/cost-bases.js';
import { context, header, message, table } from '../../messages/message-blocks.js';
import { code } from '../../messages/rich-text.js';
import { listMutes } from '../../store/alert-routing.js';
import type { ChatRequest } from '../chat-request.js';
import type { ChatCommand } from './chat-command.js';
import { commandChannel } from './channel-key.js';
import { note } from './note.js';

const usage = 'cadence list | cadence pause <name> | cadence resume <name> | cadence mute <name> <duration>';

/**
 * `cadence list|pause|resume|mute`: the joint review's schedule. Anyone may list it (with the mutes
 * of this channel); pausing, resuming and muting change what everyone receives, so they take an
 * admin (the policy's `change-cadence`). The same use cases as `npx costbridge cadence ...`, audited.
 */
export const cadenceCommand: ChatCommand = {
  name: 'cadence',
  usage: 'list | pause <name> | resume <name> | mute <name> <duration>',
  summary: 'the review schedule: list it; pause, resume or mute a cadence here (admins)',
  requiresPerson: false,
  async run(args, request) {
    const [verb = 'list', name, duration] = args.map((a) => a.trim());
    switch (verb.toLowerCase()) {
      case 'list':
        return listing(request);
      case 'pause':
      case 'resume': {
        await checkCadenceChange(request.store, request.requester.person, verb.toLowerCase() as 'pause' | 'resume', name, request.requester.surface);
        if (!name) throw new CostbridgeError('INPUT_INVALID', `say which cadence: ${usage}`);
        const paused = verb.toLowerCase() === 'pause';
        const r = await pauseCadence(request.store, { name, paused, actor: request.requester.person!.id, surface: request.requester.surface, now: request.now });
        if (!r.ok) throw new CostbridgeError('NOT_FOUND', `${r.message} (cadence list shows them)`);
        return note(r.changed ? `${paused ? 'Paused' : 'Resumed'} cadence ${name}.${paused ? '' : ' Occurrences missed while paused are not caught up.'}` : `Cadence ${name} was already ${paused ? 'paused' : 'active'}.`);
      }
      case 'mute': {
        await checkCadenceChange(request.store, request.requester.person, 'mute', name, request.requester.surface);
        if (!name || !duration) throw new CostbridgeError('INPUT_INVALID', `say which cadence and for how long: cadence mute <name> 7d`);
        const cadence = (await listCadenceSchedule(request.store, { now: request.now })).find((l) => l.cadence.name === name)?.cadence;
        // A cadence by name mutes its kind here; an alert kind (`unattributed`) works too, as with `mute`.
        const r = await muteAlertKind(request.store, {
          channel: commandChannel(request),
          kind: cadence?.kind ?? name,
          duration,
          actor: request.requester.person!.id,
          surface: request.requester.surface,
          now: request.now,
        });
        return note(`${r.kind} is muted in this channel until ${formatInstant(r.until.toISOString(), request.config.timezone)}.`);
      }
      default:
        throw new CostbridgeError('INPUT_INVALID', `cadence ${JSON.stringify(verb)} is not a cadence command: ${usage}`);
    }
  },
};

async function listing(request: ChatRequest) {
  const listings = await listCadenceSchedule(request.store, { now: request.now });
  if (listings.length === 0) return note('No review cadences. An admin adds one with npx costbridge cadence add ...');
  const tz = request.config.timezone;
  const here = request.channel ? `${request.requester.surface}:${request.channel}` : undefined;
  const mutes = (await listMutes(request.store.db, request.now)).filter((m) => m.channel === here);
  const rows = listings.map(({ cadence: c, next }) => [
    c.name,
    `${c.kind}, ${c.cron} (${c.timezone})`,
    c.paused ? 'paused' : next ? formatInstant(next.toISOString(), tz) : '-',
    c.channels.length > 0 ? c.channels.join(' ') : 'subscribed channels',
  ]);
  return message(
    `Review cadences: ${listings.map((l) => `${l.cadence.name}${l.cadence.paused ? ' (paused)' : ''}`).join(', ')}`,
    [
      header('Review cadences'),
      table([{ header: 'Cadence' }, { header: 'What, when' }, { header: 'Next run' }, { header: 'Posts to' }], rows),
      ...(mutes.length > 0 ? [context(`Muted here: ${mutes.map((m) => `${m.kind} until ${formatInstant(m.until.toISOString(), tz)}`).join('; ')}`)] : []),
      context('Admins: ', code('cadence pause <name>'), ', ', code('cadence resume <name>'), ', ', code('cadence mute <name> 7d'), '.'),
    ],
  );
}
