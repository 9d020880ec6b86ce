import type { Form } from '../../messages/form-model.js';

/**
 * The submitted values of a form rendered by `renderTeamsForm`, from the `Action.Execute` data Teams
 * sends (`{ metadata, <input id>: value, ... }`); an empty or absent value is undefined.
 */
export function teamsFormValues(form: Form, data: Readonly<Record<string, unknown>>): { values: Record<string, string | undefined>; metadata: string | undefined } {
  const values: Record<string, string | undefined> = {};
  for (const input of form.inputs) {
    const raw = data[input.id];
    values[input.id] = typeof raw === 'string' && raw !== '' ? raw : typeof raw === 'number' ? String(raw) : undefined;
  }
  return { values, metadata: typeof data.metadata === 'string' ? data.metadata : undefined };
}
