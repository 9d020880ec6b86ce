import { Command, CommanderError } from 'commander';
import { loadConfig } from './config.js';
import { CostbridgeError } from './domain/costbridge-error.js';
import type { CliContext, CliIo } from './cli/cli-context.js';
import { ExitStatus } from './cli/exit-status.js';
import { openConfiguredStore } from './cli/open-store.js';
import type { Store } from './store/database.js';
import { commands } from './cli/commands/index.js';
import { commandReference } from './cli/command-reference.js';
import { readFileSync } from 'node:fs';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/**
 * Runs the costbridge command line and returns the exit code: 0 on success, 1 when the command
 * failed, 2 for a usage error, and a command's own status (`review run`: 3 when a delivery failed).
 * Results go to stdout, everything else to stderr.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  /** The environment to configure from (default: the process's, read by config.ts). */
  env?: Readonly<Record<string, string | undefined>>,
  /** A store already open in this process (an embedded database cannot be opened twice); left open. */
  sharedStore?: Store,
): Promise<number> {
  let store: Promise<Store> | undefined;
  try {
    const config = loadConfig(env);
    const ctx: CliContext = {
      config,
      io,
      store: () => (sharedStore ? Promise.resolve(sharedStore) : (store ??= openConfiguredStore(config, io.err))),
      actor: (as) => as?.trim() || config.defaultActor,
    };
    const program = new Command('costbridge')
      .description('The bridge between FinOps and ITFM: cost data in, shared decisions out.')
      .showHelpAfterError('(run with --help for usage)')
      // Options after a subcommand name belong to it (variance and variance explain both take --period).
      .enablePositionalOptions()
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
    for (const register of commands) register(program, ctx);
    program.version(packageVersion(), '-V, --version').addHelpText('after', () => commandReference(program));
    await program.parseAsync([...argv], { from: 'node' });
    return 0;
  } catch (e) {
    return reportFailure(e, io);
  } finally {
    if (store) await (await store.catch(() => undefined))?.close();
  }
}

function reportFailure(e: unknown, io: CliIo): number {
  if (e instanceof ExitStatus) return e.code;
  if (e instanceof CommanderError) {
    // Commander has printed its own message; --help and --version end here with code 0.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof CostbridgeError) {
    io.err(`costbridge: ${e.message}`);
    for (const d of e.details) io.err(`  ${d}`);
    return 1;
  }
  const err = e as Error & { code?: string };
  if (err?.code === 'ECONNREFUSED') {
    io.err(`costbridge: cannot reach the database (${err.message}); check DATABASE_URL`);
    return 1;
  }
  io.err(`costbridge: ${err?.stack ?? String(e)}`);
  return 1;
}
