import { formatMoney } from '../../domain/money.js';
import { choiceInput, form, searchSelectInput, selectInput, textInput, type Form } from '../form-model.js';
import { context, text } from '../message-blocks.js';
import { md } from '../rich-text.js';
import { formIds, optionSources } from './interaction-ids.js';

/** What the claim form needs about the item and the person who clicked **Claim**. */
export interface ClaimFormView {
  readonly itemId: string;
  readonly provider: string;
  readonly service: string;
  readonly period: string;
  readonly effectiveCost: string;
  readonly billedCost: string;
  readonly currency: string;
  /** Prefills the owner (the person who clicked). */
  readonly clicker: string;
  /** Environment choices (default production, staging, development, test). */
  readonly environments?: readonly string[];
}

/** Private metadata of the claim form. */
export interface ClaimFormMetadata {
  readonly itemId: string;
}

const defaultEnvironments = ['production', 'staging', 'development', 'test'];

/** The **Claim** form: cost center (searched in master data), application, environment, project, owner, scope. */
export function claimForm(view: ClaimFormView): Form {
  const metadata: ClaimFormMetadata = { itemId: view.itemId };
  return form({
    title: 'Claim spend',
    submitLabel: 'Claim',
    callbackId: formIds.claimItem,
    privateMetadata: JSON.stringify(metadata),
    intro: [
      text(md`*${view.provider} · ${view.service}* in ${view.period}`),
      context(`Effective (amortized) ${formatMoney(view.effectiveCost, view.currency)} · Billed (invoiced) ${formatMoney(view.billedCost, view.currency)}`),
    ],
    inputs: [
      searchSelectInput('costCenter', 'Cost center', optionSources.claimableCostCenters, { hint: 'Type a code or a name: the cost centers you may claim for.' }),
      textInput('application', 'Application', { required: false }),
      selectInput(
        'environment',
        'Environment',
        (view.environments ?? defaultEnvironments).map((e) => ({ value: e, label: e })),
        { required: false },
      ),
      textInput('project', 'Project', { required: false }),
      textInput('owner', 'Owner', { initialValue: view.clicker, hint: 'The accountable person or team.' }),
      choiceInput(
        'scope',
        'Apply to',
        [
          { value: 'item', label: 'Only the spend in this item' },
          { value: 'future', label: 'This item and all future matching spend' },
        ],
        { initialValue: 'item' },
      ),
    ],
  });
}
