import type { Message } from '../messages/message-model.js';
import { renderText } from '../messages/render-text.js';

/** A review message and its thread replies as the terminal shows them: the message, then each reply under a rule naming it. */
export function digestText(parent: Message, thread: readonly Message[]): string {
  const prefix = { commandPrefix: '/costbridge ' };
  return [renderText(parent, prefix), ...thread.map((m, i) => `── in the thread (${i + 1} of ${thread.length}) ──\n\n${renderText(m, prefix)}`)].join('\n\n');
}
