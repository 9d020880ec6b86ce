import { createHash } from 'node:crypto';
import type { BillingMonth } from '../domain/billing-month.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import { Money } from '../domain/money.js';
import { computeShowback } from '../domain/allocation-showback.js';
import { buildChargebackJournal, chargedByCostCenter, type ChargebackAccounts, type JournalEntry } from '../domain/journal.js';
import { journalCsvColumns, journalCsvRecords } from '../domain/journal-csv.js';
import { formulaSafeCsv } from '../output/formula-safe-csv.js';
import { writeOutputFile } from '../output/output-file.js';
import { reconcileChargeback, type CurrencyReconciliation } from '../domain/journal-reconciliation.js';
import type { Store } from '../store/database.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import { sumGlActuals, sumGlBookedForOtherPeriods, sumShowbackGroups } from '../store/showback-lines.js';
import { loadSharedPools } from './showback.js';

/** What a chargeback run is asked for. */
export interface ChargebackRequest {
  readonly period: BillingMonth;
  readonly basis: CostBasis;
  /** Where the journal CSV is written. */
  readonly out: string;
  /** Replace a file at `out` that is not an earlier chargeback journal. */
  readonly force?: boolean;
  readonly accounts: ChargebackAccounts;
  readonly sharedPoolsFile: string | undefined;
  readonly actor: string;
  readonly surface: Surface;
}

/** A chargeback: the journal entries written, and their reconciliation with GL actuals. */
export interface ChargebackResult {
  readonly period: string;
  readonly basis: CostBasis;
  readonly file: string;
  readonly sha256: string;
  readonly entries: readonly JournalEntry[];
  readonly reconciliation: readonly CurrencyReconciliation[];
}

/**
 * Builds the period's chargeback journal (one balanced entry per currency), writes it as CSV, and
 * reconciles it with the period's GL actuals per cost center: the difference, its timing part
 * (invoices billed here and booked in another GL period, or the reverse, for the same amount) and
 * its basis part (EffectiveCost instead of BilledCost), the rest unexplained. The export is audited.
 */
export async function runChargeback(store: Store, request: ChargebackRequest): Promise<ChargebackResult> {
  const pools = await loadSharedPools(store, request.sharedPoolsFile);
  const groups = await sumShowbackGroups(store.db, request.period, pools, { withTiming: true });
  const key = request.period.key;
  const entries = buildChargebackJournal(key, request.basis, computeShowback(groups, pools, request.basis), request.accounts);
  const billedEntries =
    request.basis === 'billed' ? entries : buildChargebackJournal(key, 'billed', computeShowback(groups, pools, 'billed'), request.accounts);

  const gl = await sumGlActuals(store.db, request.period);
  const bookedHere = await sumGlBookedForOtherPeriods(store.db, request.period);
  const currencies = [...new Set([...entries.map((e) => e.currency), ...gl.map((g) => g.currency)])].sort();
  const reconciliation = currencies.map((currency) => {
    const entry = entries.find((e) => e.currency === currency);
    const billedEntry = billedEntries.find((e) => e.currency === currency);
    const charged = entry ? chargedByCostCenter(entry) : new Map<string, string>();
    const chargedBilled = billedEntry ? chargedByCostCenter(billedEntry) : new Map<string, string>();
    const basis = new Map<string, string>();
    if (request.basis !== 'billed') {
      for (const code of new Set([...charged.keys(), ...chargedBilled.keys()])) {
        basis.set(code, new Money(charged.get(code) ?? 0).minus(chargedBilled.get(code) ?? 0).toFixed());
      }
    }
    const timing = new Map<string, Money>();
    const add = (code: string, amount: Money) => timing.set(code, (timing.get(code) ?? new Money(0)).plus(amount));
    for (const g of groups) {
      // Only directly attributed lines are traced to their invoice; pooled lines reach cost centers through allocation.
      if (g.currency === currency && g.bookedElsewhere && g.pool === null && g.costCenter !== null) add(g.costCenter, new Money(g.billed));
    }
    for (const b of bookedHere) if (b.currency === currency) add(b.costCenter, new Money(b.amount).neg());
    return reconcileChargeback({
      currency,
      chargeback: charged,
      gl: new Map(gl.filter((g) => g.currency === currency).map((g) => [g.costCenter, g.amount])),
      timing: new Map([...timing].map(([k, v]) => [k, v.toFixed()])),
      basis,
    });
  });

  const csv = formulaSafeCsv(journalCsvRecords(key, entries));
  const header = journalCsvColumns.join(',');
  await writeOutputFile(request.out, csv, { ownFirstLine: (line) => line === header, force: request.force ?? false, what: '--out' });
  const sha256 = createHash('sha256').update(csv).digest('hex');
  await store.db.transaction().execute((trx) =>
    recordAudit(trx, {
      actor: request.actor,
      surface: request.surface,
      action: 'chargeback.export',
      subjectType: 'chargeback',
      subjectId: key,
      after: {
        basis: request.basis,
        file: request.out,
        sha256,
        entries: entries.map((e) => ({ entry: e.entry, currency: e.currency, debitTotal: e.debitTotal, creditTotal: e.creditTotal, lines: e.lines.length })),
      },
    }),
  );
  return { period: key, basis: request.basis, file: request.out, sha256, entries, reconciliation };
}
