import { wideTableRows } from '../../messages/wide-table.js';
import type { Form, FormInput } from '../../messages/form-model.js';
import type { Button, ContentBlock, Message } from '../../messages/message-model.js';
import { normalizeDecimal } from '../../domain/money.js';
import { fitUnits, type RenderedUnit } from '../../messages/fit-units.js';
import { command, rich, type Inline, type RichText } from '../../messages/rich-text.js';
import { cutRichText, truncateText } from '../../messages/text-truncation.js';
import { viewAllActionIds } from '../../messages/views/weekly-digest.js';
import { teamsLimits as L, utf16Bytes } from './limits.js';

// The neutral model as an Adaptive Card 1.5 for Teams, with Universal Actions (`Action.Execute`:
// `verb` = action id, `data` = payload). Pure: JSON in, JSON out. Text is rendered as RichTextBlock
// runs, which Teams does not parse as markdown, so data is shown exactly as it is on every client
// (markdown escaping in TextBlock differs between Teams desktop, iOS and Android). Tables use the 1.5
// Table element; a label/value field is one line with a bold label; a button with a confirmation step is
// an Action.ShowCard holding the confirmation text and the real Action.Execute.

/** An Adaptive Card element or action (JSON object with a `type`). */
export interface AdaptiveElement {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** The card: put it in an activity attachment with `adaptiveCardContentType`. */
export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: string;
  readonly fallbackText?: string;
  readonly msteams?: { readonly width: 'Full' };
  readonly body: AdaptiveElement[];
  readonly actions?: AdaptiveElement[];
}

/** The attachment content type of an Adaptive Card in a Bot Framework activity. */
export const adaptiveCardContentType = 'application/vnd.microsoft.card.adaptive';

/** An image an attachment name resolves to (an https or data: URL). */
export interface TeamsImageSource {
  readonly url: string;
}

/** Rendering options. */
export interface TeamsRenderOptions {
  /** How image attachment names resolve; an unresolved image shows its alt text. */
  readonly attachments?: Readonly<Record<string, TeamsImageSource>>;
  /** `renderTeamsCards`: at most this many cards (default `cardsPerMessage`; an update keeps the cards it has). */
  readonly maxCards?: number;
  /**
   * The card is shown in a dialog (task module), where Universal Actions do not run: every button is
   * an `Action.Submit` whose data is `{ verb, payload }`, and Teams sends it as a `task/submit` invoke.
   */
  readonly dialog?: boolean;
}

/** Buttons that open a dialog (task module) on Teams rather than acting on the card: the digest's View all. */
const dialogActionIds: ReadonlySet<string> = new Set(Object.values(viewAllActionIds));

const schema = 'http://adaptivecards.io/schemas/adaptive-card.json';
const fallbackChars = 1000;
const headerChars = 150;

type RunStyle = { readonly size?: 'Small' | 'Large'; readonly isSubtle?: boolean; readonly weight?: 'Bolder' };

function visible(run: Inline): string {
  return run.kind === 'command' ? run.words : run.text;
}

function textRun(run: Inline, style: RunStyle): string | AdaptiveElement {
  const base: AdaptiveElement = { type: 'TextRun', text: visible(run), ...style };
  switch (run.kind) {
    case 'plain':
      return Object.keys(style).length === 0 ? run.text : base;
    case 'bold':
      return { ...base, weight: 'Bolder' };
    case 'italic':
      return { ...base, italic: true };
    case 'code':
    case 'command':
      return { ...base, fontType: 'Monospace' };
    case 'link':
      return { ...base, selectAction: { type: 'Action.OpenUrl', url: run.url } };
  }
}

function richTextBlock(text: RichText, style: RunStyle = {}, max: number = L.textChars): AdaptiveElement {
  const runs = cutRichText(text, max, visible).filter((r) => visible(r) !== '');
  return { type: 'RichTextBlock', inlines: runs.map((r) => textRun(r, style)) };
}

