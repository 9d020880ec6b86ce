import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ensureDist } from '../scripts/build-dist.js';
import { writeFocusBenchFile } from '../src/demo/focus-bench-file.js';
import { createBenchDatabase, median } from './bench-database.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// GNU time reports a child's peak RSS (getrusage of the waited-for process), whatever the child runs.
const gnuTime = '/usr/bin/time';

/**
 * Generates an N-row FOCUS file, then per repetition, one after the other so load affects all alike:
 * loads it with plain COPY into an unindexed all-text table (the floor); imports it with costbridge
 * inside a child process (the import alone, `seconds`); runs `costbridge import focus FILE` as a
 * user would, on a fresh migrated Postgres database, timed from process start to exit
 * (`endToEndSeconds`); and loads it into a new DuckDB database file with DuckDB's typed CSV reader
 * in a process of its own, start to exit (`duckdbSeconds`, the other anchor).
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { rows: { type: 'string', default: '1000000' }, repeat: { type: 'string', default: '3' } },
  });
  const rows = Number(values.rows);
  const repeat = Number(values.repeat);
  const dir = await mkdtemp(join(tmpdir(), 'costbridge-bench-'));
  const file = join(dir, 'focus.csv');
  try {
    await ensureDist();
    await writeFocusBenchFile(file, rows, 42);
    const bytes = (await stat(file)).size;
    const copyTimes: number[] = [];
    const importTimes: number[] = [];
    const rss: number[] = [];
    const endToEnd: number[] = [];
    const endToEndRss: number[] = [];
    const duckdb: number[] = [];
    const duckdbRss: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const db = await createBenchDatabase();
      try {
        copyTimes.push(await copyFloor(db.url, file));
        const child = await importInChild(db.url, file);
        if (child.rows !== rows) throw new Error(`imported ${child.rows} rows, expected ${rows}`);
        importTimes.push(child.seconds);
        rss.push(child.peakRssMb);
      } finally {
        await db.drop();
      }
      const user = await importAsUser(file, rows);
      endToEnd.push(user.seconds);
      if (user.peakRssMb !== null) endToEndRss.push(user.peakRssMb);
      const duck = await duckdbLoad(dir, file, rows);
      duckdb.push(duck.seconds);
      if (duck.peakRssMb !== null) duckdbRss.push(duck.peakRssMb);
    }
    const seconds = median(importTimes);
    const copySeconds = median(copyTimes);
    const endToEndSeconds = median(endToEnd);
    const duckdbSeconds = median(duckdb);
    const peak = (xs: number[]) => (xs.length > 0 ? Math.round(Math.max(...xs)) : null);
    console.log(
      JSON.stringify({
        bench: 'ingest',
        rows,
        megabytes: Math.round(bytes / 1e6),
        seconds: round(seconds),
        rowsPerSecond: Math.round(rows / seconds),
        copySeconds: round(copySeconds),
        importRatioToCopy: round(seconds / copySeconds),
        peakRssMb: Math.round(Math.max(...rss)),
        endToEndSeconds: round(endToEndSeconds),
        ratioToCopy: round(endToEndSeconds / copySeconds),
        endToEndPeakRssMb: peak(endToEndRss),
        duckdbSeconds: round(duckdbSeconds),
        ratioToDuckdb: round(endToEndSeconds / duckdbSeconds),
        duckdbPeakRssMb: peak(duckdbRss),
        repeat,
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function copyFloor(url: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const header = await firstLine(file);
    const columns = header.split(',').map((c, i) => `"c${i}_${c.replace(/\W/g, '')}" text`);
    await client.query(`CREATE TABLE copy_floor (${columns.join(', ')})`);
    const started = process.hrtime.bigint();
    await pipeline(createReadStream(file), client.query(copyFrom('COPY copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)')));
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await client.end();
  }
}

async function firstLine(file: string): Promise<string> {
  for await (const chunk of createReadStream(file, { encoding: 'utf8', end: 64 * 1024 })) {
    return (chunk as string).split(/\r?\n/)[0]!.replace(/^\uFEFF/, '');
  }
  return '';
}

function importInChild(url: string, file: string): Promise<{ rows: number; seconds: number; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    // The same V8 flag bin/costbridge.js runs the CLI with.
    const child = spawn(process.execPath, ['--max-semi-space-size=32', join(root, 'bin/run-ts.js'), join(root, 'bench/ingest-child.ts'), file], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`import child exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
}

/** One process timed from spawn to exit, with its peak RSS from GNU time when the machine has it. */
function timedProcess(args: readonly string[], env: NodeJS.ProcessEnv, rssFile: string): Promise<{ seconds: number; peakRssMb: number | null; stdout: string }> {
  const measured = existsSync(gnuTime);
  const [command, ...rest] = measured ? [gnuTime, '-f', '%M', '-o', rssFile, process.execPath, ...args] : [process.execPath, ...args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command!, rest, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with ${code}: ${err.trim().split('\n').pop()}`));
      if (!measured) return resolve({ seconds, peakRssMb: null, stdout: out });
      readFile(rssFile, 'utf8').then(
        (text) => resolve({ seconds, peakRssMb: Number(text.trim().split('\n').pop()) / 1024, stdout: out }),
        reject,
      );
    });
  });
}

/** `costbridge import focus FILE` on a fresh, already migrated Postgres database, as a user runs it (compiled CLI). */
async function importAsUser(file: string, rows: number): Promise<{ seconds: number; peakRssMb: number | null }> {
  const db = await createBenchDatabase();
  try {
    const env = { PATH: process.env.PATH, DATABASE_URL: db.url, LOG_LEVEL: 'silent' };
    const cli = ['--max-semi-space-size=32', join(root, 'bin/costbridge.js')];
    const rssFile = join(tmpdir(), `costbridge-bench-rss-${process.pid}`);
    await timedProcess([...cli, 'migrate'], env, rssFile);
    const run = await timedProcess([...cli, 'import', 'focus', file], env, rssFile);
    await rm(rssFile, { force: true });
    const stored = await countLines(db.url);
    if (stored !== rows) throw new Error(`costbridge import focus stored ${stored} lines, expected ${rows}`);
    return run;
  } finally {
    await db.drop();
  }
}

/** DuckDB's typed load of the same file into a new database file, start to exit. */
async function duckdbLoad(dir: string, file: string, rows: number): Promise<{ seconds: number; peakRssMb: number | null }> {
  const database = join(dir, 'anchor.duckdb');
  const rssFile = join(dir, 'duckdb.rss');
  try {
    const run = await timedProcess([join(root, 'bench/duckdb-load.mjs'), file, database], { PATH: process.env.PATH }, rssFile);
    if (Number(run.stdout.trim()) !== rows) throw new Error(`DuckDB loaded ${run.stdout.trim()} rows, expected ${rows}`);
    return run;
  } finally {
    await rm(database, { force: true });
    await rm(`${database}.wal`, { force: true });
    await rm(rssFile, { force: true });
  }
}

async function countLines(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>('SELECT count(*) AS n FROM cost_line');
    return Number(r.rows[0]!.n);
  } finally {
    await client.end();
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
