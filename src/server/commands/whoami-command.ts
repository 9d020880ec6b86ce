import { describeGrant } from '../../domain/people.js';
import { code } from '../../messages/rich-text.js';
import { context, field, fields, header, message, text } from '../../messages/message-blocks.js';
import type { ChatCommand } from './chat-command.js';
import { peopleAddHint } from './access-refusal.js';

/** `whoami`: the chat identity, the person costbridge maps it to, and their roles. */
export const whoamiCommand: ChatCommand = {
  name: 'whoami',
  usage: '',
  summary: 'who costbridge takes you for, and your roles',
  requiresPerson: false,
  async run(_args, { requester }) {
    const platform = requester.surface === 'slack' ? 'Slack' : 'Teams';
    const identity = field(`${platform} user`, code(requester.userId));
    const p = requester.person;
    if (!p) {
      return message(`You are ${platform} user ${requester.userId}; costbridge does not know you yet.`, [
        header('Who you are'),
        fields(identity, field('costbridge person', 'not registered')),
        text('Ask a costbridge admin to add you:'),
        context(code(peopleAddHint(requester))),
      ]);
    }
    const roles = p.roles.length > 0 ? p.roles.map(describeGrant).join(', ') : 'none';
    return message(`You are ${p.id}${p.name ? ` (${p.name})` : ''}; roles: ${roles}.`, [
      header('Who you are'),
      fields(
        identity,
        field('costbridge person', code(p.id)),
        field('Name', p.name ?? '(not set)'),
        field('Email', p.email ?? '(not set)'),
        field('Roles', roles),
      ),
    ]);
  },
};
