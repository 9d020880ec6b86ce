import { subscribe } from '../../app/cadence-subscribe.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import type { ChatCommand } from './chat-command.js';
import { commandChannel } from './channel-key.js';
import { note } from './note.js';

/** `subscribe <cost-center|all>`: routes a cost center's review alerts (or, with `all`, the overview) to this channel. */
export const subscribeCommand: ChatCommand = {
  name: 'subscribe',
  usage: '<cost-center|all>',
  summary: "route a cost center's alerts (or all of them) to this channel",
  requiresPerson: true,
  async run(args, request) {
    if (!args[0]) throw new CostbridgeError('INPUT_INVALID', 'say which cost center to route here, or all: subscribe CC-1200');
    const r = await subscribe(request.store, { channel: commandChannel(request), costCenter: args[0], actor: request.requester.person!.id, surface: request.requester.surface, now: request.now });
    const what = r.costCenter === '*' ? 'the overview of every cost center' : `the alerts of ${r.costCenter}`;
    return note(r.created ? `This channel now gets ${what}.` : `This channel already gets ${what}.`);
  },
};
