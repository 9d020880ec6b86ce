import type { Button, ContentBlock, Message } from './message-model.js';

function blockButtons(b: ContentBlock): readonly Button[] {
  return b.kind === 'actions' ? b.buttons : [];
}

/** Every button of a message, list entries included, in order. */
export function messageButtons(message: Message): Button[] {
  return message.blocks.flatMap((b) => (b.kind === 'list' ? b.items.flatMap((entry) => entry.flatMap(blockButtons)) : blockButtons(b)));
}

/** Whether a message carries a button with this action id and exactly this payload. */
export function carriesButton(message: Message, actionId: string, payload: Readonly<Record<string, string>>): boolean {
  const want = Object.entries(payload).sort(([a], [b]) => a.localeCompare(b));
  return messageButtons(message).some((b) => {
    if (b.actionId !== actionId) return false;
    const have = Object.entries(b.payload).sort(([a], [c]) => a.localeCompare(c));
    return have.length === want.length && have.every(([k, v], i) => want[i]![0] === k && want[i]![1] === v);
  });
}
