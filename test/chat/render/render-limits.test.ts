import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderSlackMessage, renderSlackModal } from '../../../src/chat/slack/render.js';
import { renderTeamsCard, renderTeamsForm } from '../../../src/chat/teams/render.js';
import { choiceInput, form, numberInput, searchSelectInput, selectInput, textInput, type Form, type FormInput } from '../../../src/messages/form-model.js';
import { actions, button, context, divider, field, fields, header, image, list, message, table, text } from '../../../src/messages/message-blocks.js';
import type { ContentBlock, Message } from '../../../src/messages/message-model.js';
import { bold, code, command, italic, link, plain, type Inline } from '../../../src/messages/rich-text.js';
import { truncateText } from '../../../src/messages/text-truncation.js';
import { unattributedSpendAlert } from '../../../src/messages/views/unattributed-spend-alert.js';
import { openItem } from './render-samples.js';
import { brokenStrings, slackMessageViolations, slackModalViolations, teamsCardViolations } from './platform-limit-checks.js';

const long = (n: number) => 'x'.repeat(n);
// Tricky text: escapes, markers, emoji made of surrogate pairs and joiners, combining accents.
const tricky = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('<!channel>', 'a & b', '*bold*', '_x_', '`tick`', '👩‍👩‍👧‍👦', 'e\u0301', '🇫🇷', '> quote', '&amp;'),
);
const sized = fc.tuple(fc.array(tricky, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 400 })).map(([parts, times]) => parts.join('').repeat(times));
const text$ = fc.oneof({ weight: 4, arbitrary: tricky }, { weight: 1, arbitrary: sized });
const inline$: fc.Arbitrary<Inline> = fc.oneof(
  text$.map(plain),
  text$.map(bold),
  text$.map(italic),
  text$.map(code),
  fc.tuple(text$, fc.constantFrom('https://example.com/a?b=1&c=2', 'https://x.test/' + long(300), 'mailto:a@b.c')).map(([t, u]) => link(t, u)),
  fc.constantFrom('help', 'unattributed 2026-10').map(command),
);
const rich$ = fc.array(inline$, { minLength: 1, maxLength: 6 });
const id$ = fc.stringMatching(/^[a-z][a-z0-9.-]{0,30}$/);
const button$ = fc.tuple(id$, text$, fc.boolean(), fc.constantFrom(undefined, 'primary' as const, 'danger' as const)).map(([id, label, confirm, style]) =>
  button(id, label, { itemId: id }, { ...(style ? { style } : {}), ...(confirm ? { confirm: { title: long(120), text: long(400), confirmLabel: long(40), denyLabel: 'No' } } : {}) }),
);
const content$: fc.Arbitrary<ContentBlock> = fc.oneof(
  text$.map(header),
  rich$.map((r) => text(r)),
  rich$.map((r) => context(r)),
  fc.constant(divider()),
  fc.array(fc.tuple(text$, rich$), { minLength: 1, maxLength: 25 }).map((fs) => fields(...fs.map(([l, v]) => field(l, v)))),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 300 }), tricky).map(([cols, rows, cell]) =>
    table(
      Array.from({ length: cols }, (_, i) => ({ header: `c${i}`, align: i % 2 ? ('right' as const) : ('left' as const) })),
      Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => `${cell}${r}.${c}`)),
    ),
  ),
  fc.tuple(text$, fc.boolean()).map(([alt, url]) => image(url ? { url: 'https://img.test/c.png' } : { attachment: 'chart.png' }, alt)),
  fc.uniqueArray(button$, { minLength: 1, maxLength: 40, selector: (b) => b.actionId }).map((bs) => actions(...bs)),
);
const message$: fc.Arbitrary<Message> = fc
  .tuple(
    fc.array(fc.oneof({ weight: 3, arbitrary: content$ }, { weight: 1, arbitrary: fc.array(fc.array(content$, { minLength: 1, maxLength: 4 }), { maxLength: 80 }).map(list) }), { maxLength: 40 }),
    text$,
    fc.constantFrom(undefined, 'unattributed 2026-10'),
  )
  .map(([blocks, fallback, more]) => message(fallback, blocks, more));

const option$ = fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,20}$/), text$).map(([value, label]) => ({ value, label }));
const smallOption$ = fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,12}$/), fc.string({ unit: 'grapheme', maxLength: 12 })).map(([value, label]) => ({ value, label }));
// Forms the model accepts (it refuses forms too big to render everywhere; tested in form-model tests).
function accepted(build: () => Form): Form | undefined {
  try {
    return build();
  } catch (e) {
    if (e instanceof RangeError && /characters of labels/.test(e.message)) return undefined;
    throw e;
  }
}
const input$ = (id: string): fc.Arbitrary<FormInput> =>
  fc.oneof(
    fc.tuple(tricky, fc.uniqueArray(smallOption$, { minLength: 1, maxLength: 100, selector: (o) => o.value })).map(([label, options]) => selectInput(id, label, options, { initialValue: options.at(-1)!.value })),
    fc.tuple(tricky, fc.uniqueArray(smallOption$, { minLength: 1, maxLength: 14, selector: (o) => o.value })).map(([label, options]) => choiceInput(id, label, options, { initialValue: options.at(-1)!.value })),
    fc.tuple(tricky, option$).map(([label, initialOption]) => searchSelectInput(id, label, 'cost-centers', { initialOption, hint: long(600) })),
    fc.tuple(tricky, text$, fc.boolean()).map(([label, initialValue, multiline]) => textInput(id, label, { initialValue: truncateText(initialValue, 1000), multiline, maxLength: 5000 })),
    fc.tuple(tricky, fc.constantFrom('0', '12.5', '0.1000000000000000055511151231257827', '123456789012345678901234.5')).map(([label, v]) => numberInput(id, label, { decimal: true, min: '0', initialValue: v })),
  );
