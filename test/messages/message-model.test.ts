import { describe, expect, it } from 'vitest';
import { fitUnits } from '../../src/messages/fit-units.js';
import { form, numberInput, searchSelectInput, selectInput, textInput } from '../../src/messages/form-model.js';
import { actions, button, image, list, message, table, text } from '../../src/messages/message-blocks.js';
import { formatInstant } from '../../src/messages/cost-bases.js';
import { renderText } from '../../src/messages/render-text.js';

describe('factories check what renderers rely on', () => {
  it('buttons: ids, payload size, unique action ids per row', () => {
    expect(() => button('has space', 'x', {})).toThrow(/button actionId/);
    expect(() => button('a', 'x', { id: 'y'.repeat(1992) })).toThrow(/payload is 2001 characters serialized; at most 2000/);
    expect(() => actions(button('a', 'x', {}), button('a', 'y', {}))).toThrow(/share actionId a/);
  });

  it('tables need a cell per column; images need https or an attachment name', () => {
    expect(() => table([{ header: 'a' }, { header: 'b' }], [['1']])).toThrow(/row 1 has 1 cells for 2 columns/);
    expect(() => image({ url: 'http://x.test/a.png' }, 'alt')).toThrow(/https/);
  });

  it('forms: metadata length, reserved and duplicate ids, options, number strings, size', () => {
    const base = { title: 't', submitLabel: 's', callbackId: 'x.submit', privateMetadata: '{}', intro: [] };
    expect(() => form({ ...base, privateMetadata: 'm'.repeat(3001), inputs: [textInput('a', 'A')] })).toThrow(/privateMetadata is 3001 characters; at most 3000/);
    expect(() => form({ ...base, inputs: [textInput('metadata', 'A')] })).toThrow(/reserved/);
    expect(() => form({ ...base, inputs: [textInput('a', 'A'), textInput('a', 'B')] })).toThrow(/two inputs with id a/);
    expect(() => form({ ...base, inputs: [selectInput('a', 'A', [{ value: 'x', label: 'X' }], { initialValue: 'y' })] })).toThrow(/initial value "y" is not one of its options/);
    expect(() => form({ ...base, inputs: [numberInput('n', 'N', { initialValue: '1.5' })] })).toThrow(/initialValue must be an integer string/);
    expect(() => form({ ...base, inputs: [selectInput('a', 'A', Array.from({ length: 101 }, (_, i) => ({ value: `v${i}`, label: 'x' })))] })).toThrow(/1-100 options, got 101/);
    expect(() => form({ ...base, inputs: [selectInput('a', 'A', Array.from({ length: 100 }, (_, i) => ({ value: `v${i}`, label: 'x'.repeat(75) })))] })).toThrow(/at most 8000 \(use a search select/);
    expect(form({ ...base, inputs: [searchSelectInput('cc', 'Cost center', 'cost-centers')] }).inputs).toHaveLength(1);
  });
});

describe('fitUnits keeps fixed units and whole list items within the budget', () => {
  const policy = { cost: (e: readonly string[]) => e.length, budget: 6, more: (n: number) => [`more ${n}`], shortened: (n: number) => [`short ${n}`] };
  it('cuts a list with "more" and keeps blocks after it', () => {
    const units = [{ elements: ['h'] }, ...['a', 'b', 'c', 'd', 'e', 'f'].map((x) => ({ elements: [x], list: 1 })), { elements: ['tail'] }];
    expect(fitUnits(units, policy)).toEqual(['h', 'a', 'b', 'c', 'more 3', 'tail']);
  });
  it('keeps every item when they fit, and shortens when fixed units alone overflow', () => {
    expect(fitUnits([{ elements: ['h'] }, { elements: ['a'], list: 0 }], policy)).toEqual(['h', 'a']);
    expect(fitUnits([{ elements: ['1', '2', '3'] }, { elements: ['4', '5', '6'] }, { elements: ['7'] }], policy)).toEqual(['1', '2', '3', 'short 2']);
  });
});

describe('plain text and times', () => {
  it('renderText shows CLI hints and can cut lists', () => {
    const m = message('f', [list([[text('one')], [text('two')], [text('three')]]), actions(button('a', 'Go', {}, { cliHint: 'npx costbridge go' }), button('b', 'Stop', {}))], 'unattributed 2026-10');
    expect(renderText(m, { maxListItems: 1 })).toBe('one\n\n…and 2 more items. See all with /costbridge unattributed 2026-10\n\n[Go] npx costbridge go\n[Stop]');
  });
  it('formatInstant shows minutes in the given zone', () => {
    expect(formatInstant('2026-11-03T14:05:59Z')).toBe('2026-11-03 14:05 UTC');
    expect(formatInstant('2026-11-03T23:30:00Z', 'Europe/Paris')).toBe('2026-11-04 00:30 Europe/Paris');
    expect(() => formatInstant('yesterday')).toThrow(/not an ISO instant/);
  });
});
