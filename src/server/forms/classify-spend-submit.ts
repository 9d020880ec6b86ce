import { contractCategories, type ContractCategory } from '../../domain/contract-document.js';
import { booksEffectDetail } from '../../messages/views/books-effect.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { decisionConfirmation } from '../../messages/views/decision-confirmation.js';
import { errorMessage } from '../../messages/views/error-message.js';
import { formIds, optionSources } from '../../messages/views/interaction-ids.js';
import { classificationOf, showClassification, unclassifiedVendor } from '../actions/classify-spend-state.js';
import { applyClassification } from './classified-contract.js';
import type { ChatForm } from './chat-form.js';
import { formText, readFormMetadata } from './form-origin.js';

/**
 * The classify form's submission: a contract for the vendor from the month first seen, with the
 * chosen category, GL account, cost center and owner, applied through the contracts use case (its
 * lines re-attributed, audited); the alert then shows who classified it.
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
  async submit(s, request) {
    const { ids, origin } = readFormMetadata(s.privateMetadata);
    const where = origin ? { replyIn: origin.target } : {};
    const vendor = typeof ids.vendor === 'string' ? ids.vendor : '';
    const period = typeof ids.period === 'string' && /^\d{4}-\d{2}$/.test(ids.period) ? ids.period : '';
    if (!vendor || !period) return { reply: errorMessage({ code: 'INPUT_INVALID', message: 'This form does not say which vendor it classifies; click Classify again.' }) };
    const earlier = await classificationOf(request, vendor, period);
    if (earlier) {
      await showClassification(request, origin, vendor, period, earlier);
      return { reply: errorMessage({ code: 'ALREADY_DECIDED', message: `@${earlier.appliedBy} classified ${vendor} as ${earlier.definition.category} (contract ${earlier.definition.id}).` }), ...where };
    }
    const found = await unclassifiedVendor(request, vendor, period);
    const person = request.requester.person!;
    let applied;
    try {
      applied = await applyClassification(
        request.store,
        {
          vendor,
          provider: found?.provider ?? null,
          period,
          category: formText(s.values.category) as ContractCategory,
          glAccount: formText(s.values.glAccount)!,
          costCenter: formText(s.values.costCenter)!,
          owner: formText(s.values.owner),
        },
        { actor: person.id, surface: request.requester.surface },
      );
    } catch (e) {
      if (!(e instanceof CostbridgeError)) throw e;
      return { reply: errorMessage({ code: e.code, message: e.message, details: e.details.map((d) => d.replace(/^[^:]*\.yaml:/, 'form:')) }), ...where };
    }
    const stored = await classificationOf(request, vendor, period);
    if (stored) await showClassification(request, origin, vendor, period, stored);
    const reply = decisionConfirmation({
      decision: 'Classified',
      subject: `${vendor} (first seen ${period})`,
      details: [
        { label: 'Contract', value: applied.id },
        { label: 'Category', value: formText(s.values.category)! },
        { label: 'GL account', value: formText(s.values.glAccount)! },
        { label: 'Cost center', value: formText(s.values.costCenter)! },
        { label: 'Lines re-attributed', value: String(applied.linesChanged) },
        booksEffectDetail(applied.books),
      ],
      by: person.id,
      at: (stored?.appliedAt ?? request.now).toISOString(),
      timeZone: request.config.timezone,
    });
    return { reply, ...where };
  },
};
