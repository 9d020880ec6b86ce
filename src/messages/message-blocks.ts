import type {
  ActionsBlock,
  Button,
  ButtonStyle,
  ColumnAlign,
  ConfirmDialog,
  ContentBlock,
  ContextBlock,
  DividerBlock,
  Field,
  FieldsBlock,
  HeaderBlock,
  ImageBlock,
  ImageSource,
  ListBlock,
  Message,
  MessageBlock,
  TableBlock,
  TextBlock,
} from './message-model.js';
import { checkIdentifier, maxPayloadLength } from './model-limits.js';
import { rich, type RichTextPart } from './rich-text.js';

/** A header. */
export function header(text: string): HeaderBlock {
  return { kind: 'header', text };
}

/** A paragraph; strings are literal text (use `md` or `bold()` etc. for formatting). */
export function text(...parts: readonly RichTextPart[]): TextBlock {
  return { kind: 'text', text: rich(...parts) };
}

/** One label/value pair for `fields()`. */
export function field(label: string, ...value: readonly RichTextPart[]): Field {
  return { label, value: rich(...value) };
}

/** Label/value pairs. */
export function fields(...items: readonly Field[]): FieldsBlock {
  return { kind: 'fields', fields: items };
}

/** A table; each row must have one cell per column. */
export function table(columns: readonly { header: string; align?: ColumnAlign }[], rows: readonly (readonly string[])[]): TableBlock {
  if (columns.length === 0) throw new RangeError('table needs at least one column');
  rows.forEach((row, i) => {
    if (row.length !== columns.length) throw new RangeError(`table row ${i + 1} has ${row.length} cells for ${columns.length} columns`);
  });
  return { kind: 'table', columns: columns.map((c) => ({ header: c.header, align: c.align ?? 'left' })), rows };
}

/** Small print. */
export function context(...parts: readonly RichTextPart[]): ContextBlock {
  return { kind: 'context', text: rich(...parts) };
}

/** A horizontal rule. */
export function divider(): DividerBlock {
  return { kind: 'divider' };
}

/** An image from a public https URL or an attachment the adapter resolves by name. */
export function image(source: ImageSource, altText: string, title?: string): ImageBlock {
  if ('url' in source && !/^https:\/\/\S+$/.test(source.url)) throw new RangeError(`image url must be https, got ${JSON.stringify(source.url)}`);
  if ('attachment' in source) checkIdentifier(source.attachment, 'image attachment name');
  return title === undefined ? { kind: 'image', source, altText } : { kind: 'image', source, altText, title };
}

/** Options of a button besides its action id, label and payload. */
export interface ButtonOptions {
  readonly style?: ButtonStyle;
  readonly confirm?: ConfirmDialog;
  readonly cliHint?: string;
}

/** A button; the payload (ids only) must serialize to at most 2000 characters. */
export function button(actionId: string, label: string, payload: Readonly<Record<string, string>>, options: ButtonOptions = {}): Button {
  checkIdentifier(actionId, 'button actionId');
  const serialized = JSON.stringify(payload);
  if (serialized.length > maxPayloadLength) throw new RangeError(`button ${actionId} payload is ${serialized.length} characters serialized; at most ${maxPayloadLength}`);
  return {
    actionId,
    label,
    payload,
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
    ...(options.cliHint ? { cliHint: options.cliHint } : {}),
  };
}

/** A row of buttons; action ids must differ within one row (Slack requires it per block). */
export function actions(...buttons: readonly Button[]): ActionsBlock {
  if (buttons.length === 0) throw new RangeError('actions needs at least one button');
  const seen = new Set<string>();
  for (const b of buttons) {
    if (seen.has(b.actionId)) throw new RangeError(`actions: two buttons share actionId ${b.actionId}`);
    seen.add(b.actionId);
  }
  return { kind: 'actions', buttons };
}

/** Repeated entries that renderers may cut, saying how many more there are. */
export function list(items: readonly (readonly ContentBlock[])[]): ListBlock {
  return { kind: 'list', items };
}

/** A message; `moreCommand` (chat command words) is offered when a list had to be cut. */
export function message(fallback: string, blocks: readonly MessageBlock[], moreCommand?: string): Message {
  return moreCommand === undefined ? { fallback, blocks } : { fallback, blocks, moreCommand };
}
