import type { Store } from '../store/database.js';
import type { Surface } from '../store/audit-log.js';
import { getSaving, listBudgetRevisions, listSavings, savingHistory, type BudgetRevision } from '../store/savings.js';
import type { Saving } from '../domain/saving.js';
import type { SavingMeasurement } from '../domain/saving-measurement.js';
import { savingOverlaps } from '../domain/saving-overlap.js';
import { measureSaving } from './measure-saving.js';
import { refuse, type SavingFailure } from './saving-decision.js';

/** What an approver looks at before signing. */
export interface SavingView {
  readonly ok: true;
  readonly saving: Saving;
  /** Estimate vs measured by month, with the method's assumptions. */
  readonly measurement: SavingMeasurement;
  /** Validated or recognized savings whose scope and period overlap this one. */
  readonly overlaps: ReadonlyArray<Pick<Saving, 'id' | 'title' | 'status' | 'costCenter' | 'lever' | 'recognizedMonthly' | 'currency'>>;
  readonly revisions: readonly BudgetRevision[];
  readonly history: ReadonlyArray<{ at: string; actor: string; surface: string; action: string }>;
}

/** One saving with estimate vs measured by month, overlaps, evidence, budget revisions and history. */
export async function showSaving(store: Store, request: { id: string; actor?: string; surface?: Surface }): Promise<SavingView | SavingFailure> {
  const saving = await getSaving(store.db, request.id);
  if (!saving) return refuse('NOT_FOUND', `no saving ${JSON.stringify(request.id)}; see costbridge savings list`);
  const decided = [...(await listSavings(store.db, { status: 'validated' })), ...(await listSavings(store.db, { status: 'recognized' }))];
  const overlapIds = savingOverlaps(saving, decided);
  const overlaps = decided
    .filter((s) => overlapIds.includes(s.id))
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((s) => ({ id: s.id, title: s.title, status: s.status, costCenter: s.costCenter, lever: s.lever, recognizedMonthly: s.recognizedMonthly, currency: s.currency }));
  const measurement = await measureSaving(store, saving);
  const revisions = await listBudgetRevisions(store.db, { savingId: saving.id });
  const history = (await savingHistory(store.db, saving.id)).map(({ at, actor, surface, action }) => ({ at, actor, surface, action }));
  return { ok: true, saving, measurement, overlaps, revisions, history };
}
