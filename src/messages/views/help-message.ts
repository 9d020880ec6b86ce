import { header, message, text } from '../message-blocks.js';
import type { Message } from '../message-model.js';
import { command, rich, type RichTextPart } from '../rich-text.js';

/** The chat subcommands and what they do, in the order help lists them. */
export const chatCommands: readonly { readonly usage: string; readonly does: string }[] = [
  { usage: 'help', does: 'this list' },
  { usage: 'unattributed [period]', does: 'spend nobody owns yet, with Claim and Not mine' },
  { usage: 'savings [status]', does: 'savings by status (proposed, validated, recognized, …)' },
  { usage: 'variance [cost-center] [period]', does: 'material variances and their explanations' },
  { usage: 'define <term>', does: 'the shared glossary: what a term means on both sides' },
  { usage: 'subscribe <cost-center|all>', does: "route a cost center's alerts to this channel" },
  { usage: 'unsubscribe', does: 'stop alerts in this channel' },
  { usage: 'whoami', does: 'who costbridge thinks you are, and your roles' },
  { usage: 'mute <kind> <duration>', does: 'pause one kind of alert here (e.g. mute unattributed 7d)' },
  { usage: 'cadence ...', does: 'the joint review schedule for this channel' },
];

/** The help reply: every subcommand with a one-line description. */
export function helpMessage(): Message {
  const parts: RichTextPart[] = [];
  chatCommands.forEach((c, i) => parts.push(i > 0 ? '\n' : '', command(c.usage), ` — ${c.does}`));
  return message(`costbridge commands: ${chatCommands.map((c) => c.usage.split(' ')[0]).join(', ')}`, [header('costbridge commands'), text(rich(...parts))]);
}
