import type { Form } from '../../messages/form-model.js';

/** One entry of a Slack `view.state.values[block_id][action_id]`. */
export interface SlackStateValue {
  readonly type: string;
  readonly value?: string | null;
  readonly selected_option?: { readonly value: string } | null;
}

/**
 * The submitted values of a form rendered by `renderSlackModal`, keyed by input id (each input's
 * block_id and action_id is its id); an empty or absent value is undefined.
 */
export function slackFormValues(form: Form, state: Readonly<Record<string, Readonly<Record<string, SlackStateValue>>>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const input of form.inputs) {
    const entry = state[input.id]?.[input.id];
    const value = entry?.selected_option?.value ?? entry?.value ?? undefined;
    out[input.id] = value === null || value === '' ? undefined : value;
  }
  return out;
}
