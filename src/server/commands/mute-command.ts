import { muteAlertKind } from '../../app/cadence-mute.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { formatInstant } from '../../messages/cost-bases.js';
import type { ChatCommand } from './chat-command.js';
import { commandChannel } from './channel-key.js';
import { note } from './note.js';

/** `mute <kind> <duration>`: pauses one kind of alert in this channel (e.g. `mute unattributed 7d`). */
export const muteCommand: ChatCommand = {
  name: 'mute',
  usage: '<kind> <duration>',
  summary: 'pause one kind of alert here (e.g. mute unattributed 7d)',
  requiresPerson: true,
  async run(args, request) {
    if (args.length < 2) throw new CostbridgeError('INPUT_INVALID', 'say which alert kind and for how long: mute unattributed 7d');
    const r = await muteAlertKind(request.store, {
      channel: commandChannel(request),
      kind: args[0]!,
      duration: args[1]!,
      actor: request.requester.person!.id,
      surface: request.requester.surface,
      now: request.now,
    });
    return note(`${r.kind} is muted in this channel until ${formatInstant(r.until.toISOString(), request.config.timezone)}.`);
  },
};
