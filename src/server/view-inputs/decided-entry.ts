import { message } from '../../messages/message-blocks.js';
import type { Button, ContentBlock, ListItem, Message, MessageBlock } from '../../messages/message-model.js';
import { actionIds } from '../../messages/views/interaction-ids.js';
import { unattributedAlertSummary } from '../../messages/views/unattributed-spend-alert.js';

function hasButton(entry: ListItem, matches: (b: Button) => boolean): boolean {
  return entry.some((b) => b.kind === 'actions' && b.buttons.some(matches));
}

/**
 * The message with one list entry decided: the entry whose buttons `matches` loses its buttons,
 * replaced by `outcome` (who decided what). Undefined when no open entry matches (already decided
 * in this message, or not in it), so nothing needs updating.
 */
export function withEntryDecided(current: Message, matches: (b: Button) => boolean, outcome: ContentBlock): Message | undefined {
  let found = false;
  const blocks: MessageBlock[] = current.blocks.map((block) => {
    if (block.kind !== 'list') return block;
    return {
      ...block,
      items: block.items.map((entry) => {
        if (!hasButton(entry, matches)) return entry;
        found = true;
        return entry.map((b) => (b.kind === 'actions' && b.buttons.some(matches) ? outcome : b));
      }),
    };
  });
  return found ? message(current.fallback, blocks, current.moreCommand) : undefined;
}

/**
 * The message with a note added to one list entry (above its buttons, which stay): who explained a
 * variance in a digest, who said an item is not theirs. Undefined when no entry carries a matching
 * button, or the entry shows this note already.
 */
export function withEntryNote(current: Message, matches: (b: Button) => boolean, note: ContentBlock): Message | undefined {
  let found = false;
  const same = JSON.stringify(note);
  const blocks: MessageBlock[] = current.blocks.map((block) => {
    if (block.kind !== 'list') return block;
    return {
      ...block,
      items: block.items.map((entry) => {
        if (!hasButton(entry, matches) || entry.some((b) => JSON.stringify(b) === same)) return entry;
        found = true;
        const at = entry.findIndex((b) => b.kind === 'actions' && b.buttons.some(matches));
        return [...entry.slice(0, at), note, ...entry.slice(at)];
      }),
    };
  });
  return found ? message(current.fallback, blocks, current.moreCommand) : undefined;
}

/** Whether a button matching `matches` stands outside any list (the message is about that one subject), rather than in a list entry (a digest). */
export function hasTopLevelButton(current: Message, matches: (b: Button) => boolean): boolean {
  return current.blocks.some((b) => b.kind === 'actions' && b.buttons.some(matches));
}

const isItemButton = (itemId: string) => (b: Button) =>
  (b.actionId === actionIds.claimItem || b.actionId === actionIds.notMineItem) && b.payload.itemId === itemId;

function openItems(m: Message): { total: number; open: number } {
  const entries = m.blocks.flatMap((b) => (b.kind === 'list' ? b.items : []));
  return { total: entries.length, open: entries.filter((e) => hasButton(e, (b) => b.actionId === actionIds.claimItem)).length };
}

/**
 * An unattributed-spend alert with one item decided (claimed, or sent back to FinOps): the item
 * shows `outcome` instead of **Claim** / **Not mine**, and the summary counts one open item fewer.
 */
export function unattributedAlertWithOutcome(current: Message, itemId: string, outcome: ContentBlock): Message | undefined {
  const revised = withEntryDecided(current, isItemButton(itemId), outcome);
  if (!revised) return undefined;
  const before = openItems(current);
  const after = openItems(revised);
  const summary = unattributedAlertSummary(before.total, before.open);
  const oldSummary = JSON.stringify(summary);
  // Only a block of the summary's kind can be it: the item list is never serialized to find out.
  const blocks = revised.blocks.map((b) => (b.kind === summary.kind && JSON.stringify(b) === oldSummary ? unattributedAlertSummary(after.total, after.open) : b));
  return message(revised.fallback, blocks, revised.moreCommand);
}
