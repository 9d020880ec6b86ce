import { Money } from './money.js';

/** Chargeback versus GL for one cost center (or the whole currency), with the difference explained. */
export interface ReconciliationLine {
  readonly chargeback: string;
  readonly gl: string;
  /** chargeback − gl */
  readonly difference: string;
  /** Part of the difference from invoices billed in this period but booked in another, or the reverse. */
  readonly timing: string;
  /** Part of the difference from charging back EffectiveCost instead of BilledCost (0 on the billed basis). */
  readonly basis: string;
  /** Part of the chargeback that books closed months' post-close adjustments (carried into this period). */
  readonly postClose: string;
  /**
   * "not charged: unattributed": spend no known cost center accounts for is not charged back, while
   * the GL books it (negative: the chargeback is that much below the GL), on the cost center the GL
   * books it to (`COSTBRIDGE_UNATTRIBUTED_COST_CENTER`); 0 elsewhere.
   */
  readonly notCharged: string;
  /** difference − timing − basis − postClose − notCharged */
  readonly unexplained: string;
}

/** One cost center's reconciliation line. */
export interface CostCenterReconciliation extends ReconciliationLine {
  readonly costCenter: string;
}

/** The reconciliation of one currency. */
export interface CurrencyReconciliation {
  readonly currency: string;
  readonly costCenters: readonly CostCenterReconciliation[];
  readonly total: ReconciliationLine;
  /**
   * Unattributed spend the chargeback charged to nobody (negated, billed), reconciled on the line of
   * `notChargedOn`; when that is null nobody said where the GL books it, so it is listed on its own
   * beside the lines and the GL's catch-all cost center shows it as unexplained.
   */
  readonly unattributedNotCharged?: string;
  readonly notChargedOn?: string | null;
}

/** Per cost center amounts of one currency that the reconciliation compares. */
export interface ReconciliationInputs {
  readonly currency: string;
  readonly chargeback: ReadonlyMap<string, string>;
  readonly gl: ReadonlyMap<string, string>;
  readonly timing: ReadonlyMap<string, string>;
  readonly basis: ReadonlyMap<string, string>;
  /** Carried post-close adjustments per cost center (absent: none). */
  readonly postClose?: ReadonlyMap<string, string>;
  /** Unattributed spend not charged, per cost center carrying it (absent: none). */
  readonly notCharged?: ReadonlyMap<string, string>;
}

/**
 * Reconciles a chargeback with GL actuals per cost center: every cost center present on either
 * side gets a line, and the currency total is the exact sum of the lines, so the components add up
 * at both levels.
 */
export function reconcileChargeback(inputs: ReconciliationInputs): CurrencyReconciliation {
  const postClose = inputs.postClose ?? new Map<string, string>();
  const notCharged = inputs.notCharged ?? new Map<string, string>();
  const codes = [...new Set([...inputs.chargeback.keys(), ...inputs.gl.keys(), ...inputs.timing.keys(), ...inputs.basis.keys(), ...postClose.keys(), ...notCharged.keys()])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const zero = new Money(0);
  const sums = { chargeback: zero, gl: zero, timing: zero, basis: zero, postClose: zero, notCharged: zero };
  const costCenters = codes.map((costCenter) => {
    const v = {
      chargeback: new Money(inputs.chargeback.get(costCenter) ?? 0),
      gl: new Money(inputs.gl.get(costCenter) ?? 0),
      timing: new Money(inputs.timing.get(costCenter) ?? 0),
      basis: new Money(inputs.basis.get(costCenter) ?? 0),
      postClose: new Money(postClose.get(costCenter) ?? 0),
      notCharged: new Money(notCharged.get(costCenter) ?? 0),
    };
    sums.chargeback = sums.chargeback.plus(v.chargeback);
    sums.gl = sums.gl.plus(v.gl);
    sums.timing = sums.timing.plus(v.timing);
    sums.basis = sums.basis.plus(v.basis);
    sums.postClose = sums.postClose.plus(v.postClose);
    sums.notCharged = sums.notCharged.plus(v.notCharged);
    return { costCenter, ...line(v) };
  });
  return { currency: inputs.currency, costCenters, total: line(sums) };
}

function line(v: { chargeback: Money; gl: Money; timing: Money; basis: Money; postClose: Money; notCharged: Money }): ReconciliationLine {
  const difference = v.chargeback.minus(v.gl);
  return {
    chargeback: v.chargeback.toFixed(),
    gl: v.gl.toFixed(),
    difference: difference.toFixed(),
    timing: v.timing.toFixed(),
    basis: v.basis.toFixed(),
    postClose: v.postClose.toFixed(),
    notCharged: v.notCharged.toFixed(),
    unexplained: difference.minus(v.timing).minus(v.basis).minus(v.postClose).minus(v.notCharged).toFixed(),
  };
}
