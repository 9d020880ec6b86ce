import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerImportFocus } from './import-focus.js';
import { registerImportItfm } from './import-itfm.js';

/** `costbridge import ...`: FOCUS cost data and ITFM master data, budgets and GL actuals. */
export function registerImport(program: Command, ctx: CliContext): void {
  const command = program.command('import').description('load FOCUS cost exports and ITFM data files');
  registerImportFocus(command, ctx);
  registerImportItfm(command, ctx);
}
