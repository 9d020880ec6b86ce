// Independent checkers of the documented platform limits, used by the renderer tests. They walk the
// rendered JSON and list every violation, so a failing test says exactly what broke.
import { slackLimits as S } from '../../../src/chat/slack/limits.js';
import { teamsLimits as T, utf16Bytes } from '../../../src/chat/teams/limits.js';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Strings anywhere in `value` that contain a lone surrogate (a cut in the middle of a character). */
export function brokenStrings(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return loneSurrogate.test(value) ? [`${path}: lone surrogate`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => brokenStrings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => brokenStrings(v, `${path}.${k}`));
  return [];
}

type Json = Record<string, any>;

function textLen(problems: string[], where: string, obj: Json | undefined, max: number): void {
  if (!obj) return;
  if (typeof obj.text !== 'string' || obj.text.length === 0) problems.push(`${where}: empty text`);
  else if (obj.text.length > max) problems.push(`${where}: ${obj.text.length} > ${max}`);
  if (obj.type === 'mrkdwn') mrkdwnEscaping(problems, where, obj.text);
}

// In mrkdwn every '<' must open a link we made, and every '&' must be one of the three escapes.
function mrkdwnEscaping(problems: string[], where: string, text: string): void {
  if (/<(?!https?:\/\/|mailto:)/.test(text)) problems.push(`${where}: unescaped '<'`);
  if (/&(?!amp;|lt;|gt;)/.test(text)) problems.push(`${where}: unescaped or cut '&'`);
  const links = text.match(/<[^>]*>/g) ?? [];
  if (text.replace(/<[^>]*>/g, '').includes('>')) problems.push(`${where}: unescaped '>'`);
  for (const l of links) if (!/^<(https?:\/\/|mailto:)[^\s<>|]+(\|[^<>]*)?>$/.test(l)) problems.push(`${where}: malformed link ${l}`);
}

function checkOption(problems: string[], where: string, o: Json): void {
  textLen(problems, `${where}.text`, o.text, S.optionText);
  if (typeof o.value !== 'string' || o.value.length === 0 || o.value.length > S.optionValue) problems.push(`${where}.value length`);
}

function checkButton(problems: string[], where: string, b: Json): void {
  textLen(problems, `${where}.text`, b.text, S.buttonText);
  if (b.action_id.length > S.identifier) problems.push(`${where}.action_id too long`);
  if (b.value !== undefined && b.value.length > S.buttonValue) problems.push(`${where}.value too long`);
  if (b.confirm) {
    textLen(problems, `${where}.confirm.title`, b.confirm.title, S.confirmTitle);
    textLen(problems, `${where}.confirm.text`, b.confirm.text, S.confirmText);
    textLen(problems, `${where}.confirm.confirm`, b.confirm.confirm, S.confirmButton);
    textLen(problems, `${where}.confirm.deny`, b.confirm.deny, S.confirmButton);
  }
}

function checkSlackBlock(problems: string[], b: Json, where: string): void {
  switch (b.type) {
    case 'header':
      textLen(problems, where, b.text, S.headerText);
      return;
    case 'section':
      if (b.text) textLen(problems, where, b.text, S.sectionText);
      if (b.fields) {
        if (b.fields.length > S.sectionFields) problems.push(`${where}: ${b.fields.length} fields`);
        b.fields.forEach((f: Json, i: number) => textLen(problems, `${where}.fields[${i}]`, f, S.fieldText));
      }
      if (!b.text && !b.fields) problems.push(`${where}: section without text or fields`);
      return;
    case 'context':
      if (b.elements.length === 0 || b.elements.length > S.contextElements) problems.push(`${where}: ${b.elements.length} context elements`);
      b.elements.forEach((e: Json, i: number) => textLen(problems, `${where}.elements[${i}]`, e, S.textObject));
      return;
    case 'actions': {
      if (b.elements.length === 0 || b.elements.length > S.actionsElements) problems.push(`${where}: ${b.elements.length} action elements`);
      const ids = b.elements.map((e: Json) => e.action_id);
      if (new Set(ids).size !== ids.length) problems.push(`${where}: duplicate action_id`);
      b.elements.forEach((e: Json, i: number) => checkButton(problems, `${where}.elements[${i}]`, e));
      return;
    }
    case 'image':
      if (!b.alt_text || b.alt_text.length > S.imageAltText) problems.push(`${where}: alt_text`);
      if (b.image_url !== undefined && b.image_url.length > S.imageUrl) problems.push(`${where}: image_url`);
      if (b.title) textLen(problems, `${where}.title`, b.title, S.imageTitle);
      return;
    case 'divider':
      return;
    case 'input': {
      textLen(problems, `${where}.label`, b.label, S.inputLabel);
      if (b.hint) textLen(problems, `${where}.hint`, b.hint, S.inputHint);
      if (b.block_id.length > S.identifier) problems.push(`${where}: block_id`);
      const e = b.element;
      if (e.placeholder) textLen(problems, `${where}.placeholder`, e.placeholder, S.placeholder);
      if (e.options) {
        const max = e.type === 'radio_buttons' ? S.radioOptions : S.selectOptions;
        if (e.options.length === 0 || e.options.length > max) problems.push(`${where}: ${e.options.length} options`);
        e.options.forEach((o: Json, i: number) => checkOption(problems, `${where}.options[${i}]`, o));
        if (e.initial_option && !e.options.some((o: Json) => JSON.stringify(o) === JSON.stringify(e.initial_option))) problems.push(`${where}: initial_option not among options`);
      }
      if (e.type === 'plain_text_input') {
        if (e.max_length !== undefined && e.max_length > S.textInputLength) problems.push(`${where}: max_length`);
        if (e.initial_value !== undefined && e.initial_value.length > (e.max_length ?? S.textInputLength)) problems.push(`${where}: initial_value too long`);
      }
      return;
    }
    default:
      problems.push(`${where}: unexpected block type ${b.type}`);
  }
}

