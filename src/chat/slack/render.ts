import { wideTableRows } from '../../messages/wide-table.js';
import type {
  ActionsBlock as SlackActionsBlock,
  Button as SlackButton,
  ConfirmationDialog,
  InputBlock,
  InputBlockElement,
  KnownBlock,
  ModalView,
  PlainTextElement,
  PlainTextOption,
} from '@slack/types';
import type { Form, FormInput, SelectOption } from '../../messages/form-model.js';
import type { Button, ContentBlock, Message, TableBlock } from '../../messages/message-model.js';
import { fitUnits, type RenderedUnit } from '../../messages/fit-units.js';
import { plainTableLines } from '../../messages/plain-table.js';
import { command, plain, rich, type RichText } from '../../messages/rich-text.js';
import { truncateText } from '../../messages/text-truncation.js';
import { slackLimits as L } from './limits.js';
import { escapeMrkdwn, toMrkdwn } from './mrkdwn.js';

// The neutral model as Slack Block Kit. Pure: JSON in, JSON out. Tables have no reliable Block Kit
// equivalent in both messages and modals, so they render as a monospaced code block in one section
// (aligned columns, cut with "…and N more rows" at the section's 3000 characters).

/** An image an attachment name resolves to: a public URL or a file already uploaded to Slack. */
export type SlackImageSource = { readonly url: string } | { readonly slackFileId: string };

/** Rendering options. */
export interface SlackRenderOptions {
  /** The slash command that runs costbridge commands (default `/costbridge`). */
  readonly slashCommand?: string;
  /** How image attachment names resolve; an unresolved image shows its alt text. */
  readonly attachments?: Readonly<Record<string, SlackImageSource>>;
}

/** What chat.postMessage / chat.update take: notification `text` and `blocks`. */
export interface SlackMessagePayload {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

interface Ctx {
  readonly slash: string;
  readonly attachments: Readonly<Record<string, SlackImageSource>>;
}

function ctxOf(options: SlackRenderOptions): Ctx {
  return { slash: options.slashCommand ?? '/costbridge', attachments: options.attachments ?? {} };
}

function plainText(text: string, max: number): PlainTextElement {
  const cut = truncateText(text, max);
  return { type: 'plain_text', text: cut.trim() === '' ? ' ' : cut, emoji: true };
}

function mrkdwn(text: RichText, max: number, ctx: Ctx): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: toMrkdwn(text, max, ctx.slash) };
}

