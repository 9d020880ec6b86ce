import type { Message } from '../../messages/message-model.js';
import type { Form } from '../../messages/form-model.js';
import type { ChatRequest } from '../chat-request.js';
import type { DecisionListSpec } from '../../app/decision-list.js';

/** The message a button was clicked on: its channel / conversation and its platform id (Slack ts, Teams activity id). */
export interface ClickedMessage {
  readonly target: string;
  readonly messageId: string;
  /**
   * Slack: the click's `response_url` when the message clicked is ephemeral. Such a message has no
   * `ts` that chat.update could take, so a decision replaces it through this URL instead.
   */
  readonly responseUrl?: string;
}

/**
 * What a button press came to: a private reply to the clicker, or a form to open (a Slack modal, a
 * Teams card). A form's `privateMetadata` holds the subject's ids as the view built them; the server
 * keeps them (with `subjectVersion`, the clicked message and the clicker) in a form session and gives
 * the platform only the session's id. In-place updates of the message are queued in the outbox by
 * the use case itself.
 */
export interface ActionOutcome {
  readonly reply?: Message;
  readonly openForm?: Form;
  /**
   * A read-only list dialog to open (View all: a Slack modal, a Teams task module): its title, the
   * first page, and what it lists; the server stores it as a session whose id (`sessionId`, set by
   * runChatAction) is all the platform gets.
   */
  readonly openList?: { readonly title: string; readonly page: Message; readonly spec: DecisionListSpec; readonly sessionId?: string };
  /** The version of the subject the form decides on, as the clicker saw it (a saving's version ...). */
  readonly subjectVersion?: string;
}

/**
 * The handler of one button `actionId`, platform-neutral: the Slack block_actions listener and the
 * Teams `adaptiveCard/action` invoke both end here with the button's payload (ids only).
 */
export interface ChatAction {
  readonly actionId: string;
  /** Whether only people known to costbridge may press it (every decision is). */
  readonly requiresPerson: boolean;
  run(payload: Readonly<Record<string, string>>, request: ChatRequest & { readonly clicked: ClickedMessage }): Promise<ActionOutcome>;
}
