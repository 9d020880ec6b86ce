import type { ContentBlock, Message } from './message-model.js';
import { plainTableLines } from './plain-table.js';
import { richTextToPlain } from './rich-text.js';

/** Options of the plain-text renderer. */
export interface TextRenderOptions {
  /** Put before chat command words (default `/costbridge `). */
  readonly commandPrefix?: string;
  /** Show at most this many items of each list (default: all). */
  readonly maxListItems?: number;
}

function blockText(block: ContentBlock, prefix: string): string {
  switch (block.kind) {
    case 'header':
      return block.text;
    case 'text':
    case 'context':
      return richTextToPlain(block.text, prefix);
    case 'divider':
      return '---';
    case 'fields': {
      const width = Math.max(...block.fields.map((f) => f.label.length));
      return block.fields.map((f) => `${`${f.label}:`.padEnd(width + 1)} ${richTextToPlain(f.value, prefix)}`).join('\n');
    }
    case 'table': {
      const { header, rows } = plainTableLines(block);
      return [...header, ...rows].join('\n');
    }
    case 'image':
      return 'url' in block.source ? `[image: ${block.altText}] ${block.source.url}` : `[image: ${block.altText}]`;
    case 'actions':
      return block.buttons.map((b) => (b.cliHint ? `[${b.label}] ${b.cliHint}` : `[${b.label}]`)).join('\n');
  }
}

/** A message as plain text for a terminal or a notification; buttons show their CLI equivalent. */
export function renderText(message: Message, options: TextRenderOptions = {}): string {
  const prefix = options.commandPrefix ?? '/costbridge ';
  const parts: string[] = [];
  for (const block of message.blocks) {
    if (block.kind !== 'list') {
      parts.push(blockText(block, prefix));
      continue;
    }
    const shown = options.maxListItems === undefined ? block.items : block.items.slice(0, options.maxListItems);
    for (const item of shown) parts.push(item.map((b) => blockText(b, prefix)).join('\n'));
    const hidden = block.items.length - shown.length;
    if (hidden > 0) parts.push(`…and ${hidden} more items.${message.moreCommand ? ` See all with ${prefix}${message.moreCommand}` : ''}`);
  }
  return parts.filter((p) => p !== '').join('\n\n');
}
