import { code, md } from '../../messages/rich-text.js';
import { context, header, message, text } from '../../messages/message-blocks.js';
import type { Message } from '../../messages/message-model.js';
import type { ChatRequester } from '../chat-request.js';

/** The CLI line an admin runs to give this chat user access. */
export function peopleAddHint(requester: ChatRequester): string {
  const idFlag = requester.surface === 'slack' ? `--slack-id ${requester.userId}` : `--teams-id ${requester.userId}`;
  return `npx costbridge people add <your-name> ${idFlag} --role owner --cost-center <CC>`;
}

/** The friendly refusal for a chat user costbridge does not know: who they are and how to get access. */
export function accessRefusal(requester: ChatRequester): Message {
  const where = requester.surface === 'slack' ? 'Slack' : 'Teams';
  return message(`costbridge does not know you yet: ask an admin to run ${peopleAddHint(requester)}`, [
    header('You do not have access to costbridge yet'),
    text(md`costbridge records every decision with the person who made it, and it does not know your ${where} user (${requester.userId}) yet.`),
    text('Ask a costbridge admin to add you, with the role you need (finops, itfm or owner):'),
    context(code(peopleAddHint(requester))),
  ]);
}
