import { authorize } from '../../app/authorization-policy.js';
import { classifySpendForm } from '../../messages/views/classify-spend-form.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { actionIds } from '../../messages/views/interaction-ids.js';
import type { ChatAction } from './chat-action.js';
import { classificationOf, showClassification, unclassifiedVendor } from './classify-spend-state.js';

/**
 * **Classify** on unclassified new spend: opens the classify form (AI preselected for AI spend) for
 * finops, itfm or admin (the `classify` policy row) when the vendor is still unclassified that month;
 * a vendor already classified gets a private note naming who did it.
 */
export const classifySpendAction: ChatAction = {
  actionId: actionIds.classifySpend,
  requiresPerson: true,
  async run(payload, request) {
    const vendor = payload.vendor ?? '';
    const period = payload.period ?? '';
    if (!vendor || !/^\d{4}-\d{2}$/.test(period)) return { reply: errorMessage({ code: 'INPUT_INVALID', message: 'This button does not name a vendor and month.' }) };
    const person = request.requester.person!;
    const allowed = await authorize(request.store.db, {
      action: 'classify',
      actor: person.id,
      surface: request.requester.surface,
      auditAction: 'spend.classify',
      subjectType: 'vendor',
      subjectId: `${vendor}:${period}`,
    });
    if (!allowed.ok) return { reply: errorMessage({ code: 'FORBIDDEN', message: allowed.message }) };
    const existing = await classificationOf(request, vendor, period);
    if (existing) {
      await showClassification(request, request.clicked, vendor, period, existing);
      return { reply: errorMessage({ code: 'ALREADY_DECIDED', message: `@${existing.appliedBy} classified ${vendor} as ${existing.definition.category} (contract ${existing.definition.id}).` }) };
    }
    const found = await unclassifiedVendor(request, vendor, period);
    if (!found) return { reply: errorMessage({ code: 'NOT_FOUND', message: `${vendor} has no unclassified spend in ${period} any more: a contract covers it now.` }) };
    const f = classifySpendForm({
      vendor,
      period,
      ...(found.serviceCategories.includes('AI and Machine Learning') ? { suggestedCategory: 'ai' as const } : {}),
      clicker: person.email ?? person.id,
    });
    return { openForm: f };
  },
};
