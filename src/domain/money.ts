import { Decimal } from 'decimal.js';

/**
 * Exact decimal arithmetic for money. 60 significant digits is far beyond any bill (FOCUS costs
 * carry up to ~11 decimals); rounding happens only when a person reads a number.
 */
export const Money = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 40 });
/** An exact decimal value. */
export type Money = InstanceType<typeof Money>;

/** An exact decimal string without exponent or trailing zeros (`"1E-7"` → `"0.0000001"`). */
export function normalizeDecimal(text: string): string {
  return new Money(text).toFixed();
}

/** The exact sum of one amount of each item, as a decimal string (`"0"` for none). */
export function sumAmounts<T>(items: readonly T[], amount: (item: T) => string): string {
  return items.reduce((s, item) => s.plus(amount(item)), new Money(0)).toFixed();
}

/**
 * `USD 1,234.57`: currency code, thousands separators, two decimals (half away from zero), for
 * display only. Amounts below one cent but not zero show as `< 0.01` so nothing looks free that isn't.
 */
export function formatMoney(amount: string, currency: string): string {
  const value = new Money(amount);
  if (!value.isZero() && value.abs().lt('0.005')) return `${currency} ${value.isNeg() ? '> -0.01' : '< 0.01'}`;
  const fixed = value.toFixed(2, Decimal.ROUND_HALF_UP);
  const negative = fixed.startsWith('-');
  const [whole, cents] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${currency} ${negative ? '-' : ''}${grouped}.${cents}`;
}
