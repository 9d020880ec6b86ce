import { Money } from './money.js';

/** FOCUS BilledCost of one invoice in one billing period (all cost centers). */
export interface InvoiceBilled {
  readonly invoiceId: string;
  /** `YYYY-MM`. */
  readonly billingPeriod: string;
  readonly currency: string;
  readonly billed: string;
}

/** GL actuals of one (period, cost center, invoice) in one currency. */
export interface GlAmount {
  /** `YYYY-MM`. */
  readonly period: string;
  readonly costCenter: string;
  readonly invoiceId: string | null;
  readonly currency: string;
  readonly amount: string;
}

/** A cost center's GL actual for the period and the timing part of its difference to FOCUS. */
export interface LedgerTiming {
  readonly costCenter: string;
  readonly currency: string;
  /** GL actual booked in the period (exact). */
  readonly gl: string;
  /**
   * + GL amounts of invoices billed in the period but booked in another one, - GL amounts booked
   * in the period for invoices billed in another one (exact).
   */
  readonly timing: string;
}

/**
 * GL actual and timing per cost center for `period`. An invoice is a timing item when it is billed
 * (FOCUS) in exactly one billing period and its GL amounts, over all periods, equal its BilledCost
 * (matched by invoice id and amount); its GL rows booked outside the billing period are then timing,
 * on the GL's cost center. Invoices that do not match are left to the unexplained difference.
 * `gl` must hold every GL row of the period and every GL row of the invoices involved.
 */
export function ledgerTiming(period: string, invoices: readonly InvoiceBilled[], gl: readonly GlAmount[]): LedgerTiming[] {
  const focus = new Map<string, { periods: Set<string>; billed: Money }>();
  for (const i of invoices) {
    const k = `${i.currency}|${i.invoiceId}`;
    const f = focus.get(k) ?? { periods: new Set<string>(), billed: new Money(0) };
    f.periods.add(i.billingPeriod);
    f.billed = f.billed.plus(i.billed);
    focus.set(k, f);
  }
  const glTotal = new Map<string, Money>();
  for (const g of gl) {
    if (g.invoiceId === null) continue;
    const k = `${g.currency}|${g.invoiceId}`;
    glTotal.set(k, (glTotal.get(k) ?? new Money(0)).plus(g.amount));
  }
  const out = new Map<string, { costCenter: string; currency: string; gl: Money; timing: Money }>();
  const row = (costCenter: string, currency: string) => {
    const k = `${costCenter}|${currency}`;
    let r = out.get(k);
    if (!r) {
      r = { costCenter, currency, gl: new Money(0), timing: new Money(0) };
      out.set(k, r);
    }
    return r;
  };
  for (const g of gl) {
    if (g.period === period) row(g.costCenter, g.currency).gl = row(g.costCenter, g.currency).gl.plus(g.amount);
    if (g.invoiceId === null) continue;
    const k = `${g.currency}|${g.invoiceId}`;
    const f = focus.get(k);
    if (!f || f.periods.size !== 1 || !glTotal.get(k)!.eq(f.billed)) continue;
    const billedPeriod = [...f.periods][0]!;
    if (billedPeriod === period && g.period !== period) row(g.costCenter, g.currency).timing = row(g.costCenter, g.currency).timing.plus(g.amount);
    if (billedPeriod !== period && g.period === period) row(g.costCenter, g.currency).timing = row(g.costCenter, g.currency).timing.minus(g.amount);
  }
  return [...out.values()]
    .sort((a, b) => a.costCenter.localeCompare(b.costCenter) || a.currency.localeCompare(b.currency))
    .map((r) => ({ costCenter: r.costCenter, currency: r.currency, gl: r.gl.toFixed(), timing: r.timing.toFixed() }));
}
