import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { linkSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CostbridgeError } from '../domain/costbridge-error.js';

/** The Postgres convention: a client given a socket directory and a port connects to DIR/.s.PGSQL.PORT. */
export const embeddedSocketPort = 5432;

/** Where a process holding an embedded database serves it to other local processes. */
export type EmbeddedAddress = { readonly path: string } | { readonly host: string; readonly port: number };

/** What the lock file of an embedded data directory says about its holder. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** When the holding process started (ms since the epoch), to tell its pid from a reused one; null if unknown. */
  readonly processStartedAt: number | null;
  /** When the lock was taken (ms since the epoch). */
  readonly lockedAt: number;
  /** What holds it, for people: `costbridge start`. */
  readonly command: string;
  /** Set while the holder serves the database to other local costbridge processes. */
  readonly serves?: EmbeddedAddress;
}

/** A held lock on an embedded data directory. */
export interface EmbeddedLock {
  readonly path: string;
  /** Records (or clears) where this process serves the database, in the lock file. */
  setServes(address: EmbeddedAddress | undefined): void;
  /** Removes the lock file, if it is still this process's. */
  release(): void;
}

/** The lock, or the live process that holds it. */
export type LockOutcome = { readonly lock: EmbeddedLock } | { readonly heldBy: LockHolder; readonly path: string };

const lockName = 'costbridge.lock';
const guardPrefix = `${lockName}.takeover-`;
// Start times come from whole-second clocks on some systems; a process started this long after the
// lock was written cannot be the one that wrote it.
const startTolerance = 2_000;

/**
 * Takes the lock of an embedded data directory: PGlite keeps state in memory, so two processes on
 * one directory would overwrite each other's writes. The lock file appears complete in one step
 * (a hard link of a fully written file); a lock left by a process that is gone, or whose pid now
 * belongs to a process started after the lock was taken, is taken over with a notice, under a guard
 * file named after that exact stale content so that only one of several racing processes takes it.
 * A live holder is returned, not waited for.
 */
export async function lockEmbeddedDirectory(dataDir: string, command: string, notice: (text: string) => void): Promise<LockOutcome> {
  const path = join(dataDir, lockName);
  const mine = recordFor(command);
  for (let attempt = 0; attempt < 200; attempt++) {
    if (createExclusive(path, serialize(mine))) return { lock: heldLock(path, mine) };
    const current = readLock(path);
    if (!current) continue; // released meanwhile: try again
    const verdict = judge(current);
    if (verdict.kind === 'live') {
      if (current.holder?.pid === process.pid && current.holder.host === mine.host) {
        throw new CostbridgeError('CONFLICT', `the embedded database in ${dataDir} is already open in this process`);
      }
      return { heldBy: current.holder!, path };
    }
    if (verdict.kind === 'unsettled') {
      await sleep(20);
      continue;
    }
    if (await takeOver(path, current.text, serialize(mine))) {
      notice(`costbridge: took over the lock of the embedded database in ${dataDir}: ${verdict.reason}`);
      removeDeadGuards(dataDir);
      return { lock: heldLock(path, mine) };
    }
    // Another process is taking the same stale lock over: look again in a moment.
    await sleep(5 + Math.random() * 20);
  }
  throw new CostbridgeError('CONFLICT', `cannot lock the embedded database in ${dataDir}: ${path} keeps changing; try again`);
}

/** The message for a live holder: who, since when, and how to stop it. */
export function describeHolder(dataDir: string, holder: LockHolder, path: string): string {
  const since = new Date(holder.lockedAt).toISOString().replace('T', ' ').slice(0, 19);
  if (holder.host !== hostname()) {
    return (
      `the embedded database in ${dataDir} is in use by ${holder.command} (process ${holder.pid} on host ${holder.host}, since ${since} UTC); ` +
      `stop it there, or if that host no longer runs it, delete ${path}`
    );
  }
  return (
    `the embedded database in ${dataDir} is in use by ${holder.command} (process ${holder.pid}, since ${since} UTC); ` +
    `wait for it to finish or stop it (Ctrl-C in its terminal, or kill ${holder.pid}), or set DATABASE_URL to share a PostgreSQL database`
  );
}

interface ReadLock {
  readonly text: string;
  /** Undefined when the file is empty or unreadable. */
  readonly holder: LockHolder | undefined;
  readonly mtimeMs: number;
}

function recordFor(command: string): LockHolder {
  return { pid: process.pid, host: hostname(), processStartedAt: processStartTime(process.pid), lockedAt: Date.now(), command };
}

function serialize(holder: LockHolder): string {
  return `${JSON.stringify(holder)}\n`;
}

function readLock(path: string): ReadLock | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(path, 'utf8');
    mtimeMs = statSync(path).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return { text, holder: parseHolder(text, mtimeMs), mtimeMs };
}

/** The JSON record, or the bare pid earlier versions wrote (its file time standing in for the lock time). */
function parseHolder(text: string, mtimeMs: number): LockHolder | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    return { pid: Number(trimmed), host: hostname(), processStartedAt: null, lockedAt: mtimeMs, command: 'a costbridge process' };
  }
  try {
    const r = JSON.parse(trimmed) as Partial<LockHolder>;
    if (typeof r.pid !== 'number' || typeof r.host !== 'string' || typeof r.lockedAt !== 'number') return undefined;
    return {
      pid: r.pid,
      host: r.host,
      processStartedAt: typeof r.processStartedAt === 'number' ? r.processStartedAt : null,
      lockedAt: r.lockedAt,
      command: typeof r.command === 'string' ? r.command : 'a costbridge process',
      ...(r.serves ? { serves: r.serves } : {}),
    };
  } catch {
    return undefined;
  }
}

