import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerMigrate } from './migrate.js';
import { registerStart } from './start.js';
import { registerImport } from './import.js';
import { registerReport } from './report.js';
import { registerAliases } from './aliases.js';
import { registerDemoData } from './demo-data.js';

/** Every top-level command, in the order `--help` lists them. */
export const commands: ReadonlyArray<(program: Command, ctx: CliContext) => void> = [
  registerStart,
  registerImport,
  registerReport,
  registerAliases,
  registerDemoData,
  registerMigrate,
];
