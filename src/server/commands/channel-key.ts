import { CostbridgeError } from '../../domain/costbridge-error.js';
import type { ChatRequest } from '../chat-request.js';

/** The channel a routing command was typed in, as the alert-routing use cases name it (`slack:C123`). */
export function commandChannel(request: ChatRequest): string {
  if (!request.channel) throw new CostbridgeError('INPUT_INVALID', 'this command routes the alerts of a channel; type it in that channel');
  return `${request.requester.surface}:${request.channel}`;
}
