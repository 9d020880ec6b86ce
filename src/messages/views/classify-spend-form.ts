import { form, searchSelectInput, selectInput, textInput, type Form } from '../form-model.js';
import { text } from '../message-blocks.js';
import { md } from '../rich-text.js';
import { formIds, optionSources } from './interaction-ids.js';

/** The contract categories new spend can be classified into. */
export const spendCategories = ['cloud', 'saas', 'ai', 'license', 'data-platform', 'on-premises'] as const;

/** What the classify form needs. */
export interface ClassifySpendFormView {
  readonly vendor: string;
  readonly period: string;
  readonly suggestedCategory?: (typeof spendCategories)[number];
  /** Prefills the owner (the person who clicked). */
  readonly clicker: string;
}

/** The **Classify** form: category, GL account, cost center and owner for a contract from the vendor. */
export function classifySpendForm(view: ClassifySpendFormView): Form {
  return form({
    title: 'Classify new spend',
    submitLabel: 'Classify',
    callbackId: formIds.classifySpend,
    privateMetadata: JSON.stringify({ vendor: view.vendor, period: view.period }),
    intro: [text(md`A contract for *${view.vendor}* (first seen ${view.period}) so its invoices arrive classified.`)],
    inputs: [
      selectInput(
        'category',
        'Category',
        spendCategories.map((c) => ({ value: c, label: c })),
        view.suggestedCategory === undefined ? {} : { initialValue: view.suggestedCategory },
      ),
      textInput('glAccount', 'GL account'),
      searchSelectInput('costCenter', 'Cost center', optionSources.costCenters),
      textInput('owner', 'Owner', { initialValue: view.clicker }),
    ],
  });
}