const form$: fc.Arbitrary<Form> = fc
  .tuple(fc.integer({ min: 1, max: 12 }), text$, fc.array(content$.filter((b) => b.kind !== 'actions'), { maxLength: 120 }))
  .chain(([n, title, intro]) =>
    fc.tuple(...Array.from({ length: n }, (_, i) => input$(`in${i}`))).map((inputs) =>
      accepted(() => form({ title: truncateText(title, 200), submitLabel: truncateText(title, 50), callbackId: 'test.submit', privateMetadata: JSON.stringify({ id: 'x' }), intro: intro as Form['intro'], inputs })),
    ),
  )
  .filter((f): f is Form => f !== undefined);

describe('renderers stay within every platform limit', () => {
  it('any message renders within Slack and Teams limits (property)', () => {
    fc.assert(
      fc.property(message$, (m) => {
        expect(slackMessageViolations(renderSlackMessage(m))).toEqual([]);
        expect(teamsCardViolations(renderTeamsCard(m))).toEqual([]);
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });

  it('any form renders within Slack modal and Teams card limits (property)', () => {
    fc.assert(
      fc.property(form$, (f) => {
        const modal = renderSlackModal(f);
        expect(slackModalViolations(modal)).toEqual([]);
        expect(modal.blocks.filter((b) => b.type === 'input')).toHaveLength(f.inputs.length);
        const card = renderTeamsForm(f);
        expect(teamsCardViolations(card)).toEqual([]);
        expect(card.body.filter((e) => e.type.startsWith('Input.'))).toHaveLength(f.inputs.length);
      }),
      { numRuns: 80, endOnFailure: true },
    );
  });

  it('500 alert items are cut with "…and N more" and the command that shows all', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ ...openItem, id: `UA-${i}` }));
    const m = unattributedSpendAlert({ period: '2026-10', items });
    const slack = renderSlackMessage(m);
    expect(slackMessageViolations(slack)).toEqual([]);
    const claims = slack.blocks.filter((b) => b.type === 'actions').length;
    expect(claims).toBeGreaterThan(5);
    expect(slack.blocks.at(-1)).toStrictEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${500 - claims} more items. See all with \`/costbridge unattributed 2026-10\`.` }],
    });
    const teams = renderTeamsCard(m);
    expect(teamsCardViolations(teams)).toEqual([]);
    const sets = teams.body.filter((e) => e.type === 'ActionSet').length;
    expect(sets).toBeGreaterThan(5);
    expect(JSON.stringify(teams.body.at(-1))).toContain(`…and ${500 - sets} more items. Send `);
  });

  it('10,000-character texts, 300 fields, 100 buttons and a 500-row table are cut safely', () => {
    const emoji = '👩‍👩‍👧‍👦'.repeat(2000); // 11 code units per grapheme: any naive cut breaks it
    const m = message('x'.repeat(50_000), [
      header(long(10_000)),
      text(plain('<&>'.repeat(3400)), bold(long(10))),
      text(plain(emoji)),
      fields(...Array.from({ length: 300 }, (_, i) => field(`f${i}`, long(5000)))),
      table([{ header: 'Month' }, { header: 'Amount', align: 'right' }], Array.from({ length: 500 }, (_, i) => [`m${i}`, 'USD 1,000.00 & <more>'])),
      actions(...Array.from({ length: 100 }, (_, i) => button(`b${i}`, long(200), { id: long(1800) }))),
    ]);
    const slack = renderSlackMessage(m);
    expect(slackMessageViolations(slack)).toEqual([]);
    const section = slack.blocks[1] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    expect(section.text.text.endsWith('…')).toBe(true);
    const emojiText = (slack.blocks[2] as { text: { text: string } }).text.text;
    expect(emojiText.replace('…', '').length % 11).toBe(0);
    const teams = renderTeamsCard(m);
    expect(teamsCardViolations(teams)).toEqual([]);
    expect(brokenStrings(teams)).toEqual([]);
  });

  it('user text cannot form Slack links or mentions, and links keep their URL whole', () => {
    const slack = renderSlackMessage(message('<!channel> ping', [text('<!channel> <https://evil.test|click> & ', link('docs & more', 'https://a.test/?x=1&y=<2>|z'))]));
    expect(slack.text).toBe('&lt;!channel&gt; ping');
    expect((slack.blocks[0] as { text: { text: string } }).text.text).toBe(
      '&lt;!channel&gt; &lt;https://evil.test|click&gt; &amp; <https://a.test/?x=1&amp;y=%3C2%3E%7Cz|docs &amp; more>',
    );
  });

  it('the checkers catch violations (so the tests above can fail)', () => {
    expect(slackMessageViolations({ text: 'a & b', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toEqual(['51 blocks > 50', "text: unescaped or cut '&'"]);
    expect(slackMessageViolations({ text: 'ok', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '<!here> \uD83D' } }] })).toEqual([
      '$.blocks[0].text.text: lone surrogate',
      "blocks[0]: unescaped '<'",
      'blocks[0]: malformed link <!here>',
    ]);
    expect(teamsCardViolations({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'ActionSet', actions: Array.from({ length: 7 }, () => ({ type: 'Action.Execute', verb: 'v', data: {} })) }] })).toEqual([
      'body[0]: 7 actions in a set',
    ]);
    expect(teamsCardViolations({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'RichTextBlock', inlines: [long(15_000)] }] })).toEqual([
      '30176 bytes > 28672',
      'body[0]: 15000 text characters',
    ]);
  });
});
