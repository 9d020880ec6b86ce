import { form, textInput, type Form } from '../form-model.js';
import { text } from '../message-blocks.js';
import { code, md } from '../rich-text.js';
import { formIds } from './interaction-ids.js';

/** What the reject form needs. */
export interface RejectSavingFormView {
  readonly savingId: string;
  readonly title: string;
}

/** The **Reject** form: the reason the proposer will read. */
export function rejectSavingForm(view: RejectSavingFormView): Form {
  return form({
    title: 'Reject saving',
    submitLabel: 'Reject',
    callbackId: formIds.rejectSaving,
    privateMetadata: JSON.stringify({ savingId: view.savingId }),
    intro: [text(code(view.savingId), md` *${view.title}*`)],
    inputs: [textInput('reason', 'Reason', { multiline: true, maxLength: 2000, hint: 'The proposer sees this.' })],
  });
}
