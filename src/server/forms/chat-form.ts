import type { Message } from '../../messages/message-model.js';
import type { ClickedMessage } from '../actions/chat-action.js';
import type { ChatRequest } from '../chat-request.js';

/** A submitted form: input id -> value (several for multi-selects), and the private metadata the form carried (its session id). */
export interface FormSubmission {
  readonly values: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly privateMetadata: string;
}

/**
 * The server-side session of a submitted form: what it decides on, at which version, and the
 * message it was opened from — read from the store, never from the submitted data.
 */
export interface FormSession {
  readonly id: string;
  readonly subject: Readonly<Record<string, string>>;
  readonly subjectVersion: string | null;
  readonly origin: ClickedMessage;
}

/**
 * The handler of one form (`callbackId`): a Slack modal's view_submission or a Teams card's submit.
 * `validate` is pure and fast (Slack shows its errors beside the inputs, answered within 3 s);
 * `submit` runs after the acknowledgement and records the decision.
 */
export interface ChatForm {
  readonly callbackId: string;
  readonly requiresPerson: boolean;
  /** Searchable selects of this form: input id -> options source id (see options-source.ts). */
  readonly searchInputs?: Readonly<Record<string, string>>;
  /** Input id -> what is wrong with it; undefined when the submission is acceptable. */
  validate(submission: FormSubmission): Readonly<Record<string, string>> | undefined;
  submit(submission: FormSubmission, request: ChatRequest, session: FormSession): Promise<FormOutcome>;
}

/** What a submission came to: a reply for the submitter only. */
export interface FormOutcome {
  readonly reply?: Message;
  /** What the decision came to (kept with the form session); default `recorded`. */
  readonly decision?: 'recorded' | 'refused' | 'conflict' | 'failed';
  /**
   * The channel / conversation the form was opened from: in Slack the reply is shown there privately
   * (ephemeral) instead of in the app's DM. Teams answers the submit itself, privately, either way.
   */
  readonly replyIn?: string;
  /** Slack: the response_url of the ephemeral message the form was opened from (the reply goes through it). */
  readonly replyResponseUrl?: string;
  /** The posted message the form was opened from (Slack ts): the confirmation goes into its thread (a digest's decisions stay under the digest). */
  readonly replyThread?: string;
}
