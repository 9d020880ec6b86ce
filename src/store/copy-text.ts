import { focusColumns } from '../domain/focus-columns.js';
import type { FocusLine } from '../domain/focus-row.js';
import type { LineAttribution } from '../domain/attribution.js';

// PostgreSQL COPY text format: tab-separated, \N for null, backslash escapes for \ tab LF CR.
const needsEscape = /[\\\t\n\r]/;
const escapable = /[\\\t\n\r]/g;
const escapeOf: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

// Validated decimals, timestamps, currency codes and enums cannot hold a tab or line break; only free
// text and JSON need the escape check.
const catalogNeedsCheck: readonly boolean[] = focusColumns.map((c) => c.type === 'text' || c.type === 'json-object');

/**
 * Collects encoded rows in a reusable byte buffer. Each row is built as one string and written with
 * one call: measured faster than per-cell writes or string joins at millions of rows per import.
 */
class CopyBuffer {
  #buf = Buffer.allocUnsafe(1 << 20);
  #off = 0;

  write(row: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const need = row.length * 3;
    if (this.#off + need > this.#buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#off + need));
      this.#buf.copy(next, 0, 0, this.#off);
      this.#buf = next;
    }
    this.#off += this.#buf.write(row, this.#off, 'utf8');
  }

  /** The bytes written so far, as a copy; the buffer is reused for the next batch. */
  take(): Buffer {
    const out = Buffer.from(this.#buf.subarray(0, this.#off));
    this.#off = 0;
    return out;
  }
}

/** A tab and the cell in COPY text form. */
function cell(value: string | null, check: boolean): string {
  if (value === null) return '\t\\N';
  return check && needsEscape.test(value) ? `\t${value.replace(escapable, (c) => escapeOf[c]!)}` : `\t${value}`;
}

/**
 * Encodes cost lines for `COPY cost_line (batch_id, source_line, <the given catalog columns>, extra,
 * <shared fields>, tag_<shared fields>, tag_keys, <shared field>_source, contract_id,
 * contract_component, gl_account)`: the order of `copyColumns` in focus-load.ts.
 */
export class CostLineCopyEncoder {
  readonly #out = new CopyBuffer();

  encode(
    batchId: number,
    catalogIndexes: readonly number[],
    lines: readonly FocusLine[],
    attributions: readonly LineAttribution[],
  ): Buffer {
    const prefix = String(batchId);
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!;
      const a = attributions[n]!;
      let row = prefix + cell(String(line.sourceLine), false);
      const values = line.values;
      for (const i of catalogIndexes) row += cell(values[i]!, catalogNeedsCheck[i]!);
      row += cell(line.extra, true);
      for (const v of a.values) row += cell(v, true);
      for (const v of a.tagValues) row += cell(v, true);
      row += cell(a.tagKeys ? JSON.stringify(a.tagKeys) : null, true);
      for (const v of a.sources) row += cell(v, true);
      row += cell(a.contractId, true) + cell(a.component, true) + cell(a.glAccount, true) + '\n';
      this.#out.write(row);
    }
    return this.#out.take();
  }
}