function isBlank(text: RichText): boolean {
  return text.every((run) => run.kind !== 'command' && (run.kind === 'link' ? false : run.text.trim() === ''));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function tableMrkdwn(block: TableBlock): string {
  const { header, rows } = plainTableLines(block);
  const fence = '```';
  const esc = (line: string) => escapeMrkdwn(line);
  let body = header.map(esc).join('\n');
  let kept = 0;
  for (const row of rows) {
    const hidden = rows.length - kept - 1;
    const tail = hidden > 0 ? `\n…and ${hidden} more rows` : '';
    const next = `${body}\n${esc(row)}`;
    if (fence.length * 2 + 2 + next.length + tail.length > L.sectionText) break;
    body = next;
    kept++;
  }
  if (kept < rows.length) body += `\n…and ${rows.length - kept} more rows`;
  // A header line alone could exceed the limit with very wide tables; cut the whole text then.
  return truncateText(`${fence}\n${body}\n${fence}`, L.sectionText);
}

function buttonElement(b: Button): SlackButton {
  const el: SlackButton = {
    type: 'button',
    action_id: b.actionId,
    text: plainText(b.label, L.buttonText),
    value: JSON.stringify(b.payload),
  };
  if (b.style) el.style = b.style;
  if (b.confirm) {
    const confirm: ConfirmationDialog = {
      title: plainText(b.confirm.title, L.confirmTitle),
      text: plainText(b.confirm.text, L.confirmText),
      confirm: plainText(b.confirm.confirmLabel, L.confirmButton),
      deny: plainText(b.confirm.denyLabel, L.confirmButton),
    };
    if (b.style === 'danger') confirm.style = 'danger';
    el.confirm = confirm;
  }
  return el;
}

function contextBlock(text: RichText, ctx: Ctx): KnownBlock {
  return { type: 'context', elements: [mrkdwn(text, L.textObject, ctx)] };
}

/** One content block as Slack blocks (several when fields or buttons exceed a block's capacity). */
function contentBlocks(block: ContentBlock, ctx: Ctx): KnownBlock[] {
  switch (block.kind) {
    case 'header':
      return block.text.trim() === '' ? [] : [{ type: 'header', text: plainText(block.text, L.headerText) }];
    case 'text':
      return isBlank(block.text) ? [] : [{ type: 'section', text: mrkdwn(block.text, L.sectionText, ctx) }];
    case 'context':
      return isBlank(block.text) ? [] : [contextBlock(block.text, ctx)];
    case 'divider':
      return [{ type: 'divider' }];
    case 'fields':
      return chunk(block.fields, L.sectionFields).map((group) => ({
        type: 'section',
        fields: group.map((f) => mrkdwn(rich({ kind: 'bold', text: f.label }, '\n', f.value), L.fieldText, ctx)),
      }));
    case 'table': {
      const rows = wideTableRows(block);
      if (rows) return rows.flatMap((row) => row.flatMap((b) => contentBlocks(b, ctx)));
      return [{ type: 'section', text: { type: 'mrkdwn', text: tableMrkdwn(block) } }];
    }
    case 'image': {
      const source = 'url' in block.source ? { url: block.source.url } : ctx.attachments[block.source.attachment];
      const url = source && 'url' in source ? source.url : undefined;
      if (!source || (url !== undefined && url.length > L.imageUrl)) return [contextBlock(rich(`(image: ${block.altText})`), ctx)];
      const common = {
        type: 'image' as const,
        alt_text: truncateText(block.altText, L.imageAltText) || ' ',
        ...(block.title ? { title: plainText(block.title, L.imageTitle) } : {}),
      };
      return [url !== undefined ? { ...common, image_url: url } : { ...common, slack_file: { id: (source as { slackFileId: string }).slackFileId } }];
    }
    case 'actions':
      return chunk(block.buttons, L.actionsElements).map((group): SlackActionsBlock => ({ type: 'actions', elements: group.map(buttonElement) }));
  }
}

function moreText(hidden: number, what: string, moreCommand: string | undefined): RichText {
  return moreCommand === undefined ? rich(`…and ${hidden} more ${what}.`) : rich(`…and ${hidden} more ${what}. See all with `, command(moreCommand), '.');
}

/** A message as a Slack chat.postMessage payload, within Slack's limits (50 blocks, 3000-character sections, …). */
export function renderSlackMessage(message: Message, options: SlackRenderOptions = {}): SlackMessagePayload {
  return renderWithin(message, options, L.messageBlocks);
}

/** A Slack App Home view (`views.publish`): the message's blocks within a home tab's 100. */
export interface SlackHomeView {
  readonly type: 'home';
  readonly blocks: KnownBlock[];
}

/** The neutral message as a person's App Home tab: the same blocks as a message, up to a home tab's block limit. */
export function renderSlackHome(message: Message, options: SlackRenderOptions = {}): SlackHomeView {
  return { type: 'home', blocks: renderWithin(message, options, L.homeBlocks).blocks };
}

function renderWithin(message: Message, options: SlackRenderOptions, budget: number): SlackMessagePayload {
  const ctx = ctxOf(options);
  const units: RenderedUnit<KnownBlock>[] = [];
  message.blocks.forEach((block, index) => {
    // A table wider than four columns is shown row by row, its rows kept or counted like list items.
    const items = block.kind === 'list' ? block.items : block.kind === 'table' ? wideTableRows(block) : undefined;
    if (items) for (const item of items) units.push({ elements: item.flatMap((b) => contentBlocks(b, ctx)), list: index });
    else units.push({ elements: contentBlocks(block as ContentBlock, ctx) });
  });
  const blocks = fitUnits(units, {
    cost: (elements) => elements.length,
    budget,
    more: (hidden) => [contextBlock(moreText(hidden, 'items', message.moreCommand), ctx)],
    shortened: (hidden) => [contextBlock(moreText(hidden, 'parts of this message', message.moreCommand), ctx)],
  });
  return { text: toMrkdwn([plain(message.fallback)], L.messageText, ctx.slash), blocks };
}

function option(o: SelectOption): PlainTextOption {
  return { text: plainText(o.label, L.optionText), value: o.value };
}

// Keeps at most `max` options, and the initial one among them.
function limitedOptions(options: readonly SelectOption[], max: number, initial: string | undefined): SelectOption[] {
  if (options.length <= max) return [...options];
  const kept = options.slice(0, max);
  const chosen = options.find((o) => o.value === initial);
  if (chosen && !kept.includes(chosen)) kept[max - 1] = chosen;
  return kept;
}

function inputElement(input: FormInput): InputBlockElement {
  switch (input.kind) {
    case 'select':
    case 'choice': {
      const radio = input.kind === 'choice' && input.options.length <= L.radioOptions;
      const options = limitedOptions(input.options, radio ? L.radioOptions : L.selectOptions, input.initialValue).map(option);
      const initial = options.find((o) => o.value === input.initialValue);
      if (radio) return { type: 'radio_buttons', action_id: input.id, options, ...(initial ? { initial_option: initial } : {}) };
      return { type: 'static_select', action_id: input.id, placeholder: plainText('Choose…', L.placeholder), options, ...(initial ? { initial_option: initial } : {}) };
    }
    case 'search-select':
      return {
        type: 'external_select',
        action_id: input.id,
        placeholder: plainText('Type to search…', L.placeholder),
        min_query_length: 1,
        ...(input.initialOption ? { initial_option: option(input.initialOption) } : {}),
      };
    case 'text': {
      const max = Math.min(input.maxLength ?? L.textInputLength, L.textInputLength);
      return {
        type: 'plain_text_input',
        action_id: input.id,
        multiline: input.multiline,
        ...(input.maxLength !== undefined ? { max_length: max } : {}),
        ...(input.initialValue !== undefined ? { initial_value: truncateText(input.initialValue, max) } : {}),
      };
    }
    case 'number':
      return {
        type: 'number_input',
        action_id: input.id,
        is_decimal_allowed: input.decimal,
        ...(input.min !== undefined ? { min_value: input.min } : {}),
        ...(input.max !== undefined ? { max_value: input.max } : {}),
        ...(input.initialValue !== undefined ? { initial_value: input.initialValue } : {}),
      };
  }
}

function inputBlock(input: FormInput): InputBlock {
  return {
    type: 'input',
    block_id: input.id,
    label: plainText(input.label, L.inputLabel),
    optional: !input.required,
    element: inputElement(input),
    ...(input.hint ? { hint: plainText(input.hint, L.inputHint) } : {}),
  };
}

/** A form as a Slack modal view for views.open; each input's block_id and action_id is its input id. */
export function renderSlackModal(form: Form, options: SlackRenderOptions = {}): ModalView {
  const ctx = ctxOf(options);
  const inputs = form.inputs.map(inputBlock);
  const intro = fitUnits(
    form.intro.map((b) => ({ elements: contentBlocks(b, ctx) })),
    {
      cost: (elements) => elements.length,
      budget: L.modalBlocks - inputs.length,
      more: () => [],
      shortened: (hidden) => [contextBlock(rich(`…and ${hidden} more parts not shown.`), ctx)],
    },
  );
  return {
    type: 'modal',
    callback_id: form.callbackId,
    private_metadata: form.privateMetadata,
    title: plainText(form.title, L.modalTitle),
    submit: plainText(form.submitLabel, L.modalTitle),
    close: plainText('Cancel', L.modalTitle),
    blocks: [...intro, ...inputs],
  };
}

/** The callback id of a View all list modal (it has no submit: its buttons act, Close closes it). */
export const listModalCallbackId = 'digest.view-all';

/** A read-only list (one page of View all) as a Slack modal: the page's blocks, its session id as private metadata. */
export function renderSlackListModal(title: string, page: Message, sessionId: string, options: SlackRenderOptions = {}): ModalView {
  const { blocks } = renderSlackMessage(page, options);
  return {
    type: 'modal',
    callback_id: listModalCallbackId,
    private_metadata: sessionId,
    title: plainText(title, L.modalTitle),
    close: plainText('Close', L.modalTitle),
    blocks: blocks.slice(0, L.modalBlocks),
  };
}
