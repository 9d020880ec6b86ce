import type { Command as CommandType } from 'commander';
import { ExitStatus } from './cli/exit-status.js';
import { readFileSync } from 'node:fs';
import type { Config } from './config.js';
import type { CliContext, CliIo } from './cli/cli-context.js';
import type { Store } from './store/database.js';
import { commands, type CommandModule } from './cli/commands/index.js';
import { describeFailure, failureStack, type FailureContext } from './cli/failure-message.js';

// Modules load only when a command needs them: `--version` loads nothing else, `report spend` never
// loads the Slack and Teams SDKs; only `--help` (and an unknown command) loads every command module.

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** What the failure reporter knows about the run: set once the configuration is read. */
interface RunSettings extends FailureContext {
  readonly debug: boolean;
}

// The last run's settings, for a failure that escapes it (see main).
let active: RunSettings = { debug: false };

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
  let config: Config | undefined;
  active = { debug: false };
  try {
    const wanted = commandModules(argv.slice(2));
    if (wanted !== 'all' && wanted.length === 0) {
      io.out(packageVersion());
      return 0;
    }
    // A command reads the configuration before anything else, so a bad setting is reported first;
    // --help and --version do not need it.
    if (wanted !== 'all' && wanted.length > 0) {
      config = (await import('./config.js')).loadConfig(env);
      active = { databaseUrl: config.databaseUrl, debug: config.logLevel === 'debug' || config.logLevel === 'trace' };
    }
    const ctx: CliContext = {
      get config(): Config {
        if (!config) throw new Error('the configuration is only read for a command');
        return config;
      },
      io,
      store: () =>
        (store ??= sharedStore
          ? import('./cli/open-store.js').then((m) => m.storeConfiguredSettings(sharedStore, ctx.config, io.err)).then(() => sharedStore)
          : import('./cli/open-store.js').then((m) => m.openConfiguredStore(ctx.config, io.err, commandLine(argv)))),
      actor: async (as, options) => {
        const named = as?.trim() || ctx.config.namedActor;
        if (!named) return ctx.config.defaultActor;
        if (options?.unchecked) return named;
        const { requireKnownActor } = await import('./app/known-actor.js');
        return requireKnownActor(await ctx.store(), named, commandLine(argv));
      },
    };
    const { Command } = await import('commander');
    const program: CommandType = new Command('costbridge')
      .description('The bridge between FinOps and ITFM: cost data in, shared decisions out.')
      .showHelpAfterError('(run with --help for usage)')
      // Options after a subcommand name belong to it (variance and variance explain both take --period).
      .enablePositionalOptions()
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
    const modules = wanted === 'all' ? commands : wanted;
    for (const register of await Promise.all(modules.map((m) => m.load()))) register(program, ctx);
    program.version(packageVersion(), '-V, --version');
    if (wanted === 'all') {
      const { commandReference } = await import('./cli/command-reference.js');
      program.addHelpText('after', () => commandReference(program));
    }
    await program.parseAsync([...argv], { from: 'node' });
    return 0;
  } catch (e) {
    return reportFailure(e, io, active);
  } finally {
    // A store handed in by the caller stays open: it is theirs.
    if (store && !sharedStore) await (await store.catch(() => undefined))?.close();
  }
}

/**
 * The modules a run needs: the one registering the command named first on the line; none for a
 * bare `--version`; all of them for `--help`, `help`, no command or an unknown one (so commander
 * can list every command or suggest the closest).
 */
function commandModules(args: readonly string[]): readonly CommandModule[] | 'all' {
  const name = args.find((a) => !a.startsWith('-'));
  if (name === undefined) return args.length > 0 && args.every((a) => a === '--version' || a === '-V') ? [] : 'all';
  const module = commands.find((m) => m.names.includes(name));
  return module ? [module] : 'all';
}

/** `costbridge import focus`: the command words, for the embedded database's lock file. */
function commandLine(argv: readonly string[]): string {
  const args = argv.slice(2);
  const options = args.findIndex((a) => a.startsWith('-'));
  return ['costbridge', ...args.slice(0, options === -1 ? args.length : options).slice(0, 2)].join(' ');
}

/** Commander's own exits (usage errors, --help); loaded lazily, so recognised by shape. */
function isCommanderError(e: unknown): e is { exitCode: number } {
  const c = e as { code?: unknown; exitCode?: unknown };
  return e instanceof Error && typeof c.code === 'string' && c.code.startsWith('commander.') && typeof c.exitCode === 'number';
}

function reportFailure(e: unknown, io: CliIo, settings: RunSettings): number {
  if (e instanceof ExitStatus) return e.code;
  if (isCommanderError(e)) {
    // Commander has printed its own message; --help and --version end here with code 0.
    return e.exitCode === 0 ? 0 : 2;
  }
  const [first, ...rest] = describeFailure(e, settings);
  io.err(`costbridge: ${first}`);
  for (const line of rest) io.err(line);
  if (settings.debug) {
    const stack = failureStack(e, settings);
    if (stack) io.err(stack);
  }
  return 1;
}

/**
 * The program's entry point (bin/costbridge.js): runs the command line and sets the exit code. An
 * error that escapes every handler (a crash after start) is still reported as one line.
 */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const fatal = (e: unknown) => {
    reportFailure(e, processIo, active);
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  // A reader that stopped reading (`costbridge ... | head`) is not a failure.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : fatal(e)));
  }
  const code = await runCli(argv);
  // Every store, server and pool is closed by now (they end their own handles, so nothing keeps
  // the process alive). Exiting here rather than letting Node tear the heap down object by object
  // saves 100-250 ms between the last output and the prompt on a busy machine; output still queued
  // is flushed first, and pino flushes its logs on exit.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}
