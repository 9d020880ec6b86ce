import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFocusColumns, focusMandatoryColumns } from '../../src/demo/demo-focus-format.js';
import { writeFocusBenchFile } from '../../src/demo/focus-bench-file.js';
import { Decimal, parseCsv, removeDir, tempDir } from './demo-support.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('costbridge-bench-');
});
afterAll(async () => {
  await removeDir(dir);
});

describe('writeFocusBenchFile', () => {
  it('writes exactly N data rows of valid FOCUS 1.2 usage and reports the bytes', async () => {
    const path = join(dir, 'bench.csv');
    const result = await writeFocusBenchFile(path, 12_345, 42);
    expect(result.rows).toBe(12_345);
    expect(result.bytes).toBe((await stat(path)).size);
    const { header, records } = parseCsv(await readFile(path, 'utf8'));
    expect(header).toEqual([...demoFocusColumns]);
    for (const c of focusMandatoryColumns) expect(header).toContain(c);
    expect(records).toHaveLength(12_345);
    const tagKeyCounts = new Set<number>();
    for (const r of records.slice(0, 2000)) {
      expect(r['ChargeCategory']).toBe('Usage');
      expect(r['x_Demo']).toBe('synthetic');
      expect(r['ChargePeriodStart']).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
      const tags = JSON.parse(r['Tags']!) as Record<string, string>;
      tagKeyCounts.add(Object.keys(tags).length);
      expect(new Decimal(r['ContractedUnitPrice']!).times(r['PricingQuantity']!).equals(new Decimal(r['BilledCost']!))).toBe(true);
    }
    expect(Math.min(...tagKeyCounts)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...tagKeyCounts)).toBeLessThanOrEqual(6);
  });

  it('tags owner or team, project and legal entity alike for every resource of one application stack', async () => {
    const path = join(dir, 'stacks.csv');
    await writeFocusBenchFile(path, 20_000, 3);
    const stackTags = new Map<string, Set<string>>();
    const resources = new Map<string, Set<string>>();
    for (const r of parseCsv(await readFile(path, 'utf8')).records) {
      const tags = JSON.parse(r['Tags']!) as Record<string, string>;
      const app = tags['application']!;
      const shared = JSON.stringify([tags['owner'] ?? null, tags['team'] ?? null, tags['project'] ?? null, tags['legal_entity'] ?? null]);
      stackTags.set(app, (stackTags.get(app) ?? new Set()).add(shared));
      resources.set(app, (resources.get(app) ?? new Set()).add(r['ResourceId']!));
    }
    expect(stackTags.size).toBeGreaterThan(5);
    for (const [app, combos] of stackTags) expect([app, combos.size]).toEqual([app, 1]);
    // Stacks differ from each other, and hold many resources each.
    expect(new Set([...stackTags.values()].map((c) => [...c][0])).size).toBeGreaterThan(3);
    expect([...resources.values()].some((ids) => ids.size > 10)).toBe(true);
  });

  it('is deterministic per seed, and handles 0 and 1 rows', async () => {
    const a = join(dir, 'a.csv'), b = join(dir, 'b.csv'), c = join(dir, 'c.csv');
    await writeFocusBenchFile(a, 5_000, 7);
    await writeFocusBenchFile(b, 5_000, 7);
    await writeFocusBenchFile(c, 5_000, 8);
    expect(await readFile(a, 'utf8')).toBe(await readFile(b, 'utf8'));
    expect(await readFile(a, 'utf8')).not.toBe(await readFile(c, 'utf8'));
    const zero = join(dir, 'zero.csv');
    expect((await writeFocusBenchFile(zero, 0)).rows).toBe(0);
    expect((await readFile(zero, 'utf8')).trim().split('\n')).toHaveLength(1);
    const one = join(dir, 'one.csv');
    await writeFocusBenchFile(one, 1);
    expect(parseCsv(await readFile(one, 'utf8')).records).toHaveLength(1);
  });

  it('streams a large file with bounded memory', async () => {
    const path = join(dir, 'large.csv');
    const before = process.memoryUsage().rss;
    const result = await writeFocusBenchFile(path, 300_000, 1);
    expect(result.rows).toBe(300_000);
    expect(result.bytes).toBe((await stat(path)).size);
    expect(result.bytes).toBeGreaterThan(150 * 300_000);
    // The file is ~200 MB; memory grows by far less than that.
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });
});
