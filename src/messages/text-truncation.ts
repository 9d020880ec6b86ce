import type { Inline, RichText } from './rich-text.js';

// Cutting text to a platform limit without breaking it: cuts fall between grapheme clusters (never
// inside a surrogate pair, an emoji sequence or a letter with its accents), formatting markers and
// escapes are produced whole around the kept part, and a cut always ends with "…". Lengths are UTF-16
// code units, which is what JavaScript counts and never less than what the platforms count.

/** Marks text that was cut. */
export const ellipsis = '…';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// Longest grapheme cluster we expect (family emoji with skin tones are ~35 code units); the window
// segmented around a cut is twice that, so boundaries found in it are the real ones.
const window = 128;

/** The largest grapheme boundary at or before `pos` (a code-unit index into `text`). */
export function graphemeFloor(text: string, pos: number): number {
  if (pos >= text.length) return text.length;
  if (pos <= 0) return 0;
  const start = Math.max(0, pos - window);
  let floor: number | undefined;
  let first = true;
  for (const { index } of segmenter.segment(text.slice(start, Math.min(text.length, pos + window)))) {
    const at = start + index;
    if (at > pos) break;
    // The first boundary of a window that starts mid-text may fall inside a cluster; skip it.
    if (!first || start === 0) floor = at;
    first = false;
  }
  if (floor !== undefined) return floor;
  // A cluster longer than the window: segment from the start (slow, and practically never needed).
  let last = 0;
  for (const { index } of segmenter.segment(text)) {
    if (index > pos) break;
    last = index;
  }
  return last;
}

/** `text` cut to at most `max` UTF-16 code units at a grapheme boundary, ending with "…" when cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < ellipsis.length) return '';
  return text.slice(0, graphemeFloor(text, max - ellipsis.length)) + ellipsis;
}

/**
 * The runs of `text` that fit in `max` code units once rendered with `render` (which adds markers
 * and escapes). Runs that fit are kept whole; the first that does not is cut inside its markers
 * (`*abc…*`); a link that cannot keep its URL falls back to its label as plain text; a command is
 * kept whole or dropped. A cut always ends with "…".
 */
export function cutRichText(text: RichText, max: number, render: (run: Inline) => string): Inline[] {
  const whole = text.map(render);
  const total = whole.reduce((n, s) => n + s.length, 0);
  if (total <= max) return [...text];
  const out: Inline[] = [];
  let used = 0;
  for (const [i, run] of text.entries()) {
    const full = whole[i]!;
    if (used + full.length <= max - ellipsis.length) {
      out.push(run);
      used += full.length;
      continue;
    }
    const partial = partialRun(run, max - used, render);
    if (partial) out.push(partial);
    else if (used + ellipsis.length <= max) out.push({ kind: 'plain', text: ellipsis });
    return out;
  }
  return out;
}

/** Rich text rendered with `render` within `max` code units (see `cutRichText`). */
export function truncateRichText(text: RichText, max: number, render: (run: Inline) => string): string {
  return cutRichText(text, max, render).map(render).join('');
}

function partialRun(run: Inline, room: number, render: (run: Inline) => string): Inline | undefined {
  if (run.kind === 'command') return undefined;
  const attempt = (r: Exclude<Inline, { kind: 'command' }>) => {
    // Binary search on the kept length in code units, each candidate cut back to a grapheme boundary.
    let lo = 0;
    let hi = r.text.length - 1;
    let best: Inline | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const candidate = { ...r, text: r.text.slice(0, graphemeFloor(r.text, mid)) + ellipsis };
      if (render(candidate).length <= room) {
        best = candidate;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  };
  return attempt(run) ?? (run.kind === 'link' ? attempt({ kind: 'plain', text: run.text }) : undefined);
}
