import { listSavingItems } from '../../app/list-savings.js';
import { showSaving } from '../../app/show-saving.js';
import { parseSavingStatus, type SavingStatus } from '../../domain/saving.js';
import type { Message } from '../../messages/message-model.js';
import { code } from '../../messages/rich-text.js';
import { savingsSignOffRequest } from '../../messages/views/savings-sign-off-request.js';
import { savingSignOffView } from '../view-inputs/saving-sign-off-view.js';
import type { ChatCommand } from './chat-command.js';
import { note } from './note.js';

/** At most this many sign-off requests are posted per command; the rest are named with the CLI line that lists them. */
export const maxSavingsPosted = 10;

/** `savings [status]`: posts a sign-off request per saving (proposed and validated ones by default) with **Approve** / **Reject**. */
export const savingsCommand: ChatCommand = {
  name: 'savings',
  usage: '[status]',
  summary: 'posts savings waiting for sign-off (or of one status) with their evidence, Approve and Reject',
  requiresPerson: true,
  async run(args, { store, config }) {
    const statuses: SavingStatus[] = args[0] ? [parseSavingStatus(args[0], 'status')] : ['proposed', 'validated'];
    const items = (await Promise.all(statuses.map((status) => listSavingItems(store, { status })))).flat();
    if (items.length === 0) return note(`No ${statuses.join(' or ')} savings.`);
    const posts: Message[] = [];
    for (const item of items.slice(0, maxSavingsPosted)) {
      const v = await showSaving(store, { id: item.saving.id });
      if (v.ok) posts.push(savingsSignOffRequest(savingSignOffView(v, config.timezone)));
    }
    const more = items.length - posts.length;
    if (more <= 0) return { posts };
    const cli = `npx costbridge savings list${args[0] ? ` --status ${statuses[0]}` : ''}`;
    return { posts, reply: note(`${more} more savings not posted; see them with ${cli}`, `${more} more not posted; see them all with `, code(cli)) };
  },
};
