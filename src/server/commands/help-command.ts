import { command } from '../../messages/rich-text.js';
import { context, header, message, table, text } from '../../messages/message-blocks.js';
import type { ChatCommand } from './chat-command.js';

/** `help`: every subcommand available in chat, from the registry, so the list never drifts from what works. */
export function helpCommand(available: () => readonly ChatCommand[]): ChatCommand {
  return {
    name: 'help',
    usage: '',
    summary: 'this list',
    requiresPerson: false,
    async run(_args, { requester }) {
      const commands = available();
      const how = requester.surface === 'slack' ? 'Type /costbridge followed by a command.' : 'Send me one of these commands.';
      return message(`costbridge commands: ${commands.map((c) => c.name).join(', ')}`, [
        header('costbridge commands'),
        text(how),
        table(
          [{ header: 'Command' }, { header: 'What it does' }],
          commands.map((c) => [c.usage ? `${c.name} ${c.usage}` : c.name, c.summary]),
        ),
        context('Buttons on costbridge messages record decisions as you; try ', command('whoami'), ' to see who that is.'),
      ]);
    },
  };
}
