import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureDist } from '../scripts/build-dist.js';
import { createBenchDatabase, median } from './bench-database.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/costbridge.js');

interface Timing {
  /** Process start (spawn) to exit. */
  readonly wallMs: number;
  /** The command's last byte of output (stdout or stderr) to its exit. */
  readonly lingerMs: number;
  readonly code: number | null;
}

/** Runs one process as a user would and times it from spawn to exit, and from its last output to exit. */
function timed(args: readonly string[], env: Record<string, string | undefined>): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let last = started;
    const child = spawn(process.execPath, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', () => (last = performance.now()));
    child.stderr.on('data', () => (last = performance.now()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ended = performance.now();
      resolve({ wallMs: ended - started, lingerMs: ended - last, code });
    });
  });
}

/**
 * `npm run bench -- startup [--repeat N]`: the whole command as a user feels it. Per round, one after
 * the other: `node -e ""` (the anchor: Node's own start and exit), `costbridge --version`, and
 * `costbridge report spend` on an empty, migrated Postgres database; each timed from spawn to exit
 * (median of N), and from its last output to its exit (median and worst of N). The CLI runs the
 * compiled dist/, with the V8 flag bin/costbridge.js and the npm scripts give it.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { repeat: { type: 'string', default: '15' } } });
  const repeat = Number(values.repeat);
  await ensureDist();
  const db = await createBenchDatabase();
  try {
    const env = { PATH: process.env.PATH, DATABASE_URL: db.url, LOG_LEVEL: 'info' };
    const cli = ['--max-semi-space-size=32', bin];
    const setup = await timed([...cli, 'migrate'], env);
    if (setup.code !== 0) throw new Error('costbridge migrate failed on the bench database');
    const commands = {
      node: ['-e', ''],
      version: [...cli, '--version'],
      reportSpend: [...cli, 'report', 'spend', '--period', '2026-09'],
    } as const;
    const runs: Record<keyof typeof commands, Timing[]> = { node: [], version: [], reportSpend: [] };
    // One warm-up round (file system caches), then N measured rounds, interleaved so load affects all alike.
    for (let i = 0; i <= repeat; i++) {
      for (const name of Object.keys(commands) as (keyof typeof commands)[]) {
        const t = await timed(commands[name], env);
        if (t.code !== 0) throw new Error(`${name} exited with ${t.code}`);
        if (i > 0) runs[name].push(t);
      }
    }
    const wall = (name: keyof typeof commands) => median(runs[name].map((t) => t.wallMs));
    const linger = (name: keyof typeof commands) => median(runs[name].map((t) => t.lingerMs));
    const worst = (name: keyof typeof commands) => Math.max(...runs[name].map((t) => t.lingerMs));
    const nodeMs = wall('node');
    console.log(
      JSON.stringify({
        bench: 'startup',
        repeat,
        nodeMs: Math.round(nodeMs),
        versionMs: Math.round(wall('version')),
        versionRatio: round(wall('version') / nodeMs),
        reportSpendMs: Math.round(wall('reportSpend')),
        reportSpendRatio: round(wall('reportSpend') / nodeMs),
        lingerMedianMs: { version: Math.round(linger('version')), reportSpend: Math.round(linger('reportSpend')) },
        lingerWorstMs: Math.round(Math.max(worst('version'), worst('reportSpend'))),
      }),
    );
  } finally {
    await db.drop();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
