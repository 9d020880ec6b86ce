import type { ContentBlock } from './message-model.js';
import { checkIdentifier, maxFormInputs, maxFormTextChars, maxOptions, maxOptionValueLength, maxPrivateMetadataLength } from './model-limits.js';

// Forms (a Slack modal, a Teams card with inputs): the submitted values come back keyed by input
// id, together with the callback id and the private metadata (ids of what the form is about).

/** A choice in a select or radio group. */
export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

interface InputBase {
  readonly id: string;
  readonly label: string;
  readonly required: boolean;
  /** Help shown with the input. */
  readonly hint?: string;
}

/** A drop-down over a fixed list of options. */
export interface SelectInput extends InputBase {
  readonly kind: 'select';
  readonly options: readonly SelectOption[];
  readonly initialValue?: string;
}

/** A drop-down whose options the app returns while the person types (Slack external select, Teams Data.Query). */
export interface SearchSelectInput extends InputBase {
  readonly kind: 'search-select';
  /** Names the option source the adapter queries (`cost-centers`). */
  readonly optionsSource: string;
  readonly initialOption?: SelectOption;
}

/** Free text, one line or several. */
export interface TextInput extends InputBase {
  readonly kind: 'text';
  readonly multiline: boolean;
  readonly initialValue?: string;
  readonly maxLength?: number;
}

/** A number, kept as an exact decimal string (`min`/`max`/`initialValue` too). */
export interface NumberInput extends InputBase {
  readonly kind: 'number';
  readonly decimal: boolean;
  readonly min?: string;
  readonly max?: string;
  readonly initialValue?: string;
}

/** Radio buttons: one choice among a few options, all visible. */
export interface ChoiceInput extends InputBase {
  readonly kind: 'choice';
  readonly options: readonly SelectOption[];
  readonly initialValue?: string;
}

/** Any form input. */
export type FormInput = SelectInput | SearchSelectInput | TextInput | NumberInput | ChoiceInput;

/** Blocks a form may show above its inputs. */
export type FormIntroBlock = Exclude<ContentBlock, { kind: 'actions' }>;

/** A form: title, submit label, callback id (which use case), private metadata (ids), intro blocks and inputs. */
export interface Form {
  readonly title: string;
  readonly submitLabel: string;
  readonly callbackId: string;
  readonly privateMetadata: string;
  readonly intro: readonly FormIntroBlock[];
  readonly inputs: readonly FormInput[];
}

/** Input ids Teams reserves in the submitted data (the form's metadata, a dialog's callback id and Teams' own key travel under these). */
export const reservedInputIds: readonly string[] = ['metadata', 'verb', 'msteams'];

/** A form; checks ids, metadata length, option values and that initial values are among the options. */
export function form(spec: Form): Form {
  checkIdentifier(spec.callbackId, 'form callbackId');
  if (spec.privateMetadata.length > maxPrivateMetadataLength) throw new RangeError(`form ${spec.callbackId} privateMetadata is ${spec.privateMetadata.length} characters; at most ${maxPrivateMetadataLength}`);
  if (spec.inputs.length === 0 || spec.inputs.length > maxFormInputs) throw new RangeError(`form ${spec.callbackId} needs 1-${maxFormInputs} inputs, got ${spec.inputs.length}`);
  const ids = new Set<string>();
  for (const input of spec.inputs) {
    checkIdentifier(input.id, 'form input id');
    if (reservedInputIds.includes(input.id)) throw new RangeError(`form input id ${input.id} is reserved`);
    if (ids.has(input.id)) throw new RangeError(`form ${spec.callbackId} has two inputs with id ${input.id}`);
    ids.add(input.id);
    checkInput(input);
  }
  const chars = formTextChars(spec);
  if (chars > maxFormTextChars) throw new RangeError(`form ${spec.callbackId} carries ${chars} characters of labels, hints, values and options; at most ${maxFormTextChars} (use a search select for long lists)`);
  return spec;
}

