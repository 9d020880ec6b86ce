import { homeMessage } from '../home/home-message.js';
import type { ChatCommand } from './chat-command.js';

/**
 * `home`: your open decisions (what you may claim, sign-offs and variances waiting for you, your
 * cost centers' month) with their buttons. In Teams the answer becomes your home card, refreshed
 * after each decision you take; in Slack it is shown privately, and the app's Home tab keeps it.
 */
export const homeCommand: ChatCommand = {
  name: 'home',
  usage: '',
  summary: 'your open decisions: what you may claim, sign-offs and variances waiting for you, your cost centers',
  requiresPerson: false,
  async run(_args, request) {
    return { posts: [], reply: await homeMessage(request), home: true };
  },
};
