import type { Config } from '../config.js';
import type { MaterialityThreshold } from '../domain/materiality.js';

/** The settings every review run reads, taken from the configuration once. */
export interface ReviewSettings {
  /** `COSTBRIDGE_TIMEZONE`: the default cadence's zone and the digest's calendar. */
  readonly timezone: string;
  readonly requiredFields: readonly string[];
  readonly governedCategories: readonly string[];
  readonly windowDays: number;
  readonly businessDays: number;
  readonly materiality: MaterialityThreshold;
  /** Unattributed items alert when their effective cost reaches this amount or this share of the month. */
  readonly unattributedMinAmount: string;
  readonly unattributedMinShare: string;
  /** How far back a missed occurrence is still caught up (hours, `COSTBRIDGE_CATCHUP_HOURS`). */
  readonly catchupHours: number;
  /** The shared-cost pools file the monthly showback allocates with. */
  readonly sharedPoolsFile?: string | undefined;
  /** `COSTBRIDGE_UNATTRIBUTED_COST_CENTER`: whose budget the unattributed (bridge) row is compared with. */
  readonly unattributedCostCenter?: string | null | undefined;
}

/** The review settings of a configuration. */
export function reviewSettings(config: Config, overrides: Partial<ReviewSettings> = {}): ReviewSettings {
  return {
    timezone: config.timezone,
    requiredFields: config.attribution.requiredFields,
    governedCategories: config.attribution.governedCategories,
    windowDays: config.variance.forecastWindowDays,
    businessDays: config.variance.handoffBusinessDays,
    materiality: { amount: config.variance.materialityAmount, share: config.variance.materialityShare },
    unattributedMinAmount: config.attribution.minAmount,
    unattributedMinShare: config.attribution.minShare,
    catchupHours: config.review.catchupHours,
    sharedPoolsFile: config.attribution.sharedPoolsFile,
    unattributedCostCenter: config.attribution.unattributedCostCenter,
    ...overrides,
  };
}
