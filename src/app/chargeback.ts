import { createHash } from 'node:crypto';
import type { BillingMonth } from '../domain/billing-month.js';
import { CostbridgeError } from '../domain/costbridge-error.js';
import type { CostBasis } from '../domain/spend-dimensions.js';
import { Money } from '../domain/money.js';
import { computeShowback } from '../domain/allocation-showback.js';
import type { SharedPool } from '../domain/allocation-pools.js';
import { buildChargebackJournal, type ChargebackAccounts, type JournalEntry } from '../domain/journal.js';
import { composeEntry, dueDebits, journalDebits, sumDebits, type ChargeDebit, type EntryDebit, type IssuedEntry } from '../domain/chargeback-issue.js';
import { journalCsvColumns, journalCsvRecords } from '../domain/journal-csv.js';
import { formulaSafeCsv } from '../output/formula-safe-csv.js';
import { writeOutputFile } from '../output/output-file.js';
import { reconcileChargeback, type CurrencyReconciliation } from '../domain/journal-reconciliation.js';
import { carriesAdjustmentsOf, describeClosure, monthOf } from '../domain/period-close.js';
import type { Store } from '../store/database.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import { insertIssuedEntry, loadBookings, loadIssuedEntries, type Booking } from '../store/chargeback-entries.js';
import { closedMonths, lockBooks, type BooksTransaction, type StoredClosure } from '../store/period-closes.js';
import { sumGlActuals, sumShowbackGroups, type ChargebackGroup } from '../store/showback-lines.js';
import { loadLedgerInputs } from '../store/variance-ledger.js';
import { frozenFacts, liveFacts } from '../store/cost-facts.js';
import { ledgerTiming } from '../domain/variance-ledger.js';
import { loadComparisonHierarchy } from './comparison-hierarchy.js';
import { closedStatusOf, type ClosedStatus } from './closed-period-status.js';
import { loadSharedPools } from './showback.js';

/** What a chargeback run is asked for. */
export interface ChargebackRequest {
  readonly period: BillingMonth;
  readonly basis: CostBasis;
  /** Where the journal CSV is written (optional on a dry run). */
  readonly out?: string | undefined;
  /** Replace a file at `out` that is not an earlier chargeback journal. */
  readonly force?: boolean;
  readonly accounts: ChargebackAccounts;
  readonly sharedPoolsFile: string | undefined;
  readonly actor: string;
  readonly surface: Surface;
  /** Show what would be issued; issue and record nothing. */
  readonly dryRun?: boolean | undefined;
  /** `COSTBRIDGE_UNATTRIBUTED_COST_CENTER`: where the GL books unattributed spend, so its not-charged line lands there. */
  readonly unattributedCostCenter?: string | null | undefined;
}

/** One cost center and account of a closed month's post-close adjustment, and how much of it is booked. */
export interface PostCloseLine {
  readonly costCenter: string;
  readonly account: string;
  /** Live minus as closed. */
  readonly adjustment: string;
  /** Carried into later months' entries so far. */
  readonly booked: string;
  /** adjustment − booked: what the next chargeback of the month named by `bookedIn` carries. */
  readonly outstanding: string;
}

/** A closed month's post-close adjustments in one currency: what changed since close and where it is booked. */
export interface PostCloseBooking {
  readonly currency: string;
  readonly lines: readonly PostCloseLine[];
  /** Entries that carried (part of) it. */
  readonly bookedIn: readonly string[];
}

/** A chargeback: the period's entries (issued earlier, issued now), their reconciliation with GL actuals. */
export interface ChargebackResult {
  readonly period: string;
  readonly basis: CostBasis;
  readonly file: string | null;
  readonly sha256: string | null;
  /** Every entry of the period: the entry itself and its adjusting entries, in issue order per currency. */
  readonly entries: readonly IssuedEntry[];
  /** Entries this run issued (on a dry run: would issue). */
  readonly issuedNow: readonly string[];
  readonly dryRun: boolean;
  /** Set when the period is closed: its entries stand as issued. */
  readonly closed: ClosedStatus | null;
  /** Closed months whose post-close adjustments this period's entries carry (this run or before). */
  readonly carries: readonly string[];
  /** For a closed period: its own post-close adjustments and where they are booked. */
  readonly postClose: readonly PostCloseBooking[];
  readonly reconciliation: readonly CurrencyReconciliation[];
}

type Db = BooksTransaction;

interface Figures {
  readonly groups: ChargebackGroup[];
  readonly pools: readonly SharedPool[];
}

