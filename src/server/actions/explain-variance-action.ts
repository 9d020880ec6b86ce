import { authorize } from '../../app/authorization-policy.js';
import { explanationVersion } from '../../app/explain-variance.js';
import { Money } from '../../domain/money.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { explainVarianceForm } from '../../messages/views/explain-variance-form.js';
import { actionIds } from '../../messages/views/interaction-ids.js';
import type { ChatAction } from './chat-action.js';
import { varianceRow } from './variance-state.js';

/**
 * **Explain** on a variance explanation request: for an owner of the cost center, finops or itfm
 * (the `explain-variance` policy row), opens the explain form with the variance's components
 * (unexplained ones first); its session records the explanations seen so far, so an explanation of
 * the same component stored meanwhile makes the submission a CONFLICT.
 */
export const explainVarianceAction: ChatAction = {
  actionId: actionIds.explainVariance,
  requiresPerson: true,
  async run(payload, request) {
    const period = payload.period ?? '';
    const scope = payload.scope ?? '';
    const found = /^\d{4}-\d{2}$/.test(period) && scope ? await varianceRow(request, period, scope) : undefined;
    if (!found) return { reply: errorMessage({ code: 'NOT_FOUND', message: `There is no variance of ${scope || '?'} in ${period || '?'} to explain.` }) };
    const allowed = await authorize(request.store.db, {
      action: 'explain-variance',
      actor: request.requester.person!.id,
      surface: request.requester.surface,
      costCenter: scope,
      auditAction: 'variance.explain',
      subjectType: 'variance',
      subjectId: `${period}:cost-center:${scope}`,
    });
    if (!allowed.ok) return { reply: errorMessage({ code: 'FORBIDDEN', message: allowed.message }) };
    const { row } = found;
    const nonZero = Object.entries(row.components).filter(([, a]) => !new Money(a).isZero()).map(([c]) => c);
    const components = [...new Set([...row.unexplainedComponents, ...nonZero])];
    if (components.length === 0) return { reply: errorMessage({ code: 'NOT_FOUND', message: `${scope} has no variance component in ${period} to explain.` }) };
    const f = explainVarianceForm({
      period,
      costCenter: scope,
      currency: row.currency,
      variance: row.variance,
      components,
      ...(row.unexplainedComponents[0] ? { initialComponent: row.unexplainedComponents[0] } : {}),
    });
    return { openForm: f, subjectVersion: String(await explanationVersion(request.store, { period, scope })) };
  },
};
