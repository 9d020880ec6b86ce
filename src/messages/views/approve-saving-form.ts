import { formatMoney } from '../../domain/money.js';
import { form, numberInput, selectInput, type Form } from '../form-model.js';
import { context, text } from '../message-blocks.js';
import { code, md } from '../rich-text.js';
import { formIds } from './interaction-ids.js';

/** What the approve form needs. */
export interface ApproveSavingFormView {
  readonly savingId: string;
  readonly title: string;
  readonly currency: string;
  readonly estimateMonthly: string;
  /** Average measured saving a month, when there is data. */
  readonly measuredMonthly?: string;
  /** Prefilled recognized amount (exact decimal string). */
  readonly suggestedAmount: string;
  /** Months recognition may start in (`YYYY-MM`), and the one to preselect. */
  readonly periods: readonly string[];
  readonly suggestedPeriod?: string;
}

/** The **Approve** form: recognized monthly amount and the month recognition starts. */
export function approveSavingForm(view: ApproveSavingFormView): Form {
  const measured = view.measuredMonthly === undefined ? 'not measured yet' : `${formatMoney(view.measuredMonthly, view.currency)} a month measured`;
  return form({
    title: 'Approve saving',
    submitLabel: 'Approve',
    callbackId: formIds.approveSaving,
    privateMetadata: JSON.stringify({ savingId: view.savingId }),
    intro: [text(code(view.savingId), md` *${view.title}*`), context(`Estimate ${formatMoney(view.estimateMonthly, view.currency)} a month · ${measured}`)],
    inputs: [
      numberInput('amount', `Recognized amount a month (${view.currency})`, { decimal: true, min: '0', initialValue: view.suggestedAmount }),
      selectInput(
        'fromPeriod',
        'Recognize from',
        view.periods.map((p) => ({ value: p, label: p })),
        view.suggestedPeriod === undefined ? {} : { initialValue: view.suggestedPeriod },
      ),
    ],
  });
}
