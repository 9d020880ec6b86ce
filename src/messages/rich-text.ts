// Inline text: the tiny formatting subset every surface can show (bold, italic, code, links, and a
// costbridge chat command). Text from data is always a literal segment, never parsed, so a service
// called `*prod*` or a reason containing `<@here>` cannot change formatting or ping anyone.

/** One run of inline text. */
export type Inline =
  | { readonly kind: 'plain'; readonly text: string }
  | { readonly kind: 'bold'; readonly text: string }
  | { readonly kind: 'italic'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly url: string }
  /** A costbridge chat command (`unattributed 2026-10`), shown as `/costbridge …` in Slack, as words to send in Teams. */
  | { readonly kind: 'command'; readonly words: string };

/** Inline text: runs shown one after the other. */
export type RichText = readonly Inline[];

/** Anything `rich()` accepts: a literal string, one run, or runs. */
export type RichTextPart = string | Inline | RichText;

/** Literal text (never parsed for formatting). */
export function plain(text: string): Inline {
  return { kind: 'plain', text };
}

/** Bold literal text. */
export function bold(text: string): Inline {
  return { kind: 'bold', text };
}

/** Italic literal text. */
export function italic(text: string): Inline {
  return { kind: 'italic', text };
}

/** Monospaced literal text (ids, codes). */
export function code(text: string): Inline {
  return { kind: 'code', text };
}

/** A link with a literal label; only http(s) and mailto URLs are accepted. */
export function link(text: string, url: string): Inline {
  if (!/^(https?:\/\/|mailto:)[^\s]+$/i.test(url)) throw new RangeError(`link url must be an http(s) or mailto URL without spaces, got ${JSON.stringify(url)}`);
  return { kind: 'link', text, url };
}

/** A costbridge chat command, given as the words after the command name (`unattributed 2026-10`). */
export function command(words: string): Inline {
  if (words.trim() === '') throw new RangeError('command words must not be empty');
  return { kind: 'command', words: words.trim() };
}

/** Joins literal strings, runs and rich texts into one rich text; strings stay literal. */
export function rich(...parts: readonly RichTextPart[]): RichText {
  const out: Inline[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      if (part !== '') out.push(plain(part));
    } else if (isInline(part)) out.push(part);
    else out.push(...part);
  }
  return out;
}

function isInline(part: Inline | RichText): part is Inline {
  return !Array.isArray(part);
}

type Style = 'plain' | 'bold' | 'italic' | 'code';

/**
 * Authored markdown subset with safe interpolation: `*bold*`, `_italic_`, `` `code` `` and
 * `[label](url)` are read from the template's own text only; every interpolated value is literal
 * text inside whatever style is open. An unclosed marker is a programming error and throws.
 *
 * md`Claimed by *${person}* for \`${costCenter}\``
 */
export function md(strings: TemplateStringsArray, ...values: readonly (string | number)[]): RichText {
  const out: Inline[] = [];
  let style: Style = 'plain';
  let buffer = '';
  let linkLabel: string | undefined;
  let linkUrl: string | undefined;
  const flush = () => {
    if (buffer !== '') out.push({ kind: style, text: buffer } as Inline);
    buffer = '';
  };
  const append = (text: string) => {
    if (linkUrl !== undefined) linkUrl += text;
    else if (linkLabel !== undefined) linkLabel += text;
    else buffer += text;
  };
  const toggle = (target: Exclude<Style, 'plain'>, marker: string) => {
    if (linkLabel !== undefined || linkUrl !== undefined) throw new SyntaxError(`md: ${marker} inside a link is not supported`);
    if (style === target) {
      flush();
      style = 'plain';
    } else if (style === 'plain') {
      flush();
      style = target;
    } else throw new SyntaxError(`md: ${marker} inside ${style} text is not supported`);
  };
  strings.forEach((text, index) => {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (style === 'code' && ch !== '`') {
        append(ch);
        continue;
      }
      if (linkUrl !== undefined) {
        if (ch === ')') {
          out.push(link(linkLabel ?? '', linkUrl));
          linkLabel = undefined;
          linkUrl = undefined;
        } else linkUrl += ch;
        continue;
      }
      if (ch === '*') toggle('bold', '*');
      else if (ch === '_') toggle('italic', '_');
      else if (ch === '`') toggle('code', '`');
      else if (ch === '[' && linkLabel === undefined && style === 'plain') {
        flush();
        linkLabel = '';
      } else if (ch === ']' && linkLabel !== undefined && text[i + 1] === '(') {
        linkUrl = '';
        i++;
      } else append(ch);
    }
    if (index < values.length) append(String(values[index]));
  });
  if (style !== 'plain' || linkLabel !== undefined || linkUrl !== undefined) throw new SyntaxError(`md: unclosed ${linkLabel !== undefined ? 'link' : style} in ${JSON.stringify(strings.join('${…}'))}`);
  flush();
  return out;
}

/** The text a person reads, without formatting (links as `label (url)`, commands with `commandPrefix`). */
export function richTextToPlain(text: RichText, commandPrefix = '/costbridge '): string {
  return text
    .map((run) => {
      switch (run.kind) {
        case 'link':
          return run.text === run.url ? run.url : `${run.text} (${run.url})`;
        case 'command':
          return `${commandPrefix}${run.words}`;
        default:
          return run.text;
      }
    })
    .join('');
}
