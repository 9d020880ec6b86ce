import type { RichText } from './rich-text.js';

// The platform-neutral message model: a discriminated union of blocks that the Slack, Teams and
// plain-text renderers each turn into their own format. Build it with the factories in
// message-blocks.ts and form-model.ts, which check the invariants the renderers rely on.

/** A large one-line title (plain text). */
export interface HeaderBlock {
  readonly kind: 'header';
  readonly text: string;
}

/** A paragraph of inline text. */
export interface TextBlock {
  readonly kind: 'text';
  readonly text: RichText;
}

/** One label/value pair. */
export interface Field {
  readonly label: string;
  readonly value: RichText;
}

/** Label/value pairs shown side by side where the surface allows. */
export interface FieldsBlock {
  readonly kind: 'fields';
  readonly fields: readonly Field[];
}

/** Horizontal alignment of a table column (amounts are right-aligned). */
export type ColumnAlign = 'left' | 'center' | 'right';

/** A table column: header text and alignment. */
export interface TableColumn {
  readonly header: string;
  readonly align: ColumnAlign;
}

/** Rows of plain-text cells under column headers. */
export interface TableBlock {
  readonly kind: 'table';
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly string[])[];
}

/** Small print under or between blocks. */
export interface ContextBlock {
  readonly kind: 'context';
  readonly text: RichText;
}

/** A horizontal rule. */
export interface DividerBlock {
  readonly kind: 'divider';
}

/** Where an image comes from: a public URL, or the name of a file the adapter uploads or attaches. */
export type ImageSource = { readonly url: string } | { readonly attachment: string };

/** An image with alternative text (shown instead where the image cannot be). */
export interface ImageBlock {
  readonly kind: 'image';
  readonly source: ImageSource;
  readonly altText: string;
  readonly title?: string;
}

/** Visual weight of a button. */
export type ButtonStyle = 'primary' | 'danger';

/** A confirmation step before a button's action runs. */
export interface ConfirmDialog {
  readonly title: string;
  readonly text: string;
  readonly confirmLabel: string;
  readonly denyLabel: string;
}

/** A button: its `actionId` names the interaction, its `payload` carries ids only (never amounts). */
export interface Button {
  readonly actionId: string;
  readonly label: string;
  readonly payload: Readonly<Record<string, string>>;
  readonly style?: ButtonStyle;
  readonly confirm?: ConfirmDialog;
  /** The equivalent terminal command, shown by the plain-text renderer (`npx costbridge claim ITEM …`). */
  readonly cliHint?: string;
}

/** A row of buttons. */
export interface ActionsBlock {
  readonly kind: 'actions';
  readonly buttons: readonly Button[];
}

/** Every block except lists. */
export type ContentBlock = HeaderBlock | TextBlock | FieldsBlock | TableBlock | ContextBlock | DividerBlock | ImageBlock | ActionsBlock;

/** One entry of a list: blocks that are kept or cut together. */
export type ListItem = readonly ContentBlock[];

/** Repeated entries (alert items): renderers keep as many whole items as their limits allow and say how many more there are. */
export interface ListBlock {
  readonly kind: 'list';
  readonly items: readonly ListItem[];
}

/** Any block of a message. */
export type MessageBlock = ContentBlock | ListBlock;

/** A message: blocks, a plain-text `fallback` for notifications, and the command that shows everything when a list is cut. */
export interface Message {
  readonly fallback: string;
  readonly blocks: readonly MessageBlock[];
  /** Chat command words (`unattributed 2026-10`) that list everything a cut list left out. */
  readonly moreCommand?: string;
}
