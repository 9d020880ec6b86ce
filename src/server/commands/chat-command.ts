import type { Message } from '../../messages/message-model.js';
import type { ChatRequest } from '../chat-request.js';

/**
 * One chat subcommand (`/costbridge <name> ...` in Slack, the same words sent to the bot in Teams).
 * Handlers are platform-neutral: words in, a Message out; each adapter renders and delivers it.
 */
export interface ChatCommand {
  readonly name: string;
  /** Usage after the command name, e.g. `[period]`; empty when it takes no arguments. */
  readonly usage: string;
  readonly summary: string;
  /** Whether only people known to costbridge may run it (everyone else gets the access refusal). */
  readonly requiresPerson: boolean;
  run(args: readonly string[], request: ChatRequest): Promise<Message | ChannelPosts>;
}

/**
 * A command answer posted in the channel for everyone rather than shown only to the sender: alerts
 * whose buttons record decisions, updated in place afterwards (an ephemeral message cannot be).
 * `reply` is an optional private note to the sender as well.
 */
export interface ChannelPosts {
  readonly posts: readonly Message[];
  readonly reply?: Message;
  /** The reply is the person's home (Teams keeps it as their home card and updates it after each decision). */
  readonly home?: boolean;
}

/** Whether a command answer is a set of channel posts. */
export function isChannelPosts(answer: Message | ChannelPosts): answer is ChannelPosts {
  return 'posts' in answer && Array.isArray(answer.posts);
}
