import type { Store } from '../store/database.js';
import { budgetLinesInYear, listBudgetRevisions, listSavings, type BudgetRevision } from '../store/savings.js';
import { Money } from '../domain/money.js';
import type { Saving } from '../domain/saving.js';
import { budgetYearMonths } from '../domain/saving-recognition.js';

/** One (month, cost center, category, currency) of the ledger: recognized savings and the budget before and after. */
export interface LedgerRow {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly costCenter: string;
  readonly category: string;
  readonly currency: string;
  /** Recognized cost reduction in the month (positive). */
  readonly reduction: string;
  /** Recognized cost avoidance in the month (positive); never lowers the budget. */
  readonly avoidance: string;
  /** Σ budget revisions of the month (negative lowers; reversals net to zero). */
  readonly budgetRevision: string;
  /** The imported budget, untouched; null when there is no budget line. */
  readonly originalBudget: string | null;
  /** originalBudget + budgetRevision; null when there is no budget line. */
  readonly revisedBudget: string | null;
}

/** The savings ledger of a budget (calendar) year. */
export interface SavingsLedger {
  readonly year: number;
  readonly rows: readonly LedgerRow[];
  /** Savings recognized for the year (status recognized now), each with the months it counts in. */
  readonly savings: ReadonlyArray<{ saving: Saving; months: readonly string[] }>;
  /** Every budget revision row in the year, reversals included, in id order. */
  readonly revisions: readonly BudgetRevision[];
}

/** Recognized savings by month and cost center, reduction and avoidance kept apart, and the budget revisions they produced. */
export async function savingsLedger(store: Store, request: { year: number }): Promise<SavingsLedger> {
  const { year } = request;
  const recognized = (await listSavings(store.db, { status: 'recognized' })).filter((s) => s.recognizedFrom?.startsWith(`${year}-`));
  const revisions = await listBudgetRevisions(store.db, { year });
  const rows = new Map<string, { month: string; costCenter: string; category: string; currency: string; reduction: Money; avoidance: Money; revision: Money }>();
  const row = (month: string, costCenter: string, category: string, currency: string) => {
    const key = JSON.stringify([month, costCenter, category, currency]);
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { month, costCenter, category, currency, reduction: new Money(0), avoidance: new Money(0), revision: new Money(0) }));
    return r;
  };
  const savings = recognized.map((saving) => {
    const months = budgetYearMonths(saving.recognizedFrom!)
      .map((m) => m.slice(0, 7))
      .filter((m) => saving.endDate === null || m <= saving.endDate.slice(0, 7));
    for (const m of months) {
      const r = row(m, saving.costCenter, saving.category, saving.currency);
      if (saving.type === 'reduction') r.reduction = r.reduction.plus(saving.recognizedMonthly!);
      else r.avoidance = r.avoidance.plus(saving.recognizedMonthly!);
    }
    return { saving, months };
  });
  for (const rev of revisions) {
    const r = row(rev.month, rev.costCenter, rev.category, rev.currency);
    r.revision = r.revision.plus(rev.amount);
  }
  const budget = await budgetLinesInYear(store.db, year, [...rows.values()].map((r) => r.costCenter));
  const out = [...rows.values()]
    .sort((a, b) => a.month.localeCompare(b.month) || a.costCenter.localeCompare(b.costCenter) || a.category.localeCompare(b.category) || a.currency.localeCompare(b.currency))
    .map((r): LedgerRow => {
      const line = budget.find((b) => b.month === r.month && b.costCenter === r.costCenter && b.category === r.category && b.currency === r.currency);
      return {
        month: r.month,
        costCenter: r.costCenter,
        category: r.category,
        currency: r.currency,
        reduction: r.reduction.toFixed(),
        avoidance: r.avoidance.toFixed(),
        budgetRevision: r.revision.toFixed(),
        originalBudget: line ? line.amount : null,
        revisedBudget: line ? new Money(line.amount).plus(r.revision).toFixed() : null,
      };
    });
  return { year, rows: out, savings, revisions };
}
