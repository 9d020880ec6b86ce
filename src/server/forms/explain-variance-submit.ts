import { explainVariance } from '../../app/explain-variance.js';
import { decisionConfirmation } from '../../messages/views/decision-confirmation.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { formIds } from '../../messages/views/interaction-ids.js';
import { showVarianceState } from '../actions/variance-state.js';
import type { ChatForm } from './chat-form.js';
import { formText, readFormMetadata } from './form-origin.js';

/**
 * The explain form's submission: `explainVariance` as the clicker (an identical resubmission within a
 * minute is stored once), then the explanation request shows it for everyone.
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
  async submit(s, request) {
    const { ids, origin } = readFormMetadata(s.privateMetadata);
    const where = origin ? { replyIn: origin.target } : {};
    const period = typeof ids.period === 'string' ? ids.period : '';
    const scope = typeof ids.scope === 'string' ? ids.scope : '';
    const result = await explainVariance(request.store, {
      period,
      scope,
      component: formText(s.values.component)!,
      planned: formText(s.values.planned) === 'planned',
      text: formText(s.values.text)!,
      actor: request.requester.person!.id,
      surface: request.requester.surface,
    });
    if (!result.ok) return { reply: errorMessage({ code: result.code === 'INPUT_INVALID' ? 'INPUT_INVALID' : 'NOT_FOUND', message: result.message }), ...where };
    const e = result.explanation;
    await showVarianceState(request, origin, period, scope, `explanation:${e.id}`);
    if (result.duplicate) return { reply: errorMessage({ code: 'CONFLICT', message: 'You had just stored this explanation; it was kept once.' }), ...where };
    const reply = decisionConfirmation({
      decision: 'Explained',
      subject: `${scope} ${period}, ${e.component} (${e.planned ? 'planned' : 'unplanned'})`,
      details: [{ label: 'Explanation', value: e.text }],
      by: e.author,
      at: e.at,
      timeZone: request.config.timezone,
    });
    return { reply, ...where };
  },
};
