// Seeded pseudo-random numbers for the synthetic demo data. Never Math.random: the same seed must
// give the same bytes on every machine and Node version.

/** 32-bit FNV-1a hash of a string. */
function fnv1a(text: string, hash = 0x811c9dc5): number {
  let h = hash >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The murmur3 finalizer: spreads every input bit over the output. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit seed derived from a base seed and any number of labels (strings or integers), so each
 * resource and day gets its own independent stream whatever order rows are generated in.
 */
export function deriveSeed(seed: number, ...labels: ReadonlyArray<string | number>): number {
  // Fold a seed of up to 53 bits into 32 without losing its high part.
  let h = fmix32((seed >>> 0) ^ fmix32(Math.floor(seed / 0x1_0000_0000) + 0x9e3779b9));
  for (const label of labels) {
    h = typeof label === 'number' ? fmix32(h ^ fmix32((label >>> 0) + 0x7f4a7c15)) : fmix32(fnv1a(label, h));
  }
  return h;
}

/** mulberry32: a small, fast, well-distributed 32-bit generator; returns integers in [0, 2^32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A seeded random stream with the few helpers the generator needs; integers only. */
export class DemoRandom {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }

  /** A stream for (seed, ...labels); see {@link deriveSeed}. */
  static for(seed: number, ...labels: ReadonlyArray<string | number>): DemoRandom {
    return new DemoRandom(deriveSeed(seed, ...labels));
  }

  /** A raw 32-bit unsigned integer. */
  uint32(): number {
    return this.#next();
  }

  /** An integer in [min, max], both inclusive (max - min below 2^32). */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`empty range ${min}..${max}`);
    const span = max - min + 1;
    return min + Math.floor((this.#next() / 0x1_0000_0000) * span);
  }

  /** A bigint in [min, max], both inclusive (for amounts); the span must stay below 2^32. */
  bigint(min: bigint, max: bigint): bigint {
    return min + BigInt(this.int(0, Number(max - min)));
  }

  /** True with probability percent / 100. */
  chance(percent: number): boolean {
    return this.int(0, 99) < percent;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** A lower-case hexadecimal string of `length` digits. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.#next().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** A copy of a list in a seeded random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}
