import { adminIds } from '../../app/authorization-policy.js';
import { firstAdminCommand } from '../../app/add-person-role.js';
import { code, md } from '../../messages/rich-text.js';
import { context, header, message, text } from '../../messages/message-blocks.js';
import type { Message } from '../../messages/message-model.js';
import type { ChatRequest, ChatRequester } from '../chat-request.js';

/** The CLI line an admin runs to give this chat user access. */
export function peopleAddHint(requester: ChatRequester): string {
  const idFlag = requester.surface === 'slack' ? `--slack-id ${requester.userId}` : `--teams-id ${requester.userId}`;
  return `npx costbridge people add <your-name> ${idFlag} --role owner --cost-center <CC>`;
}

/**
 * The friendly refusal for a chat user costbridge does not know: who they are, who the admins are
 * (or, with none yet, the command that makes the first one) and the line that gives them access.
 */
export function accessRefusal(requester: ChatRequester, admins: readonly string[] = []): Message {
  const where = requester.surface === 'slack' ? 'Slack' : 'Teams';
  const who = admins.length > 0 ? `Ask a costbridge admin (${admins.slice(0, 6).join(', ')}) to add you` : 'Nobody is a costbridge admin yet; whoever installs it makes the first one';
  return message(`costbridge does not know you yet: ${who.toLowerCase()}: ${admins.length > 0 ? peopleAddHint(requester) : firstAdminCommand}`, [
    header('You do not have access to costbridge yet'),
    text(md`costbridge records every decision with the person who made it, and it does not know your ${where} user (${requester.userId}) yet.`),
    text(`${who}, with the role you need (finops, itfm or owner):`),
    context(code(admins.length > 0 ? peopleAddHint(requester) : firstAdminCommand)),
  ]);
}

/** `accessRefusal` with the current admins looked up. */
export async function refuseUnknownUser(request: Pick<ChatRequest, 'store' | 'requester'>): Promise<Message> {
  return accessRefusal(request.requester, await adminIds(request.store.db));
}
