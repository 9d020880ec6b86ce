import { formatMoney, Money } from '../../domain/money.js';
import { basisLabel, formatInstant } from '../cost-bases.js';
import { actions, button, context, field, fields, header, message, table, text } from '../message-blocks.js';
import type { ContentBlock, Message } from '../message-model.js';
import { md } from '../rich-text.js';
import { actionIds } from './interaction-ids.js';

/** One stored explanation of a variance component. */
export interface VarianceExplanationView {
  readonly component: string;
  readonly planned: boolean;
  readonly text: string;
  readonly by: string;
  /** ISO instant. */
  readonly at: string;
}

/** A material variance waiting for its owner's explanation (mapped from the variance use case). */
export interface VarianceExplanationRequestView {
  readonly period: string;
  readonly costCenter: string;
  readonly against: 'budget' | 'forecast' | 'previous';
  readonly basis: 'effective' | 'billed';
  readonly currency: string;
  readonly actual: string;
  readonly comparison: string;
  readonly variance: string;
  /** Components of the variance (rate, volume, new, …) with exact amounts. */
  readonly components: readonly { readonly component: string; readonly amount: string }[];
  readonly explanations: readonly VarianceExplanationView[];
  readonly timeZone?: string;
}

const againstLabel = { budget: 'Budget', forecast: 'Forecast', previous: 'Previous month' } as const;

/** Variance as a share of the comparison, one decimal (`+12.3%`), or undefined against zero. */
function share(variance: string, comparison: string): string | undefined {
  const base = new Money(comparison);
  if (base.isZero()) return undefined;
  const pct = new Money(variance).div(base.abs()).times(100);
  return `${pct.isNeg() ? '' : '+'}${pct.toFixed(1)}%`;
}

/** One explanation as a line: component, planned or not, who, when, what. */
export function explanationNote(e: VarianceExplanationView, timeZone?: string): ContentBlock {
  return context(md`*${e.component}* (${e.planned ? 'planned' : 'unplanned'}) by @${e.by}, ${formatInstant(e.at, timeZone)}: `, e.text);
}

/** **Explain** of a cost center's variance in a month (the same wherever the variance is shown). */
export function explainButton(period: string, costCenter: string): ContentBlock {
  return actions(
    button(
      actionIds.explainVariance,
      'Explain',
      { period, scope: costCenter },
      { style: 'primary', cliHint: `npx costbridge variance explain --period ${period} --scope ${costCenter} --component COMPONENT --planned|--unplanned --text "..." --as YOU` },
    ),
  );
}

/** A material variance: amounts, components table, explanations so far, and **Explain**. */
export function varianceExplanationRequest(view: VarianceExplanationRequestView): Message {
  const money = (a: string) => formatMoney(a, view.currency);
  const pct = share(view.variance, view.comparison);
  const blocks: ContentBlock[] = [
    header(`Variance to explain · ${view.costCenter} · ${view.period}`),
    fields(
      field(`Actual, ${basisLabel(view.basis)}`, money(view.actual)),
      field(againstLabel[view.against], money(view.comparison)),
      field('Variance', pct ? `${money(view.variance)} (${pct})` : money(view.variance)),
    ),
  ];
  if (view.components.length > 0) {
    blocks.push(table([{ header: 'Component' }, { header: 'Amount', align: 'right' }], view.components.map((c) => [c.component, money(c.amount)])));
  }
  for (const e of view.explanations) blocks.push(explanationNote(e, view.timeZone));
  blocks.push(explainButton(view.period, view.costCenter));
  return message(`${view.costCenter} ${view.period}: variance ${money(view.variance)} against ${view.against} needs an explanation`, blocks);
}
