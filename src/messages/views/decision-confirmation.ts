import { formatInstant } from '../cost-bases.js';
import { context, field, fields, message, text } from '../message-blocks.js';
import type { ContentBlock, Message } from '../message-model.js';
import { md } from '../rich-text.js';

/** A decision that was just recorded. */
export interface DecisionConfirmationView {
  /** What happened, past tense (`Claimed`, `Approved`). */
  readonly decision: string;
  /** What it was about (`AWS · Amazon EC2, 2026-10`). */
  readonly subject: string;
  readonly details: readonly { readonly label: string; readonly value: string }[];
  readonly by: string;
  /** ISO instant. */
  readonly at: string;
  readonly timeZone?: string;
}

/** Confirms a decision to the person who made it. */
export function decisionConfirmation(view: DecisionConfirmationView): Message {
  const blocks: ContentBlock[] = [text(md`✅ *${view.decision}*: ${view.subject}`)];
  if (view.details.length > 0) blocks.push(fields(...view.details.map((d) => field(d.label, d.value))));
  blocks.push(context(`Recorded for @${view.by} at ${formatInstant(view.at, view.timeZone)}; the audit log keeps it.`));
  return message(`${view.decision}: ${view.subject}`, blocks);
}
