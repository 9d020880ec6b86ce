import { parseVarianceComponent, varianceComponentNames, type VarianceComponentName } from './variance-components.js';

/** The longest explanation text accepted (a chat message, not an essay). */
export const explanationMaxLength = 4000;

/** A person's explanation of one variance component, checked and normalized. */
export interface ExplanationDraft {
  readonly component: VarianceComponentName;
  readonly planned: boolean;
  readonly text: string;
  /** The savings record a planned component refers to. */
  readonly savingId: string | null;
  /** Or the engineering change, in free text. */
  readonly change: string | null;
}

/** What someone submitted, before checking. */
export interface ExplanationInput {
  readonly component: string;
  readonly planned: boolean;
  readonly text: string;
  readonly savingId?: string | null | undefined;
  readonly change?: string | null | undefined;
}

/**
 * Checks an explanation: a known component, a non-empty text, and for a planned component the action
 * it was planned by (a saving id or a described change). Returns the problem in words otherwise.
 */
export function checkExplanation(input: ExplanationInput): { ok: true; draft: ExplanationDraft } | { ok: false; message: string } {
  const component = parseVarianceComponent(input.component);
  if (!component) return { ok: false, message: `component must be one of ${varianceComponentNames.join(', ')}, got ${JSON.stringify(input.component)}` };
  const text = input.text.trim();
  if (text === '') return { ok: false, message: 'the explanation text is empty' };
  if (text.length > explanationMaxLength) return { ok: false, message: `the explanation text is ${text.length} characters; at most ${explanationMaxLength} are accepted` };
  const savingId = input.savingId?.trim() || null;
  const change = input.change?.trim() || null;
  if (input.planned && !savingId && !change) {
    return { ok: false, message: 'a planned variance must name the action it was planned by: a saving id or the engineering change' };
  }
  return { ok: true, draft: { component, planned: input.planned, text, savingId, change } };
}
