import { field, fields, text } from './message-blocks.js';
import type { ListItem, TableBlock } from './message-model.js';
import { maxChatTableColumns } from './model-limits.js';
import { bold } from './rich-text.js';

/**
 * A table wider than `maxChatTableColumns` as one entry per row — the first cell as its title, every
 * other cell as a labelled field — so no chat message shows more than four columns; undefined for a
 * table narrow enough to stay a table. Renderers treat the entries like list items (kept whole, the
 * rest counted in "…and N more").
 */
export function wideTableRows(block: TableBlock): ListItem[] | undefined {
  if (block.columns.length <= maxChatTableColumns) return undefined;
  return block.rows.map((row) => {
    const rest = block.columns.slice(1).map((c, i) => field(c.header, row[i + 1] ?? ''));
    return [text(bold(`${block.columns[0]!.header}: ${row[0] ?? ''}`)), fields(...rest)];
  });
}