async function figures(db: Db, month: BillingMonth, pools: readonly SharedPool[], closure: StoredClosure | undefined, withTiming: boolean): Promise<Figures> {
  const p = closure ? closure.pools : pools;
  return { groups: await sumShowbackGroups(db, month, p, { withTiming, frozen: closure?.id }), pools: p };
}

function journal(month: string, basis: CostBasis, f: Figures, accounts: ChargebackAccounts): JournalEntry[] {
  return buildChargebackJournal(month, basis, computeShowback(f.groups, f.pools, basis), accounts);
}

const asDebits = (bookings: readonly Booking[]): ChargeDebit[] => bookings.map((b) => ({ currency: b.currency, costCenter: b.costCenter, account: b.account, amount: b.amount }));
const basisLabel = (basis: CostBasis) => (basis === 'billed' ? 'BilledCost' : 'EffectiveCost');

/**
 * Runs the period's chargeback. Entries are issued once: the first run issues `CB-P-CUR` from the
 * period's figures (as closed, when it is closed); a later run issues an adjusting entry
 * `CB-P-CUR-An` holding only what changed since (the figures minus every line already booking
 * them), and nothing when nothing changed. An open period that is the first open month after closed
 * months also carries their post-close adjustments (live minus as closed, minus what earlier entries
 * carried), so each difference is booked once. Writes every entry of the period as CSV and
 * reconciles their sum with the period's GL actuals per cost center: timing (invoices billed here
 * and booked in another GL period, or the reverse), basis (EffectiveCost instead of BilledCost),
 * post-close (carried adjustments), the rest unexplained. Each issued entry and the export are audited.
 */
