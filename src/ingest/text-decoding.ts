import { isUtf8 } from 'node:buffer';
import { CostbridgeError } from '../domain/costbridge-error.js';

/** The text encodings `--encoding` accepts; `utf-8` is the default. */
export const textEncodings = ['utf-8', 'latin1', 'windows-1252', 'utf-16le', 'utf-16be'] as const;
export type TextEncoding = (typeof textEncodings)[number];

/** Normalises what a person types (`UTF8`, `ISO-8859-1`, `cp1252` ...) to a {@link TextEncoding}, or undefined. */
export function parseTextEncoding(name: string): TextEncoding | undefined {
  const n = name.trim().toLowerCase().replace(/_/g, '-');
  const aliases: Record<string, TextEncoding> = {
    'utf-8': 'utf-8', utf8: 'utf-8',
    latin1: 'latin1', 'latin-1': 'latin1', 'iso-8859-1': 'latin1', 'iso8859-1': 'latin1',
    'windows-1252': 'windows-1252', cp1252: 'windows-1252', 'win-1252': 'windows-1252',
    'utf-16le': 'utf-16le', utf16le: 'utf-16le',
    'utf-16be': 'utf-16be', utf16be: 'utf-16be',
  };
  return aliases[n];
}

/** Where in the text a position is, for error messages: 1-based line and column (in characters). */
interface TextPosition {
  line: number;
  column: number;
}

/**
 * Decodes a file's bytes to text in the given encoding (UTF-8 when none is given). A byte-order mark
 * decides the encoding whatever was asked (UTF-8, UTF-16LE, UTF-16BE) and is removed. Bytes that are
 * not valid in the encoding fail with a {@link CostbridgeError} naming file, line and column; a read
 * error of the byte source (a truncated gzip stream ...) fails naming file and line. Nothing is
 * replaced by U+FFFD.
 */
export class TextDecoding {
  /** Said once the stream is read: a byte-order mark overrode the requested encoding, for instance. */
  readonly warnings: string[] = [];
  /** The encoding actually used, known after the first chunk. */
  encoding: TextEncoding;
  readonly #path: string;
  readonly #requested: TextEncoding | undefined;
  readonly #at: TextPosition = { line: 1, column: 1 };

  readonly #hint: string;

  /** `hint` ends the message for bytes that are not UTF-8 (what the person can do about it). */
  constructor(path: string, requested?: TextEncoding, hint = 'save the file as UTF-8') {
    this.#path = path;
    this.#requested = requested;
    this.#hint = hint;
    this.encoding = requested ?? 'utf-8';
  }

  /** The text of `bytes`, chunk by chunk. */
  async *decode(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
    const source = bytes[Symbol.asyncIterator]();
    const next = async (): Promise<Buffer | undefined> => {
      try {
        const r = await source.next();
        return r.done ? undefined : r.value;
      } catch (e) {
        throw this.#readFailure(e);
      }
    };
    try {
      // Enough bytes to see a byte-order mark.
      let head: Buffer = Buffer.alloc(0);
      while (head.length < 3) {
        const chunk = await next();
        if (!chunk) break;
        head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      }
      const bom = byteOrderMark(head);
      if (bom) {
        if (this.#requested && this.#requested !== bom.encoding) {
          this.warnings.push(`the file starts with a ${bom.encoding.toUpperCase()} byte-order mark; read as ${bom.encoding.toUpperCase()}, not ${this.#requested}`);
        }
        this.encoding = bom.encoding;
        head = head.subarray(bom.length);
      }
      const decode = this.#decoderFor(this.encoding);
      let chunk: Buffer | undefined = head;
      while (chunk) {
        const text = decode(chunk, false);
        if (text.length > 0) {
          this.#advance(text);
          yield text;
        }
        chunk = await next();
      }
      const rest = decode(Buffer.alloc(0), true);
      if (rest.length > 0) {
        this.#advance(rest);
        yield rest;
      }
    } finally {
      // Close the byte source (and its file) when the text is not read to the end.
      await source.return?.(undefined);
    }
  }

