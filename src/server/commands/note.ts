import { context, message } from '../../messages/message-blocks.js';
import type { Message } from '../../messages/message-model.js';
import type { RichTextPart } from '../../messages/rich-text.js';

/** A one-line private answer (nothing to list, a routing change done). */
export function note(fallback: string, ...parts: readonly RichTextPart[]): Message {
  return message(fallback, [context(...(parts.length > 0 ? parts : [fallback]))]);
}
