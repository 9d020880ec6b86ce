import { runCli } from '../../src/cli.js';
import type { TestDatabase } from './test-stores.js';

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in-process against a test database, capturing both streams. On Postgres the CLI
 * opens its own connection from DATABASE_URL, as it would in production; an embedded PGlite
 * directory can only be open once, so the CLI shares the test's store.
 */
export async function cli(target: TestDatabase | Record<string, string>, ...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const isDb = typeof (target as TestDatabase).open === 'function';
  const env = isDb ? (target as TestDatabase).env : (target as Record<string, string>);
  const shared = isDb && (target as TestDatabase).kind === 'pglite' ? await (target as TestDatabase).shared() : undefined;
  const code = await runCli(
    ['node', 'costbridge', ...args],
    {
      out: (t) => (stdout += t.endsWith('\n') ? t : `${t}\n`),
      err: (t) => (stderr += t.endsWith('\n') ? t : `${t}\n`),
    },
    { ...env },
    shared,
  );
  return { code, stdout, stderr };
}
