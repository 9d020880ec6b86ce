import { monthAt } from '../../domain/saving-recognition.js';
import { Money } from '../../domain/money.js';
import { approveSavingForm } from '../../messages/views/approve-saving-form.js';
import { actionIds } from '../../messages/views/interaction-ids.js';
import type { ChatAction } from './chat-action.js';
import { savingForSignOff } from './saving-sign-off-state.js';

/** `YYYY-MM` plus `n` months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * **Approve** on a savings sign-off request: itfm people (never the proposer) get the approve form
 * (recognized amount a month, first month), its session holding the saving's version as they saw it;
 * anyone else a private refusal saying why.
 */
export const approveSavingAction: ChatAction = {
  actionId: actionIds.approveSaving,
  requiresPerson: true,
  async run(payload, request) {
    const found = await savingForSignOff(request, payload.savingId, 'approve');
    if ('reply' in found) return found;
    const v = found.view;
    const s = v.saving;
    const current = monthAt(request.now, request.config.timezone);
    const effective = s.effectiveDate.slice(0, 7);
    const suggested = effective > current ? effective : current;
    const last = s.endDate ? s.endDate.slice(0, 7) : addMonths(suggested, 11);
    const periods: string[] = [];
    for (let m = effective; m <= last && periods.length < 24; m = addMonths(m, 1)) periods.push(m);
    if (!periods.includes(suggested)) periods.push(suggested);
    const measured = v.measurement.months;
    const f = approveSavingForm({
      savingId: s.id,
      title: s.title,
      currency: s.currency,
      estimateMonthly: s.estimateMonthly,
      ...(measured.length > 0 ? { measuredMonthly: new Money(v.measurement.total).div(measured.length).toFixed() } : {}),
      suggestedAmount: s.recognizedMonthly ?? s.estimateMonthly,
      periods,
      suggestedPeriod: suggested,
    });
    return { openForm: f, subjectVersion: String(s.version) };
  },
};
