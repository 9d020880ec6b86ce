import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { writeFocusBenchFile } from '../src/demo/focus-bench-file.js';
import { createBenchDatabase, median } from './bench-database.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Generates an N-row FOCUS file, then per repetition: loads it with plain COPY into an unindexed
 * all-text table (the floor), and imports it with costbridge in a child process on a fresh database.
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
    await writeFocusBenchFile(file, rows, 42);
    const bytes = (await stat(file)).size;
    const copyTimes: number[] = [];
    const importTimes: number[] = [];
    const rss: number[] = [];
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
    }
    const seconds = median(importTimes);
    const copySeconds = median(copyTimes);
    console.log(
      JSON.stringify({
        bench: 'ingest',
        rows,
        megabytes: Math.round(bytes / 1e6),
        seconds: round(seconds),
        rowsPerSecond: Math.round(rows / seconds),
        copySeconds: round(copySeconds),
        ratioToCopy: round(seconds / copySeconds),
        peakRssMb: Math.round(Math.max(...rss)),
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

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