type Verdict = { kind: 'live' } | { kind: 'stale'; reason: string } | { kind: 'unsettled' };

function judge(current: ReadLock): Verdict {
  const h = current.holder;
  if (!h) {
    // Earlier versions created the file first and wrote the pid after: give a writer a moment.
    return Date.now() - current.mtimeMs < 2_000 ? { kind: 'unsettled' } : { kind: 'stale', reason: 'the lock file was empty or unreadable' };
  }
  if (h.host !== hostname()) return { kind: 'live' }; // cannot see that host's processes
  const who = `process ${h.pid} (${h.command})`;
  if (!isAlive(h.pid)) return { kind: 'stale', reason: `${who} is gone` };
  const program = processProgram(h.pid);
  if (program !== null && !/node|costbridge/i.test(program)) {
    return { kind: 'stale', reason: `${who} is gone; pid ${h.pid} now belongs to another program (${program})` };
  }
  const started = processStartTime(h.pid);
  if (started !== null) {
    if (started > h.lockedAt + startTolerance) {
      return { kind: 'stale', reason: `${who} is gone; pid ${h.pid} now belongs to a process started after the lock was taken` };
    }
    if (h.processStartedAt !== null && Math.abs(started - h.processStartedAt) > startTolerance) {
      return { kind: 'stale', reason: `${who} is gone; pid ${h.pid} now belongs to another process` };
    }
  }
  return { kind: 'live' };
}

/**
 * Replaces the stale lock whose content is `staleText` with ours. Only the process that creates the
 * guard named after that content may remove it; a guard whose creator died is itself taken over
 * through a guard named after both.
 */
async function takeOver(path: string, staleText: string, mineText: string, chain = staleText, depth = 0): Promise<boolean> {
  const guard = `${path.slice(0, -lockName.length)}${guardPrefix}${createHash('sha256').update(chain).digest('hex').slice(0, 16)}`;
  if (!createExclusive(guard, mineText)) {
    const holder = readLock(guard);
    if (holder && depth < 4 && judge(holder).kind === 'stale') return takeOver(path, staleText, mineText, chain + holder.text, depth + 1);
    return false;
  }
  try {
    const now = readLock(path);
    if (!now || now.text !== staleText) return false;
    // Replaced in one step: were it removed and then created, a racer's plain create could land in
    // between and open without anyone saying the stale lock was taken over.
    replaceFile(path, mineText);
    return true;
  } finally {
    removeIfMine(guard, mineText);
  }
}

/** Creates `path` holding `text` only if it does not exist; the content is complete the moment the file appears. */
function createExclusive(path: string, text: string): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, text, { flag: 'wx', mode: 0o644 });
  try {
    linkSync(temp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw e;
    // A file system without hard links: an exclusive create (readers treat a short empty file as unsettled).
    try {
      writeFileSync(path, text, { flag: 'wx', mode: 0o644 });
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }
}

/** Replaces `path` with `text` in one step (a rename), so a reader sees the old content or the new, never no file. */
function replaceFile(path: string, text: string): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, text, { flag: 'wx', mode: 0o644 });
  renameSync(temp, path);
}

function removeIfMine(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Guards left by a process that died while taking a lock over (rare); harmless, but not left lying around. */
function removeDeadGuards(dataDir: string): void {
  try {
    for (const name of readdirSync(dataDir)) {
      if (!name.startsWith(guardPrefix)) continue;
      const guard = readLock(join(dataDir, name));
      if (guard && judge(guard).kind === 'stale') removeIfMine(join(dataDir, name), guard.text);
    }
  } catch {
    // best effort
  }
}

function heldLock(path: string, record: LockHolder): EmbeddedLock {
  let current = serialize(record);
  return {
    path,
    setServes(address) {
      const { serves: _previous, ...rest } = record;
      record = address ? { ...rest, serves: address } : rest;
      const next = serialize(record);
      replaceFile(path, next);
      current = next;
    },
    release() {
      removeIfMine(path, current);
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** The program a process runs (its first command-line word), where the system says (Linux). */
function processProgram(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return argv0 ? argv0 : null;
  } catch {
    return null;
  }
}

let bootTimeMs: number | null | undefined;

/** When process `pid` started (ms since the epoch), or null when this system does not say. */
export function processStartTime(pid: number): number | null {
  try {
    if (process.platform === 'linux') {
      bootTimeMs ??= Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]) * 1000 || null;
      if (bootTimeMs === null) return null;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at field 3; starttime is field 22, in clock ticks (100 per second).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[19]);
      return Number.isFinite(ticks) ? bootTimeMs + ticks * 10 : null;
    }
    if (process.platform === 'darwin' || process.platform === 'freebsd' || process.platform === 'openbsd') {
      const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      const ms = Date.parse(out);
      return Number.isFinite(ms) ? ms : null;
    }
  } catch {
    return null;
  }
  return null;
}
