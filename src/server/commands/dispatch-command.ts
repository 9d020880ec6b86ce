import { CostbridgeError } from '../../domain/costbridge-error.js';
import { code, command } from '../../messages/rich-text.js';
import { header, message, text } from '../../messages/message-blocks.js';
import type { Message } from '../../messages/message-model.js';
import type { ChatRequest } from '../chat-request.js';
import { isChannelPosts, type ChannelPosts, type ChatCommand } from './chat-command.js';
import { refuseUnknownUser } from './access-refusal.js';

/** Splits command text into words; double quotes group words (`define "cost center"`). */
export function commandWords(input: string): string[] {
  const words: string[] = [];
  for (const m of input.trim().matchAll(/"([^"]*)"|(\S+)/g)) words.push(m[1] ?? m[2]!);
  return words;
}

/**
 * Runs one chat command: words -> handler -> Message. Unknown words get a pointer to `help`; a
 * command that records decisions refuses people costbridge does not know; a CostbridgeError (bad
 * input, not found, forbidden) becomes a friendly message naming what was wrong. Anything else is a
 * bug and propagates to the platform's one error handler.
 */
export async function dispatchCommand(commands: readonly ChatCommand[], input: string, request: ChatRequest): Promise<Message> {
  const answer = await dispatchCommandAnswer(commands, input, request);
  return answer.reply ?? answer.posts[0]!;
}

/** A dispatched command's answer: messages for everyone in the channel, and / or a private reply (at least one of them). */
export interface CommandAnswer {
  readonly posts: readonly Message[];
  readonly reply: Message | undefined;
  /** The reply is the person's home (see `ChannelPosts.home`). */
  readonly home?: boolean;
}

/** Like `dispatchCommand`, keeping channel posts (see `ChannelPosts`) apart from the private reply. */
export async function dispatchCommandAnswer(commands: readonly ChatCommand[], input: string, request: ChatRequest): Promise<CommandAnswer> {
  const answer = await runCommand(commands, input, request);
  if (!isChannelPosts(answer)) return { posts: [], reply: answer };
  if (answer.posts.length === 0 && !answer.reply) throw new Error(`command ${JSON.stringify(input)} answered nothing`);
  return { posts: answer.posts, reply: answer.reply, ...(answer.home ? { home: true } : {}) };
}

async function runCommand(commands: readonly ChatCommand[], input: string, request: ChatRequest): Promise<Message | ChannelPosts> {
  const [name = 'help', ...args] = commandWords(input);
  const found = commands.find((c) => c.name === name.toLowerCase());
  if (!found) {
    return message(`Unknown command ${name}; try help.`, [
      text('I do not know the command ', code(name), '. Try ', command('help'), ' for the list.'),
    ]);
  }
  if (found.requiresPerson && !request.requester.person) return refuseUnknownUser(request);
  try {
    return await found.run(args, request);
  } catch (e) {
    if (!(e instanceof CostbridgeError)) throw e;
    return message(e.message, [header(friendlyTitle(e.code)), text(e.message), ...e.details.slice(0, 10).map((d) => text(d))]);
  }
}

function friendlyTitle(errorCode: CostbridgeError['code']): string {
  switch (errorCode) {
    case 'INPUT_INVALID':
      return 'That did not work: check the command';
    case 'NOT_FOUND':
      return 'Not found';
    case 'FORBIDDEN':
      return 'Not allowed';
    case 'CONFLICT':
      return 'Someone got there first';
    default:
      return 'That did not work';
  }
}
