import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openStore } from '../../src/store/database.js';
import { baseFocusRow, focusCsv } from '../support/focus-csv.js';

const bin = fileURLToPath(new URL('../../bin/costbridge.js', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One CLI command in a process of its own, as a second terminal runs it. */
function costbridge(env: Record<string, string>, ...args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the CLI beside a running costbridge start on the embedded database', () => {
  let dir: string;
  let env: Record<string, string>;
  let start: ChildProcess;
  let startOut = '';
  let startErr = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'costbridge-beside-'));
    env = { COSTBRIDGE_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' };
    // Its own process group, so the test can stop it and anything it started.
    start = spawn(process.execPath, [bin, 'start', '--as-of', '2026-09-15'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    exited = new Promise((resolve) => start.on('exit', (code) => resolve(code)));
    start.stdout!.on('data', (d: Buffer) => (startOut += d.toString()));
    await new Promise<void>((resolve, reject) => {
      start.stderr!.on('data', (d: Buffer) => {
        startErr += d.toString();
        if (startErr.includes('the review scheduler is running')) resolve();
      });
      start.on('exit', () => reject(new Error(`costbridge start exited early:\n${startErr}`)));
    });
  });
  afterAll(async () => {
    if (start?.pid && start.exitCode === null) process.kill(-start.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('says it serves the database to the other commands, which then work in a second terminal and change what the running process sees', async () => {
    expect(startErr).toContain(`costbridge start: other costbridge commands on this embedded database go through this process (${join(dir, 'data', '.s.PGSQL.5432')}) while it runs`);
    const item = /\[Claim\] npx costbridge claim (\d+) --cost-center CODE --as YOU/.exec(startOut)?.[1];
    expect(item).toBeDefined();
    const costCenter = readFileSync(join(dir, 'data', 'demo-data', 'itfm', 'cost-centers.csv'), 'utf8').split('\n')[1]!.split(',')[0]!;

    const admin = await costbridge(env, 'people', 'add', 'admin@example.com', '--role', 'admin');
    expect(admin.stderr).toContain('through the running costbridge start (process');
    expect(admin.code).toBe(0);
    // Two commands at once: each waits for its turn, both succeed.
    const [fin, owner] = await Promise.all([
      costbridge(env, 'people', 'add', 'fin@example.com', '--role', 'finops', '--as', 'admin@example.com'),
      costbridge(env, 'people', 'add', 'owner@example.com', '--role', 'owner', '--cost-center', costCenter, '--as', 'admin@example.com'),
    ]);
    expect([fin.code, owner.code, fin.stderr + owner.stderr]).toEqual([0, 0, expect.not.stringContaining('rror')]);

    const unattributed = async () => {
      const list = await costbridge(env, 'unattributed', '--period', '2026-09', '--json');
      expect(list.code).toBe(0);
      return JSON.parse(list.stdout) as { unattributedTotal: string; items: { id: number; status: string; cost: string }[] };
    };
    const before = await unattributed();
    const claimed = before.items.find((i) => String(i.id) === item)!;
    expect(claimed.status).toBe('open');
    const claim = await costbridge(env, 'claim', item!, '--cost-center', costCenter, '--as', 'fin@example.com');
    expect(claim.stderr).not.toContain('in use by');
    expect(claim.code).toBe(0);
    expect(claim.stdout).toContain(`item ${item} claimed by fin@example.com`);

    // The claimed item's lines are attributed now: the running process's data says so.
    const after = await unattributed();
    expect(Number(after.unattributedTotal)).toBeCloseTo(Number(before.unattributedTotal) - Number(claimed.cost), 6);
    expect(after.items.find((i) => String(i.id) === item && i.status === 'open')).toBeUndefined();
  });

  it('imports a FOCUS file through the running process (COPY carried as INSERTs), exactly', async () => {
    const rows = [1, 2, 3].map((i) => ({
      ...baseFocusRow,
      BillingAccountId: 'BESIDE-1',
      BilledCost: `${i}.25`,
      EffectiveCost: `-${i}.5`,
      ChargeDescription: `tab\there, quote " and back\\slash ${i}`,
      BillingPeriodStart: '2026-05-01T00:00:00Z',
      BillingPeriodEnd: '2026-06-01T00:00:00Z',
      ChargePeriodStart: '2026-05-02T00:00:00Z',
      ChargePeriodEnd: '2026-05-03T00:00:00Z',
    }));
    const file = join(dir, 'beside.csv');
    writeFileSync(file, focusCsv(rows));
    const run = await costbridge(env, 'import', 'focus', file, '--json');
    expect(run.stderr).not.toContain('in use by');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 3, totals: { billedCost: '6.75', effectiveCost: '-7.5', currency: 'USD' } });
    const spend = await costbridge(env, 'report', 'spend', '--period', '2026-05', '--basis', 'billed', '--json');
    expect(JSON.parse(spend.stdout)).toMatchObject({ total: '6.75' });
  });

  it('refuses a second long-running start on the same database, naming the running one', async () => {
    const second = await costbridge(env, 'start', '--no-demo');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/costbridge: costbridge start \(process \d+\) is already running on this embedded database; stop it before starting costbridge start/);
  });

  it('stops on SIGTERM, and what the commands changed is in its database', async () => {
    process.kill(-start.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(startErr).toContain('SIGTERM received; stopping');
    const store = await openStore({ dataDir: join(dir, 'data') });
    try {
      const people = await sql<{ id: string }>`SELECT id FROM person ORDER BY id`.execute(store.db);
      expect(people.rows.map((r) => r.id)).toEqual(['admin@example.com', 'fin@example.com', 'owner@example.com']);
      const lines = await sql<{ n: number; billed: string }>`SELECT count(*)::int AS n, sum(billed_cost)::text AS billed FROM cost_line WHERE billing_account_id = 'BESIDE-1'`.execute(store.db);
      expect(lines.rows[0]).toEqual({ n: 3, billed: '6.75' });
      const descriptions = await sql<{ d: string }>`SELECT DISTINCT charge_description AS d FROM cost_line WHERE billing_account_id = 'BESIDE-1' ORDER BY d`.execute(store.db);
      expect(descriptions.rows.map((r) => r.d)).toEqual([1, 2, 3].map((i) => `tab\there, quote " and back\\slash ${i}`));
    } finally {
      await store.close();
    }
  });
});
