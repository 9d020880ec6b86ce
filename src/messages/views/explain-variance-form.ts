import { formatMoney } from '../../domain/money.js';
import { choiceInput, form, selectInput, textInput, type Form } from '../form-model.js';
import { text } from '../message-blocks.js';
import { md } from '../rich-text.js';
import { formIds } from './interaction-ids.js';

/** What the explain form needs. */
export interface ExplainVarianceFormView {
  readonly period: string;
  readonly costCenter: string;
  readonly currency: string;
  readonly variance: string;
  /** Components to choose from (the variance's components). */
  readonly components: readonly string[];
  readonly initialComponent?: string;
}

/** The **Explain** form: component, planned or unplanned, and the explanation. */
export function explainVarianceForm(view: ExplainVarianceFormView): Form {
  return form({
    title: 'Explain variance',
    submitLabel: 'Save explanation',
    callbackId: formIds.explainVariance,
    privateMetadata: JSON.stringify({ period: view.period, scope: view.costCenter }),
    intro: [text(md`*${view.costCenter}* · ${view.period}: variance ${formatMoney(view.variance, view.currency)}`)],
    inputs: [
      selectInput(
        'component',
        'Component',
        view.components.map((c) => ({ value: c, label: c })),
        view.initialComponent === undefined ? {} : { initialValue: view.initialComponent },
      ),
      choiceInput('planned', 'Was it planned?', [
        { value: 'planned', label: 'Planned' },
        { value: 'unplanned', label: 'Unplanned' },
      ]),
      textInput('text', 'Explanation', { multiline: true, maxLength: 2000, hint: 'What changed, and whether it continues.' }),
    ],
  });
}