export async function runChargeback(store: Store, request: ChargebackRequest): Promise<ChargebackResult> {
  const livePools = await loadSharedPools(store, request.sharedPoolsFile);
  const { carrier } = await loadComparisonHierarchy(store, request.unattributedCostCenter);
  const key = request.period.key;
  const dryRun = request.dryRun === true;
  const done = await store.db.transaction().execute(async (trx) => {
    await lockBooks(trx);
    const closed = await closedMonths(trx);
    const closure = closed.get(key);
    const issued = await loadIssuedEntries(trx, key);
    const chainBasis = issued[0]?.basis;
    if (chainBasis !== undefined && chainBasis !== request.basis && !dryRun) {
      throw new CostbridgeError(
        'CONFLICT',
        `${issued[0]!.entry} was issued on the ${chainBasis} basis on ${issued[0]!.issuedAt!.slice(0, 10)} by ${issued[0]!.issuedBy}; ${key}'s chargeback stays on it: run with --basis ${chainBasis} (or --dry-run to see the ${request.basis} basis without issuing)`,
      );
    }
    // A dry run on another basis shows that basis's chain as if nothing had been issued.
    const fresh = chainBasis !== undefined && chainBasis !== request.basis;
    const existing = fresh ? [] : issued;

    const own = await figures(trx, request.period, livePools, closure, true);
    const ownJournal = journal(key, request.basis, own, request.accounts);
    const ownTarget = journalDebits(ownJournal);
    const ownBookings = fresh ? [] : await loadBookings(trx, key);
    // Lines carried into later months while this period was closed under its current close are its
    // post-close adjustments, not part of what its own entries book.
    const ownBooked = ownBookings.filter((b) => b.entryPeriod === key || b.closureId !== (closure?.id ?? null));
    const ownDue = dueDebits(ownTarget.debits, asDebits(ownBooked));

    const debits: EntryDebit[] = [];
    const label = basisLabel(request.basis);
    const bookedEntries = (c: { currency: string }) => existing.filter((e) => e.currency === c.currency).map((e) => e.entry);
    for (const d of ownDue) {
      const k = JSON.stringify([d.currency, d.costCenter, d.account]);
      const memo = new Money(d.booked).isZero()
        ? ownTarget.memos.get(k) ?? `chargeback ${key} ${label}`
        : `adjusts ${bookedEntries(d).join(', ') || key}: ${key} ${label} now ${d.target}, booked ${d.booked}`;
      debits.push({ ...d, booksPeriod: key, closureId: null, memo });
    }

    const carries: string[] = [];
    for (const [month, c] of closed) {
      if (!carriesAdjustmentsOf(key, month, closed)) continue;
      carries.push(month);
      const m = monthOf(month);
      const live = journal(month, request.basis, await figures(trx, m, livePools, undefined, false), request.accounts);
      const asClosed = journal(month, request.basis, await figures(trx, m, livePools, c, false), request.accounts);
      const booked = fresh ? [] : (await loadBookings(trx, month)).filter((b) => b.closureId === c.id);
      for (const d of dueDebits(journalDebits(live).debits, asDebits(booked), journalDebits(asClosed).debits)) {
        debits.push({
          ...d,
          booksPeriod: month,
          closureId: c.id,
          memo: `post-close adjustment of ${month} (${describeClosure(c)}) ${label}: changed by ${d.target} since close, booked before ${d.booked}`,
        });
      }
    }

    const currencies = [...new Set([...ownJournal.map((e) => e.currency), ...debits.map((d) => d.currency)])].sort();
    const pending: IssuedEntry[] = [];
    for (const currency of currencies) {
      const chain = existing.filter((e) => e.currency === currency);
      const mine = debits.filter((d) => d.currency === currency);
      const journalEntry = ownJournal.find((e) => e.currency === currency);
      if (chain.length > 0 && mine.length === 0) continue;
      const sequence = chain.length === 0 ? 0 : Math.max(...chain.map((e) => e.sequence)) + 1;
      const notCharged = new Money(journalEntry?.notCharged ?? 0).minus(chain.reduce((s, e) => s.plus(e.notCharged), new Money(0)));
      const charged = new Set(mine.map((d) => d.costCenter)).size;
      pending.push(
        composeEntry({
          period: key,
          currency,
          sequence,
          basis: request.basis,
          debits: mine,
          notCharged: notCharged.toFixed(),
          accounts: request.accounts,
          clearingMemo:
            sequence === 0
              ? `chargeback ${key} ${label}: clearing for ${charged} cost center(s); not charged: ${notCharged.toFixed()} (no known cost center or pool without recipients)`
              : `adjustment ${sequence} of ${chain[0]!.entry} ${label}: clearing for ${charged} cost center(s)`,
        }),
      );
    }

    const stamped: IssuedEntry[] = [];
    if (!dryRun) {
      for (const e of pending) {
        const issuedAt = await insertIssuedEntry(trx, e, { actor: request.actor, surface: request.surface });
        await recordAudit(trx, {
          actor: request.actor,
          surface: request.surface,
          action: e.sequence === 0 ? 'chargeback.issue' : 'chargeback.adjust',
          subjectType: 'chargeback_entry',
          subjectId: e.entry,
          after: {
            period: key,
            currency: e.currency,
            basis: e.basis,
            debitTotal: e.debitTotal,
            creditTotal: e.creditTotal,
            lines: e.lines.length,
            books: [...new Set(e.lines.map((l) => l.booksPeriod))].sort(),
          },
        });
        stamped.push({ ...e, issuedAt, issuedBy: request.actor });
      }
    }
    const entries = [...existing, ...(dryRun ? pending : stamped)].sort((a, b) => a.currency.localeCompare(b.currency) || a.sequence - b.sequence);

    // Own post-close adjustments of a closed period: live minus as closed, and what later entries carried.
    const postClose: PostCloseBooking[] = [];
    if (closure) {
      const live = journal(key, request.basis, await figures(trx, request.period, livePools, undefined, false), request.accounts);
      const carried = ownBookings.filter((b) => b.entryPeriod !== key && b.closureId === closure.id);
      const changes = sumDebits(dueDebits(journalDebits(live).debits, [], ownTarget.debits));
      const booked = sumDebits(asDebits(carried));
      for (const currency of [...new Set([...[...changes.values()].map((d) => d.currency), ...carried.map((b) => b.currency)])].sort()) {
        const keys = [...new Set([...changes.keys(), ...booked.keys()])].filter((k) => (changes.get(k) ?? booked.get(k))!.currency === currency).sort();
        postClose.push({
          currency,
          lines: keys.map((k) => {
            const d = (changes.get(k) ?? booked.get(k))!;
            const adjustment = new Money(changes.get(k)?.amount ?? 0);
            const b = new Money(booked.get(k)?.amount ?? 0);
            return { costCenter: d.costCenter, account: d.account, adjustment: adjustment.toFixed(2), booked: b.toFixed(2), outstanding: adjustment.minus(b).toFixed(2) };
          }),
          bookedIn: [...new Set(carried.filter((b) => b.currency === currency).map((b) => b.entry))].sort(),
        });
      }
    }

    const reconciliation = await reconcile(trx, request, own, entries, ownJournal, closure, carrier);
    return { entries, issuedNow: (dryRun ? pending : stamped).map((e) => e.entry), closed: closedStatusOf(closed, key), carries, postClose, reconciliation };
  });

  let file: string | null = null;
  let sha256: string | null = null;
  if (request.out !== undefined) {
    const csv = formulaSafeCsv(journalCsvRecords(key, done.entries));
    const header = journalCsvColumns.join(',');
    // Journals written before books_period existed are costbridge's too.
    const legacyHeader = journalCsvColumns.filter((c) => c !== 'books_period').join(',');
    try {
      await writeOutputFile(request.out, csv, { ownFirstLine: (line) => line === header || line === legacyHeader, force: request.force ?? false, what: '--out' });
    } catch (e) {
      if (e instanceof CostbridgeError && done.issuedNow.length > 0 && !dryRun) {
        throw new CostbridgeError(e.code, `${e.message}; ${done.issuedNow.join(', ')} were issued: run again to write the file`, e.details);
      }
      throw e;
    }
    file = request.out;
    sha256 = createHash('sha256').update(csv).digest('hex');
    if (!dryRun) {
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
            issuedNow: done.issuedNow,
            entries: done.entries.map((e) => ({ entry: e.entry, currency: e.currency, debitTotal: e.debitTotal, creditTotal: e.creditTotal, lines: e.lines.length })),
          },
        }),
      );
    }
  }
  return { period: key, basis: request.basis, file, sha256, dryRun, ...done };
}

