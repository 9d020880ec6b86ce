import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureDist } from '../scripts/build-dist.js';
import { median } from './bench-database.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The line `npm start` prints right after the first digest. */
const digestShown = /This is the .* digest for /;

/** The live processes of a process group, read from /proc (Linux). */
async function groupMembers(pgid: number): Promise<string[]> {
  const members: string[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state, ppid, pgrp. A zombie has ended.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') members.push(entry);
    } catch {
      // The process ended meanwhile.
    }
  }
  return members;
}

/** Peak RSS (VmHWM, MB) of the largest process in a process group. */
async function groupPeakRssMb(pgid: number): Promise<number | null> {
  let peak: number | null = null;
  for (const pid of await groupMembers(pgid)) {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak ?? 0, Number(hwm[1]) / 1024);
    } catch {
      // The process ended meanwhile.
    }
  }
  return peak;
}

/**
 * One fresh `npm start` on an empty embedded database (its own data directory, no Slack/Teams
 * credentials, so it loads the demo data set): from spawn to the first digest on stdout, and the
 * peak RSS of its processes until then. The whole process group is stopped afterwards.
 */
async function startOnce(): Promise<{ seconds: number; peakRssMb: number | null }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'costbridge-bench-start-'));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, COSTBRIDGE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  const started = process.hrtime.bigint();
  const child = spawn('npm', ['start', '--silent'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid!;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const seconds = await new Promise<number>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`no digest within 120 s; stderr: ${err.slice(-500)}`)), 120_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (digestShown.test(out)) {
          clearTimeout(timer);
          resolve(Number(process.hrtime.bigint() - started) / 1e9);
        }
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code} before the digest; stderr: ${err.slice(-500)}`));
      });
    });
    return { seconds, peakRssMb: await groupPeakRssMb(pgid) };
  } finally {
    // Signal the whole group (npm, its shell and node), as Ctrl-C would; kill it if it does not stop.
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const force = setTimeout(() => {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 10_000);
    await exited;
    // npm can exit before its node child has closed the database (which still writes to the data
    // directory): wait for the whole group, so nothing is left running and the directory can go.
    while ((await groupMembers(pgid)).length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    clearTimeout(force);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * `npm run bench -- start [--repeat N]`: a fresh `npm start` (empty embedded database, demo data
 * loaded, first digest printed) as a user runs it, N times one after the other; the anchor is
 * `node -e ""` in the same run.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { repeat: { type: 'string', default: '3' } } });
  const repeat = Number(values.repeat);
  await ensureDist();
  const node: number[] = [];
  const runs: { seconds: number; peakRssMb: number | null }[] = [];
  for (let i = 0; i < repeat; i++) {
    const t = process.hrtime.bigint();
    await new Promise((resolve) => spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }).once('exit', resolve));
    node.push(Number(process.hrtime.bigint() - t) / 1e9);
    runs.push(await startOnce());
  }
  const rss = runs.map((r) => r.peakRssMb).filter((x): x is number => x !== null);
  console.log(
    JSON.stringify({
      bench: 'start',
      repeat,
      secondsToDigest: round(median(runs.map((r) => r.seconds))),
      runs: runs.map((r) => round(r.seconds)),
      peakRssMb: rss.length > 0 ? Math.round(Math.max(...rss)) : null,
      nodeSeconds: round(median(node)),
    }),
  );
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
