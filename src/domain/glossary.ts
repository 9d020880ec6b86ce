import { CostbridgeError } from './costbridge-error.js';

/** A shared-vocabulary entry. */
export interface GlossaryTerm {
  readonly term: string;
  readonly definition: string;
  readonly aliases: readonly string[];
}

/** How terms and aliases are compared: trimmed, case-folded, inner blanks collapsed. */
export function glossaryKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Validates a term or alias as a person typed it; `what` names the flag or argument in the error. */
export function parseGlossaryName(text: string, what: string): string {
  const name = text.trim().replace(/\s+/g, ' ');
  if (name === '') throw new CostbridgeError('INPUT_INVALID', `${what} is empty`);
  if (name.length > 100) throw new CostbridgeError('INPUT_INVALID', `${what} is longer than 100 characters`);
  return name;
}

/** Parses `--aliases a,b`: trimmed, blanks dropped, duplicates (by key) removed. */
export function parseGlossaryAliases(text: string | undefined): string[] {
  if (text === undefined) return [];
  const out: string[] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const name = parseGlossaryName(part, '--aliases entry');
    if (!out.some((a) => glossaryKey(a) === glossaryKey(name))) out.push(name);
  }
  return out;
}

/** Optimal string alignment distance (edits, with adjacent swaps counting as one). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Terms close to an unknown query, best first (at most `limit`): a term or alias within a third of
 * the query's length in edits (at least 2), or one containing the query or contained in it (both at
 * least 3 characters long).
 */
export function suggestGlossaryTerms(query: string, terms: readonly GlossaryTerm[], limit = 5): string[] {
  const q = glossaryKey(query);
  const scored: { term: string; score: number }[] = [];
  for (const t of terms) {
    let best = Infinity;
    for (const name of [t.term, ...t.aliases]) {
      const k = glossaryKey(name);
      const distance = editDistance(q, k);
      if (distance <= Math.max(2, Math.floor(q.length / 3))) best = Math.min(best, distance);
      else if (q.length >= 3 && k.length >= 3 && (k.includes(q) || q.includes(k))) best = Math.min(best, 10 + Math.abs(k.length - q.length) / 1000);
    }
    if (best < Infinity) scored.push({ term: t.term, score: best });
  }
  return scored
    .sort((a, b) => a.score - b.score || (a.term < b.term ? -1 : 1))
    .slice(0, limit)
    .map((s) => s.term);
}