  #decoderFor(encoding: TextEncoding): (bytes: Buffer, end: boolean) => string {
    if (encoding === 'utf-8') return this.#utf8Decoder();
    if (encoding === 'latin1') return (bytes) => bytes.toString('latin1');
    if (encoding === 'windows-1252') {
      // Single-byte: every byte maps to a character, so nothing can be invalid.
      const d = new TextDecoder('windows-1252');
      return (bytes, end) => d.decode(bytes, { stream: !end });
    }
    return this.#utf16Decoder(encoding);
  }

  /** UTF-8, checked natively per chunk; a sequence split across chunks is carried to the next one. */
  #utf8Decoder(): (bytes: Buffer, end: boolean) => string {
    let carry: Buffer | undefined;
    return (bytes, end) => {
      const buf = carry ? Buffer.concat([carry, bytes]) : bytes;
      carry = undefined;
      const cut = end ? buf.length : completeUtf8End(buf);
      const body = cut === buf.length ? buf : buf.subarray(0, cut);
      if (cut < buf.length) carry = Buffer.from(buf.subarray(cut));
      if (!isUtf8(body)) {
        const bad = firstInvalidUtf8(body);
        const before = body.toString('utf8', 0, bad);
        const shown = [...body.subarray(bad, Math.min(bad + 4, body.length))]
          .map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`)
          .join(' ');
        throw this.#invalidAt(before, `is not valid UTF-8 (bytes ${shown})`, this.#hint);
      }
      return body.toString('utf8');
    };
  }

  #utf16Decoder(encoding: 'utf-16le' | 'utf-16be'): (bytes: Buffer, end: boolean) => string {
    // Two decoders fed the same bytes: the fatal one detects a broken surrogate pair, the lenient
    // one shows where it is (its first U+FFFD).
    const fatal = new TextDecoder(encoding, { fatal: true });
    const lenient = new TextDecoder(encoding);
    return (bytes, end) => {
      const text = lenient.decode(bytes, { stream: !end });
      try {
        fatal.decode(bytes, { stream: !end });
      } catch {
        const at = text.indexOf('\uFFFD');
        throw this.#invalidAt(text.slice(0, at < 0 ? text.length : at), `is not valid ${encoding.toUpperCase()} (an unpaired surrogate or an odd number of bytes)`, 'check the --encoding');
      }
      return text;
    };
  }

  /** Moves the position past `text`. */
  #advance(text: string): void {
    let lines = 0;
    let last = -1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      lines++;
      last = i;
    }
    if (lines === 0) {
      this.#at.column += codePoints(text);
    } else {
      this.#at.line += lines;
      this.#at.column = 1 + codePoints(text.slice(last + 1));
    }
  }

  #invalidAt(validPrefix: string, what: string, hint: string): CostbridgeError {
    this.#advance(validPrefix);
    const { line, column } = this.#at;
    return new CostbridgeError(
      'INPUT_INVALID',
      `${this.#path}:${line}:${column}: the text ${what}; nothing imported (${hint})`,
    );
  }

  #readFailure(e: unknown): CostbridgeError {
    if (e instanceof CostbridgeError) return e;
    const code = (e as { code?: string }).code ?? '';
    const message = (e as Error).message ?? String(e);
    const where = `${this.#path}: line ${this.#at.line}`;
    if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) {
      return new CostbridgeError('INPUT_INVALID', `${where}: the gzip data ends early (the file is truncated or incomplete); nothing imported`);
    }
    if (code.startsWith('Z_') || /incorrect header check|invalid (block type|distance|stored block)|header check/i.test(message)) {
      return new CostbridgeError('INPUT_INVALID', `${where}: the gzip data is corrupt (${message}); nothing imported`);
    }
    if (code === 'EISDIR') return new CostbridgeError('INPUT_INVALID', `${this.#path}: is a directory, not a file`);
    if (code === 'ENOENT') return new CostbridgeError('FILE_NOT_FOUND', `${this.#path}: no such file`);
    return new CostbridgeError('INPUT_INVALID', `${where}: cannot read the file (${message}); nothing imported`);
  }
}

function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--; // the second half of a surrogate pair
  }
  return n;
}

function byteOrderMark(head: Buffer): { encoding: TextEncoding; length: number } | undefined {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** Where the trailing, possibly incomplete, UTF-8 sequence of `buf` starts (its length when there is none). */
function completeUtf8End(buf: Buffer): number {
  const n = buf.length;
  for (let back = 1; back <= 4 && back <= n; back++) {
    const b = buf[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b < 0x80 ? 1 : (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 1;
    return back < need ? n - back : n;
  }
  return n;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (only called on invalid input). */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if ((b & 0xe0) === 0xc0) [need, min] = [1, 0x80];
    else if ((b & 0xf0) === 0xe0) [need, min] = [2, 0x800];
    else if ((b & 0xf8) === 0xf0) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= buf.length) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return buf.length;
}
