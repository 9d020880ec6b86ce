import { lookupGlossaryTerm } from '../../app/glossary.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { context, header, message, text } from '../../messages/message-blocks.js';
import { command } from '../../messages/rich-text.js';
import type { ChatCommand } from './chat-command.js';

/** `define <term>`: the shared glossary's definition of a term (by name or alias), or close matches. */
export const defineCommand: ChatCommand = {
  name: 'define',
  usage: '<term>',
  summary: 'what a term means on both sides (the shared glossary)',
  requiresPerson: false,
  async run(args, { store }) {
    const words = args.join(' ').trim();
    if (words === '') throw new CostbridgeError('INPUT_INVALID', 'say which term to define, e.g. define "effective cost"');
    const found = await lookupGlossaryTerm(store, { term: words });
    if (!found.ok) {
      return message(found.message, [text(found.message), ...(found.suggestions.length > 0 ? [context('Try ', command(`define ${found.suggestions[0]!}`))] : [])]);
    }
    const t = found.term;
    return message(`${t.term}: ${t.definition}`, [
      header(t.term),
      text(t.definition),
      ...(t.aliases.length > 0 ? [context(`Also called: ${t.aliases.join(', ')}`)] : []),
    ]);
  },
};
