import { explainVariance } from '../../app/explain-variance.js';
import { decisionConfirmation } from '../../messages/views/decision-confirmation.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { formIds } from '../../messages/views/interaction-ids.js';
import { showVarianceState } from '../actions/variance-state.js';
import type { ChatForm } from './chat-form.js';
import { formText } from './form-text.js';

/**
 * The explain form's submission: `explainVariance` as the clicker on the form session's variance, at
 * the version the form was opened on (someone explaining the same component since is a CONFLICT
 * naming them; nothing stored); only a stored explanation updates the message the form came from.
 */
export const explainVarianceSubmit: ChatForm = {
  callbackId: formIds.explainVariance,
  requiresPerson: true,
  validate(s) {
    const errors: Record<string, string> = {};
    if (!formText(s.values.component)) errors.component = 'Pick the component you explain.';
    const planned = formText(s.values.planned);
    if (planned !== 'planned' && planned !== 'unplanned') errors.planned = 'Say whether it was planned.';
    if (!formText(s.values.text)) errors.text = 'Explain what changed.';
    return Object.keys(errors).length > 0 ? errors : undefined;
  },
  async submit(s, request, session) {
    const period = session.subject.period ?? '';
    const scope = session.subject.scope ?? '';
    const result = await explainVariance(request.store, {
      ...(session.subjectVersion !== null ? { expectedVersion: Number(session.subjectVersion) } : {}),
      period,
      scope,
      component: formText(s.values.component)!,
      planned: formText(s.values.planned) === 'planned',
      text: formText(s.values.text)!,
      actor: request.requester.person!.id,
      surface: request.requester.surface,
    });
    if (!result.ok) {
      const code = result.code === 'INPUT_INVALID' || result.code === 'FORBIDDEN' || result.code === 'CONFLICT' ? result.code : 'NOT_FOUND';
      return { reply: errorMessage({ code, message: result.message }), decision: result.code === 'CONFLICT' ? 'conflict' : 'refused' };
    }
    const e = result.explanation;
    if (result.duplicate) return { reply: errorMessage({ code: 'CONFLICT', message: 'You had just stored this explanation; it was kept once.' }), decision: 'conflict' };
    await showVarianceState(request, session.origin, period, scope, e);
    const reply = decisionConfirmation({
      decision: 'Explained',
      subject: `${scope} ${period}, ${e.component} (${e.planned ? 'planned' : 'unplanned'})`,
      details: [{ label: 'Explanation', value: e.text }],
      by: e.author,
      at: e.at,
      timeZone: request.config.timezone,
    });
    return { reply };
  },
};
