// Per import file, slice and provider: what the digest's freshness needs of the stored lines
// (migration 20261205T0402). Kept in step with cost_line by the FOCUS import's transaction: tallied
// from a delivery's lines as they load, dropped with a restated slice's lines.

import { copyString } from '../domain/cell-values.js';
import { focusIndexOf } from '../domain/focus-columns.js';
import type { FocusLine } from '../domain/focus-row.js';
import type { SqlRunner } from './sql-runner.js';

const summary = `SELECT c.batch_id, c.billing_account_id, c.billing_period_start, c.provider_name,
       bool_or(c.charge_frequency = 'Usage-Based'),
       max(c.charge_period_start) FILTER (WHERE c.charge_category = 'Usage'),
       max(c.charge_period_start)
  FROM cost_line c`;
const grouped = 'GROUP BY c.batch_id, c.billing_account_id, c.billing_period_start, c.provider_name';

const I = {
  provider: focusIndexOf('ProviderName'),
  frequency: focusIndexOf('ChargeFrequency'),
  category: focusIndexOf('ChargeCategory'),
  chargeStart: focusIndexOf('ChargePeriodStart'),
};

/** A charge start as an instant to compare: whole milliseconds, then the digits below a millisecond. */
interface Instant {
  readonly ms: number;
  readonly below: string;
  readonly iso: string;
}

interface FreshnessRow {
  readonly batchId: number;
  readonly accountId: string;
  readonly periodStart: string;
  readonly provider: string | null;
  usageBased: boolean | null;
  lastUsage: Instant | null;
  lastCharge: Instant;
}

function instantOf(line: FocusLine): Instant {
  const iso = line.values[I.chargeStart]!;
  // Digits past milliseconds (up to nanoseconds) are rare; the database rounds them to microseconds,
  // which keeps order, so the latest by exact value is the database's latest too.
  const dot = iso.indexOf('.', 19);
  if (dot < 0 || !isDigit(iso, dot + 4)) return { ms: line.chargePeriodStartMs, below: '', iso };
  let end = dot + 4;
  while (isDigit(iso, end)) end++;
  return { ms: Date.parse(iso.slice(0, dot + 4) + iso.slice(end)), below: iso.slice(dot + 4, end), iso };
}

const isDigit = (text: string, i: number) => i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57;

/** Whether `a` is after `b` (the digits below a millisecond compare as a fraction). */
function later(a: Instant, b: Instant): boolean {
  if (a.ms !== b.ms) return a.ms > b.ms;
  const n = Math.max(a.below.length, b.below.length);
  return a.below.padEnd(n, '0') > b.below.padEnd(n, '0');
}

/**
 * Tallies the freshness of lines as they are loaded, as `rebuildProviderFreshness` reads it from
 * stored lines (per file, slice and provider: bool_or of Usage-Based, the latest usage charge start
 * and the latest charge start), so the import need not scan its lines again.
 */
export class ProviderFreshnessTally {
  readonly #slices = new Map<string, SliceFreshness>();

  /** The tally of one file's lines in one slice (its account id and period start as stored). */
  slice(batchId: number, accountId: string, periodStart: string): SliceFreshness {
    const key = `${batchId}\u0001${accountId}\u0001${periodStart}`;
    let slice = this.#slices.get(key);
    if (!slice) this.#slices.set(key, (slice = new SliceFreshness(batchId, accountId, periodStart)));
    return slice;
  }

  /** Stores the tallied rows (in the import's transaction) and starts over. */
  async store(runner: SqlRunner): Promise<void> {
    const rows = [...this.#slices.values()].flatMap((s) => s.rows());
    this.#slices.clear();
    if (rows.length === 0) return;
    await runner.run(
      `INSERT INTO import_provider_freshness
         (batch_id, billing_account_id, billing_period_start, provider_name, usage_based, last_usage, last_charge)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::boolean[], $6::timestamptz[], $7::timestamptz[])`,
      [
        rows.map((r) => r.batchId),
        rows.map((r) => r.accountId),
        rows.map((r) => r.periodStart),
        rows.map((r) => r.provider),
        rows.map((r) => r.usageBased),
        rows.map((r) => r.lastUsage?.iso ?? null),
        rows.map((r) => r.lastCharge.iso),
      ],
    );
  }
}

/** One file's lines of one slice, per provider. */
export class SliceFreshness {
  readonly #providers = new Map<string | null, FreshnessRow>();

  constructor(
    readonly batchId: number,
    readonly accountId: string,
    readonly periodStart: string,
  ) {}

  add(line: FocusLine): void {
    const v = line.values;
    const provider = v[I.provider] ?? null;
    const at = instantOf(line);
    const usage = v[I.category] === 'Usage';
    const frequency = v[I.frequency] ?? null;
    const row = this.#providers.get(provider);
    if (!row) {
      // A copy: the cell is a slice that would keep its whole CSV chunk in memory.
      const kept = provider === null ? null : copyString(provider);
      this.#providers.set(kept, {
        batchId: this.batchId, accountId: this.accountId, periodStart: this.periodStart, provider: kept,
        usageBased: frequency === null ? null : frequency === 'Usage-Based',
        lastUsage: usage ? at : null,
        lastCharge: at,
      });
      return;
    }
    if (frequency !== null) row.usageBased = row.usageBased === true || frequency === 'Usage-Based';
    if (usage && (row.lastUsage === null || later(at, row.lastUsage))) row.lastUsage = at;
    if (later(at, row.lastCharge)) row.lastCharge = at;
  }

  rows(): FreshnessRow[] {
    return [...this.#providers.values()];
  }
}

/** Drops a (billing period, billing account) slice's freshness: a restatement replaces all its lines. */
export async function dropProviderFreshnessSlice(runner: SqlRunner, periodStart: string, billingAccountId: string): Promise<void> {
  await runner.run('DELETE FROM import_provider_freshness WHERE billing_period_start = $1 AND billing_account_id = $2', [periodStart, billingAccountId]);
}

/** Rebuilds it from the lines, for loaders that write cost_line directly (the benchmarks' SQL generators). */
export async function rebuildProviderFreshness(runner: SqlRunner): Promise<void> {
  await runner.run('DELETE FROM import_provider_freshness');
  await runner.run(`INSERT INTO import_provider_freshness ${summary} ${grouped}`);
}
