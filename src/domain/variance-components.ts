import { Money } from './money.js';

/** The parts a variance is split into; they always sum to the variance exactly. */
export const varianceComponentNames = [
  'rate',
  'volume',
  'new',
  'discontinued',
  'mix',
  'purchases',
  'credits',
  'tax',
  'adjustments',
  'unquantified',
  'baselineGap',
] as const;

/** One component of a variance. */
export type VarianceComponentName = (typeof varianceComponentNames)[number];

/** Every component as an exact decimal string ("0" when absent). */
export type VarianceComponents = Readonly<Record<VarianceComponentName, string>>;

/** Mutable exact sums per component, while a decomposition is being built. */
export type ComponentSums = Record<VarianceComponentName, Money>;

/** All components at zero. */
export function zeroComponentSums(): ComponentSums {
  const out = {} as ComponentSums;
  for (const name of varianceComponentNames) out[name] = new Money(0);
  return out;
}

/** Exact decimal strings of component sums. */
export function componentStrings(sums: ComponentSums): VarianceComponents {
  const out = {} as Record<VarianceComponentName, string>;
  for (const name of varianceComponentNames) out[name] = sums[name].toFixed();
  return out;
}

/** The exact sum of all components. */
export function sumComponents(components: VarianceComponents | ComponentSums): Money {
  let total = new Money(0);
  for (const name of varianceComponentNames) total = total.plus(components[name]);
  return total;
}

/** Parses a component name as typed on the command line (`rate`, `baseline-gap` or `baselineGap`). */
export function parseVarianceComponent(text: string): VarianceComponentName | undefined {
  const t = text.trim();
  const camel = t.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return varianceComponentNames.find((n) => n === camel || n.toLowerCase() === camel.toLowerCase());
}
