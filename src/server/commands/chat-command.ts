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
  run(args: readonly string[], request: ChatRequest): Promise<Message>;
}