// Per input: overhead for the JSON around it, the label twice (label and required message), hint,
// initial value, and each option's value and label with its own overhead.
function formTextChars(spec: Form): number {
  return spec.inputs.reduce((n, input) => {
    const options = input.kind === 'select' || input.kind === 'choice' ? input.options : input.kind === 'search-select' && input.initialOption ? [input.initialOption] : [];
    const initial = input.kind === 'search-select' ? '' : (input.initialValue ?? '');
    return n + 120 + 2 * input.label.length + (input.hint?.length ?? 0) + initial.length + options.reduce((m, o) => m + 30 + o.value.length + o.label.length, 0);
  }, spec.title.length + spec.submitLabel.length);
}

function checkInput(input: FormInput): void {
  switch (input.kind) {
    case 'select':
    case 'choice': {
      if (input.options.length === 0 || input.options.length > maxOptions) throw new RangeError(`input ${input.id} needs 1-${maxOptions} options, got ${input.options.length} (use a search select for long lists)`);
      const values = new Set<string>();
      for (const o of input.options) {
        checkOptionValue(input.id, o.value);
        if (values.has(o.value)) throw new RangeError(`input ${input.id} has two options with value ${JSON.stringify(o.value)}`);
        values.add(o.value);
      }
      if (input.initialValue !== undefined && !values.has(input.initialValue)) throw new RangeError(`input ${input.id} initial value ${JSON.stringify(input.initialValue)} is not one of its options`);
      return;
    }
    case 'search-select':
      checkIdentifier(input.optionsSource, `input ${input.id} optionsSource`);
      if (input.initialOption) checkOptionValue(input.id, input.initialOption.value);
      return;
    case 'text':
      if (input.maxLength !== undefined && !(Number.isInteger(input.maxLength) && input.maxLength > 0)) throw new RangeError(`input ${input.id} maxLength must be a positive integer`);
      return;
    case 'number':
      for (const [name, v] of [['min', input.min], ['max', input.max], ['initialValue', input.initialValue]] as const) {
        if (v !== undefined && !(input.decimal ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/).test(v)) throw new RangeError(`input ${input.id} ${name} must be ${input.decimal ? 'a decimal' : 'an integer'} string, got ${JSON.stringify(v)}`);
      }
      return;
  }
}

function checkOptionValue(inputId: string, value: string): void {
  if (value === '' || value.length > maxOptionValueLength) throw new RangeError(`input ${inputId} option value must be 1-${maxOptionValueLength} characters, got ${JSON.stringify(value)}`);
}

/** A select over fixed options. */
export function selectInput(id: string, label: string, options: readonly SelectOption[], extra: { required?: boolean; initialValue?: string; hint?: string } = {}): SelectInput {
  return { kind: 'select', id, label, options, required: extra.required ?? true, ...opt('initialValue', extra.initialValue), ...opt('hint', extra.hint) };
}

/** A select whose options come from `optionsSource` as the person types. */
export function searchSelectInput(id: string, label: string, optionsSource: string, extra: { required?: boolean; initialOption?: SelectOption; hint?: string } = {}): SearchSelectInput {
  return { kind: 'search-select', id, label, optionsSource, required: extra.required ?? true, ...opt('initialOption', extra.initialOption), ...opt('hint', extra.hint) };
}

/** A text input. */
export function textInput(id: string, label: string, extra: { multiline?: boolean; required?: boolean; initialValue?: string; hint?: string; maxLength?: number } = {}): TextInput {
  return {
    kind: 'text',
    id,
    label,
    multiline: extra.multiline ?? false,
    required: extra.required ?? true,
    ...opt('initialValue', extra.initialValue),
    ...opt('hint', extra.hint),
    ...opt('maxLength', extra.maxLength),
  };
}

/** A number input (values stay decimal strings). */
export function numberInput(id: string, label: string, extra: { decimal?: boolean; min?: string; max?: string; required?: boolean; initialValue?: string; hint?: string } = {}): NumberInput {
  return {
    kind: 'number',
    id,
    label,
    decimal: extra.decimal ?? false,
    required: extra.required ?? true,
    ...opt('min', extra.min),
    ...opt('max', extra.max),
    ...opt('initialValue', extra.initialValue),
    ...opt('hint', extra.hint),
  };
}

/** Radio buttons. */
export function choiceInput(id: string, label: string, options: readonly SelectOption[], extra: { required?: boolean; initialValue?: string; hint?: string } = {}): ChoiceInput {
  return { kind: 'choice', id, label, options, required: extra.required ?? true, ...opt('initialValue', extra.initialValue), ...opt('hint', extra.hint) };
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
