import type { ChatPlatform } from '../store/chat-outbox.js';
import type { Store } from '../store/database.js';
import { deliveredMessageCarriesButton } from '../store/chat-message-revisions.js';

/** A button press as the platform reported it: which message, which button, what it carried. */
export interface ClickedButton {
  readonly platform: ChatPlatform;
  readonly target: string;
  readonly messageId: string;
  readonly actionId: string;
  readonly payload: Readonly<Record<string, string>>;
}

/**
 * Whether costbridge delivered the clicked message with that very button (same action and ids) in
 * any of its versions: what a click carries is re-checked against what the server posted, so a
 * crafted click can neither name another subject nor point at a message that is not ours.
 */
export async function isButtonOnDeliveredMessage(store: Store, click: ClickedButton): Promise<boolean> {
  return deliveredMessageCarriesButton(store.db, { platform: click.platform, target: click.target, deliveredId: click.messageId }, { actionId: click.actionId, payload: click.payload });
}
