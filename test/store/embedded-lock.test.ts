import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeHolder, lockEmbeddedDirectory, processStartTime } from '../../src/store/embedded-lock.js';
import { openStore } from '../../src/store/database.js';

const opener = fileURLToPath(new URL('../support/embedded-opener.js', import.meta.url));

interface Racer {
  readonly child: ChildProcess;
  readonly name: string;
  stderr: string;
  readonly ready: Promise<void>;
  readonly result: Promise<{ outcome: string; code?: string; message?: string; stack?: string; pid?: number }>;
  readonly exit: Promise<number | null>;
}

function racer(dataDir: string, name: string): Racer {
  const child = spawn(process.execPath, [opener, dataDir, name], { stdio: ['pipe', 'pipe', 'pipe'] });
  // A refused racer exits at once; writing to it afterwards is not an error here.
  child.stdin!.on('error', () => undefined);
  const lines = createInterface({ input: child.stdout! });
  const r: Racer = {
    child,
    name,
    stderr: '',
    ready: new Promise((resolve) => lines.once('line', () => resolve())),
    result: new Promise((resolve) => {
      let seen = 0;
      lines.on('line', (l) => {
        if (seen++ === 1 || l.startsWith('{')) resolve(JSON.parse(l));
      });
    }),
    // 'close', not 'exit': by then the child's stdout and stderr are read to their end.
    exit: new Promise((resolve) => child.on('close', (code) => resolve(code))),
  };
  child.stderr!.on('data', (d: Buffer) => (r.stderr += d.toString()));
  return r;
}

/** Starts `n` processes, waits until each has loaded the store code, then lets all open at once. */
async function race(dataDir: string, n: number): Promise<{ racers: Racer[]; results: Awaited<Racer['result']>[] }> {
  const racers = Array.from({ length: n }, (_, i) => racer(dataDir, `racer-${i}`));
  await Promise.all(racers.map((r) => r.ready));
  for (const r of racers) r.child.stdin!.write('go\n');
  const results = await Promise.all(racers.map((r) => r.result));
  return { racers, results };
}

async function finish(racers: Racer[]): Promise<(number | null)[]> {
  for (const r of racers) r.child.stdin!.end('close\n');
  return Promise.all(racers.map((r) => r.exit));
}