/**
 * The reconciliation of the period's entries (their sum) with its GL actuals, per currency and
 * cost center: timing matched by invoice exactly as the variance ledger does (`ledgerTiming`, on
 * the GL's cost center, so both reconciliations put a late invoice on the same cost center), basis
 * as the effective-basis charge minus the billed-basis one, post-close as the carried adjustment
 * lines, and unattributed spend the chargeback does not charge as its own "not charged" line.
 */
async function reconcile(
  trx: Db,
  request: ChargebackRequest,
  own: Figures,
  entries: readonly IssuedEntry[],
  ownJournal: readonly JournalEntry[],
  closure: StoredClosure | undefined,
  carrier: string | null,
): Promise<CurrencyReconciliation[]> {
  const key = request.period.key;
  const billedJournal = request.basis === 'billed' ? ownJournal : journal(key, 'billed', own, request.accounts);
  const gl = await sumGlActuals(trx, request.period);
  const inputs = await loadLedgerInputs(trx, request.period, closure ? frozenFacts(closure.id, 'actual', request.period) : liveFacts(request.period));
  const ledger = ledgerTiming(key, inputs.invoices, inputs.gl);
  const currencies = [...new Set([...entries.map((e) => e.currency), ...gl.map((g) => g.currency)])].sort();
  const perCostCenter = (lines: readonly { costCenter: string | null; debit: string | null }[]) => {
    const out = new Map<string, Money>();
    for (const l of lines) if (l.costCenter !== null && l.debit !== null) out.set(l.costCenter, (out.get(l.costCenter) ?? new Money(0)).plus(l.debit));
    return new Map([...out].map(([k, v]) => [k, v.toFixed(2)]));
  };
  return currencies.map((currency) => {
    const lines = entries.filter((e) => e.currency === currency).flatMap((e) => e.lines);
    const charged = perCostCenter(lines);
    const postClose = perCostCenter(lines.filter((l) => l.booksPeriod !== key));
    const chargedOwn = perCostCenter(ownJournal.filter((e) => e.currency === currency).flatMap((e) => e.lines));
    const chargedBilled = perCostCenter(billedJournal.filter((e) => e.currency === currency).flatMap((e) => e.lines));
    const basis = new Map<string, string>();
    if (request.basis !== 'billed') {
      for (const code of new Set([...chargedOwn.keys(), ...chargedBilled.keys()])) {
        basis.set(code, new Money(chargedOwn.get(code) ?? 0).minus(chargedBilled.get(code) ?? 0).toFixed());
      }
    }
    const timing = new Map(ledger.filter((t) => t.currency === currency && !new Money(t.timing).isZero()).map((t) => [t.costCenter, t.timing]));
    // The GL books unattributed spend (at its billed cost) where the chargeback charges nobody.
    const unattributed = own.groups.filter((g) => g.currency === currency && g.costCenter === null && g.pool === null).reduce((s, g) => s.plus(g.billed), new Money(0));
    const notCharged = unattributed.isZero() || carrier === null ? new Map<string, string>() : new Map([[carrier, unattributed.neg().toFixed()]]);
    const reconciliation = reconcileChargeback({
      currency,
      chargeback: charged,
      gl: new Map(gl.filter((g) => g.currency === currency).map((g) => [g.costCenter, g.amount])),
      timing,
      basis,
      postClose,
      notCharged,
    });
    return { ...reconciliation, unattributedNotCharged: unattributed.neg().toFixed(), notChargedOn: unattributed.isZero() ? null : carrier };
  });
}
