import { adaptiveCardContentType, renderTeamsCard } from './render.js';
import type { Message } from '../../messages/message-model.js';

/** A neutral message as a Bot Framework message activity: the Adaptive Card plus its fallback as notification text. */
export function messageActivity(message: Message): { type: 'message'; summary: string; attachments: { contentType: string; content: unknown }[] } {
  return {
    type: 'message',
    summary: message.fallback.slice(0, 250),
    attachments: [{ contentType: adaptiveCardContentType, content: renderTeamsCard(message) }],
  };
}