/** A pid that belonged to a process which has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'costbridge-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the embedded database lock', () => {
  it('twenty simultaneous openers: exactly one opens, nineteen are told who holds it and how to stop it, none crashes', async () => {
    const dir = newDir();
    const { racers, results } = await race(dir, 20);
    const opened = results.filter((r) => r.outcome === 'opened');
    expect(results.filter((r) => r.outcome === 'crashed')).toEqual([]);
    expect(opened).toHaveLength(1);
    const winner = racers[results.indexOf(opened[0]!)]!;
    const refused = results.filter((r) => r.outcome === 'refused');
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      expect(r.message).toContain(`the embedded database in ${dir} is in use by ${winner.name} (process ${opened[0]!.pid}, since `);
      expect(r.message).toContain(`stop it (Ctrl-C in its terminal, or kill ${opened[0]!.pid})`);
    }
    expect(racers.map((r) => r.stderr).join('')).not.toMatch(/ENOENT|Error|at /);
    expect(await finish(racers)).toEqual(racers.map(() => 0));
    expect(existsSync(join(dir, 'costbridge.lock'))).toBe(false);
  });

  it('a stale lock and twenty simultaneous openers: exactly one takes it over with a notice, nineteen are refused', async () => {
    const dir = newDir();
    const pid = await deadPid();
    writeFileSync(
      join(dir, 'costbridge.lock'),
      JSON.stringify({ pid, host: hostname(), processStartedAt: Date.now() - 60_000, lockedAt: Date.now() - 60_000, command: 'costbridge start' }),
    );
    const { racers, results } = await race(dir, 20);
    expect(results.filter((r) => r.outcome === 'crashed')).toEqual([]);
    const opened = results.filter((r) => r.outcome === 'opened');
    expect(opened).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'refused')).toHaveLength(19);
    // The notice goes to stderr, which may arrive after the result on stdout: read it once all have ended.
    expect(await finish(racers)).toEqual(racers.map(() => 0));
    const notices = racers.filter((r) => r.stderr.includes('took over the lock'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.stderr).toContain(`costbridge: took over the lock of the embedded database in ${dir}: process ${pid} (costbridge start) is gone`);
    expect(results.indexOf(opened[0]!)).toBe(racers.indexOf(notices[0]!));
    expect(existsSync(join(dir, 'costbridge.lock'))).toBe(false);
  });

  it('recognises a live pid that started after the lock was taken as a stale lock', async () => {
    const dir = newDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    children.push(other);
    await new Promise((resolve) => other.once('spawn', resolve));
    const hourAgo = Date.now() - 3_600_000;
    writeFileSync(join(dir, 'costbridge.lock'), JSON.stringify({ pid: other.pid, host: hostname(), processStartedAt: hourAgo, lockedAt: hourAgo, command: 'costbridge serve' }));
    const notices: string[] = [];
    const outcome = await lockEmbeddedDirectory(dir, 'test', (t) => notices.push(t));
    expect('lock' in outcome).toBe(true);
    expect(notices).toEqual([
      `costbridge: took over the lock of the embedded database in ${dir}: process ${other.pid} (costbridge serve) is gone; pid ${other.pid} now belongs to a process started after the lock was taken`,
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'costbridge.lock'), 'utf8'))).toMatchObject({ pid: process.pid, command: 'test' });
    if ('lock' in outcome) outcome.lock.release();
    expect(existsSync(join(dir, 'costbridge.lock'))).toBe(false);
  });

  it('names a live holder with the command to stop it, and takes over a dead one in the old pid-only format', async () => {
    const dir = newDir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    children.push(holder);
    await new Promise((resolve) => holder.once('spawn', resolve));
    const started = processStartTime(holder.pid!);
    writeFileSync(join(dir, 'costbridge.lock'), JSON.stringify({ pid: holder.pid, host: hostname(), processStartedAt: started, lockedAt: Date.now(), command: 'costbridge import focus' }));
    const outcome = await lockEmbeddedDirectory(dir, 'test', () => undefined);
    expect('heldBy' in outcome && outcome.heldBy.pid).toBe(holder.pid);
    await expect(openStore({ dataDir: dir })).rejects.toThrow(
      new RegExp(`in use by costbridge import focus \\(process ${holder.pid}, since .* UTC\\); wait for it to finish or stop it \\(Ctrl-C in its terminal, or kill ${holder.pid}\\), or set DATABASE_URL`),
    );
    if ('heldBy' in outcome) expect(describeHolder(dir, outcome.heldBy, outcome.path)).toContain(`kill ${holder.pid}`);

    writeFileSync(join(dir, 'costbridge.lock'), String(await deadPid()));
    const notices: string[] = [];
    const taken = await lockEmbeddedDirectory(dir, 'test', (t) => notices.push(t));
    expect('lock' in taken).toBe(true);
    expect(notices[0]).toMatch(/took over the lock .*: process \d+ \(a costbridge process\) is gone$/);
    if ('lock' in taken) taken.lock.release();
  });

  it.runIf(process.platform === 'linux')('takes over a lock whose pid now runs another program', async () => {
    const dir = newDir();
    const other = spawn('sleep', ['60']);
    children.push(other);
    await new Promise((resolve) => other.once('spawn', resolve));
    // The old format (a bare pid) gives no start time to compare; the program tells.
    writeFileSync(join(dir, 'costbridge.lock'), String(other.pid));
    const notices: string[] = [];
    const outcome = await lockEmbeddedDirectory(dir, 'test', (t) => notices.push(t));
    expect('lock' in outcome).toBe(true);
    expect(notices[0]).toMatch(new RegExp(`process ${other.pid} \\(a costbridge process\\) is gone; pid ${other.pid} now belongs to another program \\(sleep\\)$`));
    if ('lock' in outcome) outcome.lock.release();
  });

  it('refuses a second open of the same directory in one process', async () => {
    const dir = newDir();
    const outcome = await lockEmbeddedDirectory(dir, 'first', () => undefined);
    await expect(lockEmbeddedDirectory(dir, 'second', () => undefined)).rejects.toThrow(`the embedded database in ${dir} is already open in this process`);
    if ('lock' in outcome) outcome.lock.release();
  });
});
