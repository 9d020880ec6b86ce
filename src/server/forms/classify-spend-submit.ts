import { classifyVendor } from '../../app/classify-vendor.js';
import { contractCategories, type ContractCategory } from '../../domain/contract-document.js';
import { booksEffectDetail } from '../../messages/views/books-effect.js';
import { decisionConfirmation } from '../../messages/views/decision-confirmation.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { formIds, optionSources } from '../../messages/views/interaction-ids.js';
import { showClassification } from '../actions/classify-spend-state.js';
import type { ChatForm } from './chat-form.js';
import { formText } from './form-text.js';

/**
 * The classify form's submission: `classifyVendor` as the clicker on the form session's vendor and
 * month (never the vendor the submitted data names): a contract for the vendor from that month, with
 * the chosen category, GL account, cost center and owner, applied through the contracts use case (its
 * lines re-attributed, audited). Only a vendor still in that month's unclassified list is classified;
 * only a recorded classification updates the alert the form came from.
 */
export const classifySpendSubmit: ChatForm = {
  callbackId: formIds.classifySpend,
  requiresPerson: true,
  searchInputs: { costCenter: optionSources.costCenters },
  validate(s) {
    const errors: Record<string, string> = {};
    if (!(contractCategories as readonly string[]).includes(formText(s.values.category) ?? '')) errors.category = `Pick one of ${contractCategories.join(', ')}.`;
    if (!formText(s.values.glAccount)) errors.glAccount = 'Enter the GL account its invoices book to.';
    if (!formText(s.values.costCenter)) errors.costCenter = 'Pick the cost center that owns this spend.';
    return Object.keys(errors).length > 0 ? errors : undefined;
  },
  async submit(s, request, session) {
    const vendor = session.subject.vendor ?? '';
    const period = session.subject.period ?? '';
    const person = request.requester.person!;
    const result = await classifyVendor(request.store, {
      vendor,
      period,
      category: formText(s.values.category) as ContractCategory,
      glAccount: formText(s.values.glAccount)!,
      costCenter: formText(s.values.costCenter)!,
      owner: formText(s.values.owner),
      governedCategories: request.config.attribution.governedCategories,
      actor: person.id,
      surface: request.requester.surface,
    });
    if (!result.ok) {
      if (result.code === 'CONFLICT') return { reply: errorMessage({ code: 'CONFLICT', message: result.message }), decision: 'conflict' };
      const code = result.code === 'FORBIDDEN' ? 'FORBIDDEN' : result.code === 'NOT_UNCLASSIFIED' ? 'NOT_FOUND' : 'INPUT_INVALID';
      const details = 'details' in result && result.details ? result.details.map((d) => d.replace(/^[^:]*:classify:/, 'form:')) : [];
      return { reply: errorMessage({ code, message: result.message, details }), decision: 'refused' };
    }
    if (result.contract) await showClassification(request, session.origin, vendor, period, result.contract);
    const reply = decisionConfirmation({
      decision: 'Classified',
      subject: `${vendor} (first seen ${period})`,
      details: [
        { label: 'Contract', value: result.applied.id },
        { label: 'Category', value: formText(s.values.category)! },
        { label: 'GL account', value: formText(s.values.glAccount)! },
        { label: 'Cost center', value: formText(s.values.costCenter)! },
        { label: 'Lines re-attributed', value: String(result.applied.linesChanged) },
        booksEffectDetail(result.applied.books),
      ],
      by: result.by,
      at: (result.contract?.appliedAt ?? request.now).toISOString(),
      timeZone: request.config.timezone,
    });
    return { reply };
  },
};
