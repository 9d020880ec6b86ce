import type { SavingView } from '../../app/show-saving.js';
import { Money } from '../../domain/money.js';
import { estimateVersusMeasured } from '../../domain/saving-measurement.js';
import type { BudgetRevisionView, SavingDecisionView, SavingSignOffView } from '../../messages/views/savings-sign-off-request.js';

/** A saving as its sign-off request shows it: estimate vs measured by month, overlaps, evidence, and the decision once made. */
export function savingSignOffView(v: SavingView, timeZone: string): SavingSignOffView {
  const s = v.saving;
  const decision = savingDecision(v);
  const totals = estimateVersusMeasured(v.measurement);
  return {
    savingId: s.id,
    title: s.title,
    lever: s.lever,
    leverKind: s.leverKind,
    type: s.type,
    costCenter: s.costCenter,
    proposer: s.proposer,
    currency: s.currency,
    estimateMonthly: s.estimateMonthly,
    months: v.measurement.months.map((m) => ({ month: m.month, estimate: m.estimate, measured: m.measured })),
    ...(totals ? { totals: { estimate: totals.estimate, measured: totals.measured, difference: totals.difference, priceEffect: totals.priceEffect } } : {}),
    overlaps: v.overlaps.map((o) => ({ savingId: o.id, title: o.title })),
    evidence: s.evidence ? [/^https?:\/\/\S+$/.test(s.evidence) ? { label: s.evidence, url: s.evidence } : { label: s.evidence }] : [],
    status: s.status,
    ...(decision ? { decision } : {}),
    timeZone,
  };
}

function savingDecision(v: SavingView): SavingDecisionView | undefined {
  const s = v.saving;
  if (s.status === 'rejected' || s.status === 'withdrawn') {
    return { outcome: s.status, by: s.closedBy ?? '?', at: s.updatedAt, ...(s.rejectReason ? { reason: s.rejectReason } : {}) };
  }
  if (s.status !== 'recognized') return undefined;
  const revision = budgetRevision(v);
  return {
    outcome: 'recognized',
    by: s.recognizedBy ?? '?',
    at: s.updatedAt,
    ...(s.recognizedMonthly !== null ? { recognizedMonthly: s.recognizedMonthly } : {}),
    ...(s.recognizedFrom !== null ? { fromMonth: s.recognizedFrom } : {}),
    ...(revision ? { budgetRevision: revision } : {}),
  };
}

/** The standing (not reversed) revision rows, summarised: first and last month and the monthly reduction. */
function budgetRevision(v: SavingView): BudgetRevisionView | undefined {
  const standing = v.revisions.filter((r) => r.reverses === null && r.reversedBy === null).sort((a, b) => a.month.localeCompare(b.month));
  const first = standing[0];
  const last = standing[standing.length - 1];
  if (!first || !last) return undefined;
  return { costCenter: first.costCenter, fromMonth: first.month, toMonth: last.month, monthlyAmount: new Money(first.amount).abs().toFixed(), currency: first.currency };
}
