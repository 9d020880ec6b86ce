import { unsubscribe } from '../../app/cadence-subscribe.js';
import type { ChatCommand } from './chat-command.js';
import { commandChannel } from './channel-key.js';
import { note } from './note.js';

/** `unsubscribe [cost-center|all]`: stops routing one cost center's alerts (or, with no argument, every alert) to this channel. */
export const unsubscribeCommand: ChatCommand = {
  name: 'unsubscribe',
  usage: '[cost-center|all]',
  summary: 'stop alerts in this channel (all of them, or one cost center)',
  requiresPerson: true,
  async run(args, request) {
    const removed = await unsubscribe(request.store, { channel: commandChannel(request), costCenter: args[0], actor: request.requester.person!.id, surface: request.requester.surface });
    if (removed.length === 0) return note('This channel had no such subscription; nothing changed.');
    return note(`Unsubscribed this channel from ${removed.map((c) => (c === '*' ? 'the overview' : c)).join(', ')}.`);
  },
};
