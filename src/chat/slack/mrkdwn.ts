import type { Inline, RichText } from '../../messages/rich-text.js';
import { truncateRichText } from '../../messages/text-truncation.js';

// Rich text to Slack mrkdwn. Literal text is escaped (&, <, >) so data can never form a link,
// a mention (<!channel>) or an entity; truncation works on whole escapes and markers.

/** Slack mrkdwn escaping for literal text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeUrl(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
}

// Slack only formats `*x*` when the markers touch non-space text, so spaces move outside them.
function wrap(marker: string, text: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  if (m[2] === '') return escapeMrkdwn(text);
  return `${m[1]}${marker}${escapeMrkdwn(m[2]!)}${marker}${m[3]}`;
}

/** One run as mrkdwn; commands show as `` `/costbridge words` ``. */
export function mrkdwnRun(run: Inline, slashCommand: string): string {
  switch (run.kind) {
    case 'plain':
      return escapeMrkdwn(run.text);
    case 'bold':
      return wrap('*', run.text);
    case 'italic':
      return wrap('_', run.text);
    case 'code':
      // mrkdwn has no escape for a backtick inside code; a look-alike keeps the span intact.
      return run.text === '' ? '' : `\`${escapeMrkdwn(run.text.replace(/`/g, 'ˋ'))}\``;
    case 'link':
      return run.text === '' ? `<${escapeUrl(run.url)}>` : `<${escapeUrl(run.url)}|${escapeMrkdwn(run.text)}>`;
    case 'command':
      return `\`${escapeMrkdwn(`${slashCommand} ${run.words}`.replace(/`/g, 'ˋ'))}\``;
  }
}

/** Rich text as mrkdwn of at most `max` characters. */
export function toMrkdwn(text: RichText, max: number, slashCommand: string): string {
  return truncateRichText(text, max, (run) => mrkdwnRun(run, slashCommand));
}
