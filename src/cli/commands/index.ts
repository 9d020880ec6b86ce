import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

/** Adds one module's commands to the program. */
export type RegisterCommands = (program: Command, ctx: CliContext) => void;

/**
 * One command module: the top-level command names it registers, and how to load it. A run loads
 * only the module of the command it was given (`--help` and unknown commands load them all), so
 * `costbridge report spend` never loads the Slack and Teams SDKs. test/cli/command-index.test.ts
 * checks that `names` matches what each module registers.
 */
export interface CommandModule {
  readonly names: readonly string[];
  load(): Promise<RegisterCommands>;
}

/** Every top-level command module, in the order `--help` lists them. */
export const commands: readonly CommandModule[] = [
  { names: ['start'], load: async () => (await import('./start.js')).registerStart },
  { names: ['serve'], load: async () => (await import('./serve.js')).registerServe },
  { names: ['import'], load: async () => (await import('./import.js')).registerImport },
  { names: ['report'], load: async () => (await import('./report.js')).registerReport },
  { names: ['aliases'], load: async () => (await import('./aliases.js')).registerAliases },
  { names: ['contracts'], load: async () => (await import('./contracts.js')).registerContracts },
  { names: ['rules'], load: async () => (await import('./rules.js')).registerRules },
  { names: ['explain'], load: async () => (await import('./explain.js')).registerExplain },
  { names: ['unattributed', 'claim', 'dismiss'], load: async () => (await import('./unattributed.js')).registerUnattributed },
  { names: ['unclassified'], load: async () => (await import('./unclassified.js')).registerUnclassified },
  { names: ['showback'], load: async () => (await import('./showback.js')).registerShowback },
  { names: ['chargeback'], load: async () => (await import('./chargeback.js')).registerChargeback },
  { names: ['period'], load: async () => (await import('./period.js')).registerPeriod },
  { names: ['glossary'], load: async () => (await import('./glossary.js')).registerGlossary },
  { names: ['variance'], load: async () => (await import('./variance.js')).registerVariance },
  { names: ['forecast'], load: async () => (await import('./forecast.js')).registerForecast },
  { names: ['handoff'], load: async () => (await import('./handoff.js')).registerHandoff },
  { names: ['savings'], load: async () => (await import('./savings.js')).registerSavings },
  { names: ['people'], load: async () => (await import('./people.js')).registerPeople },
  { names: ['cadence'], load: async () => (await import('./cadence.js')).registerCadence },
  { names: ['review'], load: async () => (await import('./review.js')).registerReview },
  { names: ['demo-data'], load: async () => (await import('./demo-data.js')).registerDemoData },
  { names: ['migrate'], load: async () => (await import('./migrate.js')).registerMigrate },
];
