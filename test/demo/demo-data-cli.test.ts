import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/cli-context.js';
import { registerDemoData } from '../../src/cli/commands/demo-data.js';
import type { Config } from '../../src/config.js';
import { CostbridgeError } from '../../src/domain/costbridge-error.js';
import { readTree, removeDir, tempDir } from './demo-support.js';

async function run(...args: string[]): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  const ctx: CliContext = {
    config: {} as Config,
    io: { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) },
    store: () => Promise.reject(new Error('demo-data must not open the store')),
    actor: async (as) => as ?? 'test',
  };
  const program = new Command('costbridge').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerDemoData(program, ctx);
  await program.parseAsync(['node', 'costbridge', ...args]);
  return { out, err };
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir('costbridge-demo-cli-');
});
afterAll(async () => {
  await removeDir(dir);
});

describe('costbridge demo-data', () => {
  it('writes the data set and prints a summary that says it is synthetic', async () => {
    const out = join(dir, 'demo');
    const r = await run('demo-data', '--out', out, '--months', '2', '--rows', '800', '--seed', '5', '--as-of', '2026-06-20');
    expect(r.out).toMatch(/^SYNTHETIC DEMO DATA/);
    expect(r.out).toContain('focus/nimbus-cloud-2026-05.csv');
    expect(r.out).toContain('800 rows, BilledCost');
    for (const gap of ['accrual timing', 'amortization', 'price change', 'new AI service', 'untagged']) expect(r.out).toContain(gap);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.parameters).toEqual({ seed: 5, months: 2, rows: 800, asOf: '2026-06-20' });
  });

  it('uses the documented defaults and regenerates over an earlier demo data set', async () => {
    const out = join(dir, 'defaults');
    await run('demo-data', '--out', out, '--as-of', '2026-06-20');
    const first = await readTree(out);
    const manifest = JSON.parse(first.get('manifest.json')!);
    expect(manifest.parameters).toEqual({ seed: 1, months: 3, rows: 5000, asOf: '2026-06-20' });
    // A second run with other months replaces the old files instead of leaving stale months behind.
    await run('demo-data', '--out', out, '--as-of', '2026-08-20', '--rows', '1000');
    const second = await readTree(out);
    expect([...second.keys()].filter((p) => p.includes('2026-04'))).toEqual([]);
    expect(second.has('focus/nimbus-cloud-2026-08.csv')).toBe(true);
  });

  it('defaults --as-of to today (UTC)', async () => {
    const out = join(dir, 'today');
    await run('demo-data', '--out', out, '--rows', '2000');
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.parameters.asOf).toBe(new Date().toISOString().slice(0, 10));
  });

  it('refuses a non-empty directory that is not a demo data set', async () => {
    const out = join(dir, 'foreign');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'keep.txt'), 'mine');
    await expect(run('demo-data', '--out', out)).rejects.toThrow(/not empty/);
    expect(await readFile(join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('rejects bad flags with INPUT_INVALID', async () => {
    for (const args of [[], ['--out', join(dir, 'x'), '--months', 'three'], ['--out', join(dir, 'x'), '--rows', '10'], ['--out', join(dir, 'x'), '--as-of', '2026-13-01'], ['--out', join(dir, 'x'), '--seed', '-4']]) {
      const e = await run('demo-data', ...args).then(() => undefined, (x: unknown) => x);
      expect(e, args.join(' ')).toBeInstanceOf(CostbridgeError);
      expect((e as CostbridgeError).code).toBe('INPUT_INVALID');
    }
  });
});
