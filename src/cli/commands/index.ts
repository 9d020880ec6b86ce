import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerMigrate } from './migrate.js';
import { registerStart } from './start.js';
import { registerImport } from './import.js';
import { registerReport } from './report.js';
import { registerAliases } from './aliases.js';
import { registerDemoData } from './demo-data.js';
import { registerShowback } from './showback.js';
import { registerChargeback } from './chargeback.js';
import { registerPeriod } from './period.js';
import { registerGlossary } from './glossary.js';
import { registerVariance } from './variance.js';
import { registerForecast } from './forecast.js';
import { registerHandoff } from './handoff.js';
import { registerSavings } from './savings.js';
import { registerPeople } from './people.js';
import { registerServe } from './serve.js';
import { registerCadence } from './cadence.js';
import { registerReview } from './review.js';
import { registerContracts } from './contracts.js';
import { registerRules } from './rules.js';
import { registerExplain } from './explain.js';
import { registerUnattributed } from './unattributed.js';
import { registerUnclassified } from './unclassified.js';

/** Every top-level command, in the order `--help` lists them. */
export const commands: ReadonlyArray<(program: Command, ctx: CliContext) => void> = [
  registerStart,
  registerServe,
  registerImport,
  registerReport,
  registerAliases,
  registerContracts,
  registerRules,
  registerExplain,
  registerUnattributed,
  registerUnclassified,
  registerShowback,
  registerChargeback,
  registerPeriod,
  registerGlossary,
  registerVariance,
  registerForecast,
  registerHandoff,
  registerSavings,
  registerPeople,
  registerCadence,
  registerReview,
  registerDemoData,
  registerMigrate,
];
