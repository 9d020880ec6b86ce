import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bold, code, command, link, md, plain, rich, richTextToPlain } from '../../src/messages/rich-text.js';
import { cutRichText, ellipsis, graphemeFloor, truncateText } from '../../src/messages/text-truncation.js';

describe('md: authored markdown subset with literal interpolation', () => {
  it('reads *bold*, _italic_, `code` and [links](url) from the template only', () => {
    const who = '*not bold* _nor italic_ [x](https://evil.test)';
    expect(md`Claimed by *${who}* for \`${'CC-1'}\`, see [the docs](https://d.test/a?b=1) or _later_`).toEqual([
      plain('Claimed by '),
      bold(who),
      plain(' for '),
      code('CC-1'),
      plain(', see '),
      link('the docs', 'https://d.test/a?b=1'),
      plain(' or '),
      { kind: 'italic', text: 'later' },
    ]);
    expect(md`[${'label'}](${'https://x.test/p'})`).toEqual([link('label', 'https://x.test/p')]);
  });

  it('refuses unclosed or nested markers and non-http links', () => {
    expect(() => md`*open`).toThrow(/unclosed bold/);
    expect(() => md`*a _b_ c*`).toThrow(/inside bold/);
    expect(() => md`[x](javascript:alert(1))`).toThrow(/http\(s\) or mailto/);
  });

  it('rich() keeps strings literal and flattens runs; plain text shows links and commands', () => {
    const t = rich('a *b* ', bold('c'), [code('d')], command(' help '));
    expect(t).toEqual([plain('a *b* '), bold('c'), code('d'), { kind: 'command', words: 'help' }]);
    expect(richTextToPlain(rich(link('docs', 'https://d.test'), ' ', command('help')))).toBe('docs (https://d.test) /costbridge help');
  });
});

describe('truncation never breaks a character, an escape or a marker', () => {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const boundaries = (s: string) => new Set([...Array.from(segmenter.segment(s), (x) => x.index), s.length]);

  it('graphemeFloor agrees with a full segmentation (property)', () => {
    const text$ = fc.array(fc.constantFrom('a', 'é', 'e\u0301', '👩‍👩‍👧‍👦', '🇫🇷', '🇫🇷🇩🇪', '中', '\r\n', '👍🏽', 'x'.repeat(200)), { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text$, fc.nat(), (s, n) => {
        const pos = s.length === 0 ? 0 : n % (s.length + 1);
        const floor = graphemeFloor(s, pos);
        const all = [...boundaries(s)].filter((b) => b <= pos);
        expect(floor).toBe(Math.max(0, ...all));
      }),
      { numRuns: 500 },
    );
  });

  it('truncateText cuts at a grapheme boundary and marks the cut', () => {
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('abcdef', 4)).toBe(`abc${ellipsis}`);
    const family = '👩‍👩‍👧‍👦'; // 11 code units
    expect(truncateText(family.repeat(3), 30)).toBe(`${family.repeat(2)}${ellipsis}`);
    expect(truncateText(family.repeat(3), 11)).toBe(ellipsis);
  });

  it('cutRichText keeps markers whole, cuts inside them, drops commands whole, degrades links', () => {
    const render = (r: Parameters<typeof richTextToPlain>[0][number]) =>
      r.kind === 'bold' ? `*${r.text}*` : r.kind === 'link' ? `<${r.url}|${r.text}>` : r.kind === 'command' ? `/c ${r.words}` : r.text;
    expect(cutRichText(rich('ab', bold('cdefgh')), 7, render)).toEqual([plain('ab'), bold(`cd${ellipsis}`)]);
    expect(cutRichText(rich('abcdef', command('help')), 8, render)).toEqual([plain('abcdef'), plain(ellipsis)]);
    expect(cutRichText(rich(link('label text', 'https://very.long.test/path')), 8, render)).toEqual([plain(`label t${ellipsis}`)]);
  });
});