/** Violations of Slack's limits in a chat.postMessage payload. */
export function slackMessageViolations(payload: { text: string; blocks: readonly Json[] }): string[] {
  const problems = brokenStrings(payload);
  if (payload.blocks.length > S.messageBlocks) problems.push(`${payload.blocks.length} blocks > ${S.messageBlocks}`);
  if (payload.text.length > S.messageText) problems.push('text too long');
  mrkdwnEscaping(problems, 'text', payload.text);
  payload.blocks.forEach((b, i) => checkSlackBlock(problems, b, `blocks[${i}]`));
  return problems;
}

/** Violations of Slack's limits in a modal view. */
export function slackModalViolations(view: Json): string[] {
  const problems = brokenStrings(view);
  if (view.blocks.length > S.modalBlocks) problems.push(`${view.blocks.length} blocks > ${S.modalBlocks}`);
  for (const k of ['title', 'submit', 'close']) textLen(problems, k, view[k], S.modalTitle);
  if (view.private_metadata.length > S.privateMetadata) problems.push('private_metadata too long');
  if (view.callback_id.length > S.identifier) problems.push('callback_id too long');
  const ids = view.blocks.filter((b: Json) => b.block_id).map((b: Json) => b.block_id);
  if (new Set(ids).size !== ids.length) problems.push('duplicate block_id');
  view.blocks.forEach((b: Json, i: number) => checkSlackBlock(problems, b, `blocks[${i}]`));
  return problems;
}

function walkTeams(problems: string[], node: unknown, where: string): void {
  if (Array.isArray(node)) return node.forEach((n, i) => walkTeams(problems, n, `${where}[${i}]`));
  if (!node || typeof node !== 'object') return;
  const e = node as Json;
  if (e.type === 'ActionSet' && (e.actions.length === 0 || e.actions.length > T.actionsPerSet)) problems.push(`${where}: ${e.actions.length} actions in a set`);
  if (e.type === 'Action.Execute' && (typeof e.verb !== 'string' || e.verb === '' || typeof e.data !== 'object')) problems.push(`${where}: Action.Execute without verb/data`);
  if (e.type === 'RichTextBlock') {
    const chars = e.inlines.reduce((n: number, r: string | Json) => n + (typeof r === 'string' ? r : r.text).length, 0);
    if (chars > T.textChars) problems.push(`${where}: ${chars} text characters`);
  }
  for (const [k, v] of Object.entries(e)) walkTeams(problems, v, `${where}.${k}`);
}

/** Violations of the Teams limits in an Adaptive Card. */
export function teamsCardViolations(card: Json): string[] {
  const problems = brokenStrings(card);
  if (card.type !== 'AdaptiveCard' || card.version !== '1.5') problems.push('not an Adaptive Card 1.5');
  const bytes = utf16Bytes(card);
  if (bytes > T.cardBytes) problems.push(`${bytes} bytes > ${T.cardBytes}`);
  walkTeams(problems, card.body, 'body');
  walkTeams(problems, card.actions, 'actions');
  return problems;
}
