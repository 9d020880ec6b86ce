// Exact amounts for the demo generator. Money is a bigint count of nano-units (1e-9 USD); unit
// prices are bigint micro-units (1e-6 USD) and quantities bigint milli-units (1e-3), so
// price x quantity is an exact nano amount. Nothing here ever touches a JS float.

/** Nano-units (1e-9) per currency unit. */
export const NANOS = 1_000_000_000n;
/** Nano-units per cent. */
export const NANOS_PER_CENT = 10_000_000n;
/** Micro-units (1e-6) per currency unit. */
export const MICROS = 1_000_000n;
/** Milli-units (1e-3) per unit of quantity. */
export const MILLIS = 1_000n;

/**
 * A scaled integer as an exact decimal string: `value / 10^places`, trailing zeros trimmed but at
 * least `minDecimals` decimals kept (`formatScaled(1_500_000n, 6, 2)` is `1.50`).
 */
export function formatScaled(value: bigint, places: number, minDecimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  let frac = digits.slice(digits.length - places);
  let end = frac.length;
  while (end > minDecimals && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  const text = frac.length > 0 ? `${whole}.${frac}` : whole;
  return negative && value !== 0n ? `-${text}` : text;
}

/** A nano amount as a decimal string with at least two decimals (`12.50`, `0.000123456`). */
export function formatNanos(value: bigint): string {
  return formatScaled(value, 9, 2);
}

/** A micro unit price as a decimal string with at least two decimals. */
export function formatMicros(value: bigint): string {
  return formatScaled(value, 6, 2);
}

/** A milli quantity as a decimal string, without trailing zeros (`24`, `1.25`). */
export function formatMillis(value: bigint): string {
  return formatScaled(value, 3, 0);
}

/** Integer division rounding half away from zero. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n + d / 2n) / d;
  return negative ? -q : q;
}

/** A nano amount rounded (half away from zero) to whole cents, still in nanos. */
export function roundToCents(value: bigint): bigint {
  return divRound(value, NANOS_PER_CENT) * NANOS_PER_CENT;
}

/** A nano amount rounded (half away from zero) to whole currency units, still in nanos. */
export function roundToUnits(value: bigint): bigint {
  return divRound(value, NANOS) * NANOS;
}

/** The exact cost of a quantity at a unit price: micros x millis = nanos. */
export function costNanos(unitPriceMicros: bigint, quantityMillis: bigint): bigint {
  return unitPriceMicros * quantityMillis;
}

/** A unit price raised or lowered by whole basis points (1% = 100), rounded to micros. */
export function adjustPrice(unitPriceMicros: bigint, basisPoints: bigint): bigint {
  return divRound(unitPriceMicros * (10_000n + basisPoints), 10_000n);
}