function isBlank(text: RichText): boolean {
  return text.every((run) => visible(run).trim() === '');
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function executeAction(b: Button, title: string, options: TeamsRenderOptions): AdaptiveElement {
  const style = b.style ? { style: b.style === 'primary' ? 'positive' : 'destructive' } : {};
  const shown = truncateText(title, L.buttonTitle);
  // A dialog's buttons and a button that opens one are Action.Submit (the dialog protocol); the
  // neutral action id and payload travel in the data, as Action.Execute's verb and data would.
  if (options.dialog) return { type: 'Action.Submit', title: shown, data: { verb: b.actionId, payload: b.payload }, ...style };
  if (dialogActionIds.has(b.actionId)) return { type: 'Action.Submit', title: shown, data: { msteams: { type: 'task/fetch' }, verb: b.actionId, payload: b.payload }, ...style };
  return { type: 'Action.Execute', title: shown, verb: b.actionId, data: b.payload, ...style };
}

function buttonAction(b: Button, options: TeamsRenderOptions): AdaptiveElement {
  if (!b.confirm) return executeAction(b, b.label, options);
  return {
    type: 'Action.ShowCard',
    title: truncateText(b.label, L.buttonTitle),
    card: {
      type: 'AdaptiveCard',
      body: [richTextBlock(rich({ kind: 'bold', text: b.confirm.title })), richTextBlock(rich(b.confirm.text))],
      actions: [executeAction(b, b.confirm.confirmLabel, options)],
    },
  };
}

const alignment = { left: 'Left', center: 'Center', right: 'Right' } as const;

function tableElement(block: Extract<ContentBlock, { kind: 'table' }>): AdaptiveElement {
  const cell = (text: string, bold = false): AdaptiveElement => ({
    type: 'TableCell',
    items: [richTextBlock(rich(bold ? { kind: 'bold', text } : text))],
  });
  const row = (cells: readonly AdaptiveElement[]): AdaptiveElement => ({ type: 'TableRow', cells });
  const columns = block.columns.map((c) => ({ width: 1, horizontalCellContentAlignment: alignment[c.align] }));
  const rows = [row(block.columns.map((c) => cell(c.header, true)))];
  const moreRow = (hidden: number) => row(block.columns.map((_, i) => cell(i === 0 ? `…and ${hidden} more rows` : '')));
  const reserve = utf16Bytes(moreRow(block.rows.length)) + 2;
  let used = utf16Bytes({ type: 'Table', columns, rows });
  let kept = 0;
  for (const r of block.rows) {
    const next = row(r.map((c) => cell(c)));
    const size = utf16Bytes(next) + 2;
    const last = kept === block.rows.length - 1;
    if (used + size + (last ? 0 : reserve) > L.tableBytes) break;
    rows.push(next);
    used += size;
    kept++;
  }
  if (kept < block.rows.length) rows.push(moreRow(block.rows.length - kept));
  return { type: 'Table', columns, rows };
}

/** One content block as card body elements. */
function contentElements(block: ContentBlock, options: TeamsRenderOptions): AdaptiveElement[] {
  switch (block.kind) {
    case 'header':
      return block.text.trim() === '' ? [] : [richTextBlock(rich(block.text), { size: 'Large', weight: 'Bolder' }, headerChars)];
    case 'text':
      return isBlank(block.text) ? [] : [richTextBlock(block.text)];
    case 'context':
      return isBlank(block.text) ? [] : [richTextBlock(block.text, { size: 'Small', isSubtle: true })];
    case 'divider':
      return [{ type: 'Container', separator: true, items: [] }];
    case 'fields':
      return block.fields.map((f) => richTextBlock(rich({ kind: 'bold', text: `${f.label}: ` }, f.value)));
    case 'table': {
      const rows = wideTableRows(block);
      return rows ? rows.flatMap((row) => row.flatMap((b) => contentElements(b, options))) : [tableElement(block)];
    }
    case 'image': {
      const source = 'url' in block.source ? block.source : options.attachments?.[block.source.attachment];
      if (!source) return [richTextBlock(rich(`(image: ${block.altText})`), { size: 'Small', isSubtle: true })];
      const img: AdaptiveElement = { type: 'Image', url: source.url, altText: truncateText(block.altText, L.textChars) };
      return block.title ? [img, richTextBlock(rich(block.title), { size: 'Small', isSubtle: true })] : [img];
    }
    case 'actions':
      return chunk(block.buttons, L.actionsPerSet).map((group) => ({ type: 'ActionSet', actions: group.map((b) => buttonAction(b, options)) }));
  }
}

function note(text: RichText): AdaptiveElement {
  return richTextBlock(text, { size: 'Small', isSubtle: true });
}

function moreText(hidden: number, what: string, moreCommand: string | undefined): RichText {
  return moreCommand === undefined ? rich(`…and ${hidden} more ${what}.`) : rich(`…and ${hidden} more ${what}. Send `, command(moreCommand), ' to costbridge to see all.');
}

function card(fallback: string, body: AdaptiveElement[], actions?: AdaptiveElement[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: schema,
    version: L.cardVersion,
    ...(fallback !== '' ? { fallbackText: truncateText(fallback, fallbackChars) } : {}),
    msteams: { width: 'Full' },
    body,
    ...(actions ? { actions } : {}),
  };
}

function fitBody(units: RenderedUnit<AdaptiveElement>[], envelope: AdaptiveCard, more: (hidden: number) => RichText, shortened: (hidden: number) => RichText): AdaptiveElement[] {
  return fitUnits(units, {
    cost: (elements) => elements.reduce((n, e) => n + utf16Bytes(e) + 2, 0),
    budget: L.cardBytes - utf16Bytes(envelope),
    more: (hidden) => [note(more(hidden))],
    shortened: (hidden) => [note(shortened(hidden))],
  });
}

/** A message as an Adaptive Card 1.5 within Teams' size budget (~28 KB in UTF-16). */
export function renderTeamsCard(message: Message, options: TeamsRenderOptions = {}): AdaptiveCard {
  const units: RenderedUnit<AdaptiveElement>[] = [];
  message.blocks.forEach((block, index) => {
    // A table wider than four columns is shown row by row, its rows kept or counted like list items.
    const items = block.kind === 'list' ? block.items : block.kind === 'table' ? wideTableRows(block) : undefined;
    if (items) for (const item of items) units.push({ elements: item.flatMap((b) => contentElements(b, options)), list: index });
    else units.push({ elements: contentElements(block as ContentBlock, options) });
  });
  const body = fitBody(
    units,
    card(message.fallback, []),
    (hidden) => moreText(hidden, 'items', message.moreCommand),
    (hidden) => moreText(hidden, 'parts of this message', message.moreCommand),
  );
  return card(message.fallback, body);
}

/**
 * A message as as many Adaptive Cards as it needs (at most `cardsPerMessage`), each within the card
 * budget: blocks and list items are packed in reading order and never cut, so every listed item keeps
 * its buttons (a single card would drop the items that do not fit, buttons and all). Cards after the
 * first start with a "continued" note; only when even the last card is full does it end with the
 * "…and N more" note. A single block larger than a whole card is shortened like `renderTeamsCard`.
 */
export function renderTeamsCards(message: Message, options: TeamsRenderOptions = {}): AdaptiveCard[] {
  const units: { elements: AdaptiveElement[]; list: boolean }[] = [];
  for (const block of message.blocks) {
    const items = block.kind === 'list' ? block.items : block.kind === 'table' ? wideTableRows(block) : undefined;
    if (items) for (const item of items) units.push({ elements: item.flatMap((b) => contentElements(b, options)), list: true });
    else units.push({ elements: contentElements(block as ContentBlock, options), list: false });
  }
  const maxCards = Math.max(1, Math.min(options.maxCards ?? L.cardsPerMessage, L.cardsPerMessage));
  const cost = (elements: readonly AdaptiveElement[]) => elements.reduce((n, e) => n + utf16Bytes(e) + 2, 0);
  const continued = (i: number, n: number) => note(rich(`continued (${i} of ${n})`));
  const budget = L.cardBytes - utf16Bytes(card(message.fallback, [])) - utf16Bytes(continued(L.cardsPerMessage, L.cardsPerMessage)) - 2;
  const moreCost = utf16Bytes(note(moreText(Number.MAX_SAFE_INTEGER, 'items', message.moreCommand))) + 2;
  const cards: AdaptiveElement[][] = [[]];
  let used = 0;
  let hiddenItems = 0;
  let hiddenParts = 0;
  for (const [k, u] of units.entries()) {
    const last = cards.length === maxCards;
    const c = cost(u.elements);
    // On the last card, room is kept for the note saying what is left out (unless this is the end).
    const reserve = last && k < units.length - 1 ? moreCost : 0;
    if (used + c + reserve <= budget) {
      cards[cards.length - 1]!.push(...u.elements);
      used += c;
      continue;
    }
    if (!last && cards[cards.length - 1]!.length > 0 && c <= budget) {
      cards.push([...u.elements]);
      used = c;
      continue;
    }
    if (!last && c > budget) {
      // One block larger than a whole card: it gets a card of its own, shortened to fit.
      if (cards[cards.length - 1]!.length > 0) cards.push([]);
      cards[cards.length - 1]!.push(...fitBody([{ elements: u.elements }], card(message.fallback, []), () => [], (h) => moreText(h, 'parts of this message', message.moreCommand)));
      used = budget;
      continue;
    }
    if (u.list) hiddenItems++;
    else hiddenParts++;
  }
  if (hiddenItems + hiddenParts > 0) {
    const what = hiddenParts === 0 ? 'items' : 'parts of this message';
    cards[cards.length - 1]!.push(note(moreText(hiddenItems + hiddenParts, what, message.moreCommand)));
  }
  return cards.map((body, i) => card(message.fallback, i === 0 ? body : [continued(i + 1, cards.length), ...body]));
}

// Input.Number carries JSON numbers; a decimal string is used only if it survives the trip exactly.
function exactNumber(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && String(n) === normalizeDecimal(text) ? n : null;
}

function inputElement(input: FormInput): AdaptiveElement {
  const common = {
    id: input.id,
    label: truncateText(input.label, L.textChars),
    isRequired: input.required,
    ...(input.required ? { errorMessage: truncateText(`${input.label} is required.`, L.textChars) } : {}),
  };
  const choices = (options: readonly { value: string; label: string }[]) => options.map((o) => ({ title: o.label, value: o.value }));
  switch (input.kind) {
    case 'select':
      return { type: 'Input.ChoiceSet', ...common, style: input.options.length > 10 ? 'filtered' : 'compact', choices: choices(input.options), ...(input.initialValue !== undefined ? { value: input.initialValue } : {}) };
    case 'choice':
      return { type: 'Input.ChoiceSet', ...common, style: 'expanded', choices: choices(input.options), ...(input.initialValue !== undefined ? { value: input.initialValue } : {}) };
    case 'search-select':
      return {
        type: 'Input.ChoiceSet',
        ...common,
        style: 'filtered',
        choices: input.initialOption ? choices([input.initialOption]) : [],
        'choices.data': { type: 'Data.Query', dataset: input.optionsSource },
        ...(input.initialOption ? { value: input.initialOption.value } : {}),
      };
    case 'text':
      return {
        type: 'Input.Text',
        ...common,
        isMultiline: input.multiline,
        ...(input.maxLength !== undefined ? { maxLength: input.maxLength } : {}),
        ...(input.initialValue !== undefined ? { value: input.initialValue } : {}),
      };
    case 'number': {
      const [min, max, value] = [exactNumber(input.min), exactNumber(input.max), exactNumber(input.initialValue)];
      if (min !== null && max !== null && value !== null) {
        return { type: 'Input.Number', ...common, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(value !== undefined ? { value } : {}) };
      }
      return {
        type: 'Input.Text',
        ...common,
        regex: input.decimal ? '^-?[0-9]+(\\.[0-9]+)?$' : '^-?[0-9]+$',
        errorMessage: truncateText(`${input.label} must be ${input.decimal ? 'a number' : 'a whole number'}.`, L.textChars),
        ...(input.initialValue !== undefined ? { value: input.initialValue } : {}),
      };
    }
  }
}

/**
 * A form as an Adaptive Card: inputs plus one `Action.Execute` whose verb is the callback id and
 * whose data carries `{ metadata: privateMetadata }`; Teams adds the input values to that data. In a
 * dialog the submit is an `Action.Submit` with data `{ verb: callbackId, metadata }` instead.
 */
export function renderTeamsForm(form: Form, options: TeamsRenderOptions = {}): AdaptiveCard {
  const submitTitle = truncateText(form.submitLabel, L.buttonTitle);
  const submit: AdaptiveElement = options.dialog
    ? { type: 'Action.Submit', title: submitTitle, data: { verb: form.callbackId, metadata: form.privateMetadata }, associatedInputs: 'auto', style: 'positive' }
    : { type: 'Action.Execute', title: submitTitle, verb: form.callbackId, data: { metadata: form.privateMetadata }, associatedInputs: 'auto', style: 'positive' };
  const inputs = form.inputs.flatMap((input) => [inputElement(input), ...(input.hint ? [note(rich(input.hint))] : [])]);
  const title = contentElements({ kind: 'header', text: form.title }, options);
  const envelope = card('', [...title, ...inputs], [submit]);
  const intro = fitBody(
    form.intro.map((b) => ({ elements: contentElements(b, options) })),
    envelope,
    () => [],
    (hidden) => rich(`…and ${hidden} more parts not shown.`),
  );
  return card('', [...title, ...intro, ...inputs], [submit]);
}
