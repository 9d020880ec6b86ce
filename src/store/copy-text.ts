import { focusColumns } from '../domain/focus-columns.js';
import type { FocusLine } from '../domain/focus-row.js';
import type { LineAttribution } from '../domain/attribution.js';

// PostgreSQL COPY text format: tab-separated, \N for null, backslash escapes for \ tab LF CR.
const needsEscape = /[\\\t\n\r]/;
const escapable = /[\\\t\n\r]/g;
const escapeOf: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const TAB = 9;
const NEWLINE = 10;

// Validated decimals, timestamps, currency codes and enums cannot hold a tab or line break; only free
// text and JSON need the escape check.
const catalogNeedsCheck: readonly boolean[] = focusColumns.map((c) => c.type === 'text' || c.type === 'json-object');

/**
 * Encodes rows straight into a reusable byte buffer: measured ~4x faster than building strings and
 * converting them, which matters at millions of rows per import.
 */
class CopyBuffer {
  #buf = Buffer.allocUnsafe(1 << 20);
  #off = 0;

  #reserve(bytes: number): void {
    if (this.#off + bytes <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#off + bytes));
    this.#buf.copy(next, 0, 0, this.#off);
    this.#buf = next;
  }

  text(value: string, check: boolean): void {
    const v = check && needsEscape.test(value) ? value.replace(escapable, (c) => escapeOf[c]!) : value;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    this.#reserve(v.length * 3);
    this.#off += this.#buf.write(v, this.#off, 'utf8');
  }

  cell(value: string | null, check: boolean): void {
    this.#reserve(3);
    this.#buf[this.#off++] = TAB;
    if (value === null) {
      this.#buf[this.#off++] = 0x5c; // backslash
      this.#buf[this.#off++] = 0x4e; // N
    } else this.text(value, check);
  }

  endRow(): void {
    this.#reserve(1);
    this.#buf[this.#off++] = NEWLINE;
  }

  /** The bytes written so far, as a copy; the buffer is reused for the next batch. */
  take(): Buffer {
    const out = Buffer.from(this.#buf.subarray(0, this.#off));
    this.#off = 0;
    return out;
  }
}

/**
 * Encodes cost lines for `COPY cost_line (batch_id, source_line, <catalog columns>, extra,
 * <shared fields>, tag_<shared fields>, tag_keys, <shared field>_source, contract_id,
 * contract_component, gl_account)`: the order of `copyColumns` in focus-load.ts.
 */
export class CostLineCopyEncoder {
  readonly #out = new CopyBuffer();

  encode(batchId: number, lines: readonly FocusLine[], attributions: readonly LineAttribution[]): Buffer {
    const out = this.#out;
    const prefix = String(batchId);
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!;
      const a = attributions[n]!;
      out.text(prefix, false);
      out.cell(String(line.sourceLine), false);
      const values = line.values;
      for (let i = 0; i < values.length; i++) out.cell(values[i]!, catalogNeedsCheck[i]!);
      out.cell(line.extra, true);
      for (const v of a.values) out.cell(v, true);
      for (const v of a.tagValues) out.cell(v, true);
      out.cell(a.tagKeys ? JSON.stringify(a.tagKeys) : null, true);
      for (const v of a.sources) out.cell(v, true);
      out.cell(a.contractId, true);
      out.cell(a.component, true);
      out.cell(a.glAccount, true);
      out.endRow();
    }
    return out.take();
  }
}
