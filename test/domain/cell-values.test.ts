import { describe, expect, it } from 'vitest';
import { decimalText, isCurrencyCode, parseJsonObject, parseTimestamp } from '../../src/domain/cell-values.js';

describe('decimalText', () => {
  it.each(['0', '-1.5', '+2', '1E-7', '1.23e+10', '.5', '5.', ' 12.00 ', '0.00000080000'])('accepts %j', (text) => {
    expect(decimalText(text)).toBe(text.trim());
  });
  it.each(['', 'NaN', 'Infinity', '1,000.00', '$5', '1e', '--1', '1.2.3', '0x10', '1E99999'])('rejects %j', (text) => {
    expect(decimalText(text)).toBeUndefined();
  });
});

describe('parseTimestamp', () => {
  it('treats a timestamp without zone as UTC', () => {
    expect(parseTimestamp('2024-09-01 00:00:00')).toEqual({ iso: '2024-09-01T00:00:00Z', epochMs: Date.UTC(2024, 8, 1) });
    expect(parseTimestamp('2024-09-01')?.iso).toBe('2024-09-01T00:00:00Z');
  });
  it('keeps explicit zones and fractions', () => {
    expect(parseTimestamp('2024-09-01T00:00:00Z')?.epochMs).toBe(Date.UTC(2024, 8, 1));
    expect(parseTimestamp('2024-09-01T02:00:00+02:00')?.epochMs).toBe(Date.UTC(2024, 8, 1));
    expect(parseTimestamp('2024-09-01T02:00:00+0200')?.iso).toBe('2024-09-01T02:00:00+02:00');
    expect(parseTimestamp('2024-09-01T00:00:00.123Z')?.epochMs).toBe(Date.UTC(2024, 8, 1) + 123);
  });
  it.each(['5/1/25', '2024-02-30', '2024-13-01', '2024-09-01T24:00:00Z', '2024-09-01T00:00:00+25:00', 'yesterday', ''])(
    'rejects %j',
    (text) => expect(parseTimestamp(text)).toBeUndefined(),
  );
  it('accepts a leap day only in a leap year', () => {
    expect(parseTimestamp('2024-02-29')).toBeDefined();
    expect(parseTimestamp('2023-02-29')).toBeUndefined();
  });
});

describe('isCurrencyCode and parseJsonObject', () => {
  it('checks currency codes', () => {
    expect(isCurrencyCode('USD')).toBe(true);
    expect(isCurrencyCode('usd')).toBe(false);
    expect(isCurrencyCode('US')).toBe(false);
  });
  it('accepts only JSON objects', () => {
    expect(parseJsonObject('{"a":"b"}')).toEqual({ ok: true, value: { a: 'b' } });
    expect(parseJsonObject('[]')).toMatchObject({ ok: false, reason: 'must be a JSON object, got an array' });
    expect(parseJsonObject('"x"')).toMatchObject({ ok: false, reason: 'must be a JSON object, got "x"' });
    expect(parseJsonObject('{"a":')).toMatchObject({ ok: false });
    expect(parseJsonObject('{"a":"\\u0000"}')).toMatchObject({ ok: false, reason: 'contains a NUL character (\\u0000)' });
  });
});
