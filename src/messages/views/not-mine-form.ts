import { form, textInput, type Form } from '../form-model.js';
import { text } from '../message-blocks.js';
import { md } from '../rich-text.js';
import { formIds } from './interaction-ids.js';

/** What the "not mine" form needs. */
export interface NotMineFormView {
  readonly itemId: string;
  readonly provider: string;
  readonly service: string;
  readonly period: string;
}

/** The **Not mine** form: a reason that goes back to FinOps with the item. */
export function notMineForm(view: NotMineFormView): Form {
  return form({
    title: 'Not mine',
    submitLabel: 'Send to FinOps',
    callbackId: formIds.notMineItem,
    privateMetadata: JSON.stringify({ itemId: view.itemId }),
    intro: [text(md`*${view.provider} · ${view.service}* in ${view.period} goes back to FinOps with your reason.`)],
    inputs: [textInput('reason', 'Why is it not yours?', { multiline: true, maxLength: 2000, hint: 'If you know who owns it, say so.' })],
  });
}
