import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import { Money } from '../../src/domain/money.js';

const sample = fileURLToPath(new URL('../fixtures/focus-1.0-sample/focus_sample.csv', import.meta.url));

interface SampleLine {
  provider: string;
  subAccount: string;
  billed: Money;
  effective: Money;
  tags: Record<string, unknown>;
}

/** The sample's September lines, read straight from the CSV (an oracle independent of the import). */
async function septemberLines(): Promise<SampleLine[]> {
  const records = parse(await readFile(sample, 'utf8'), { columns: true }) as Record<string, string>[];
  return records
    .filter((r) => r.BillingPeriodStart!.startsWith('2024-09'))
    .map((r) => ({
      provider: r.ProviderName!,
      subAccount: r.SubAccountId!,
      billed: new Money(r.BilledCost!),
      effective: new Money(r.EffectiveCost!),
      tags: r.Tags && r.Tags !== 'NULL' ? (JSON.parse(r.Tags) as Record<string, unknown>) : {},
    }));
}

/** Lines carrying a key (compared trimmed and case-folded) and their exact cost on a basis. */
function carrying(lines: SampleLine[], key: string, basis: 'billed' | 'effective') {
  const hit = lines.filter((l) => Object.keys(l.tags).some((k) => k.trim().toLowerCase() === key));
  return { lines: hit.length, cost: hit.reduce((s, l) => s.plus(l[basis]), new Money(0)).toFixed() };
}

describe.each(storeKinds)('report tags on %s', (kind) => {
  let tdb: TestDatabase;
  let dir: string;
  let lines: SampleLine[];

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'costbridge-tags-'));
    lines = await septemberLines();
    expect((await cli(tdb, 'import', 'focus', sample)).code).toBe(0);
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('on the real FOCUS sample, lists business_unit and Cost department as aliased and org / " org" as unmapped, with exact costs', async () => {
    for (const basis of ['billed', 'effective'] as const) {
      const run = await cli(tdb, 'report', 'tags', '--period', '2024-09', '--basis', basis, '--json');
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout);
      expect(out.period).toBe('2024-09');
      expect(out.requiredFields).toEqual(['cost-center', 'owner']);
      expect(out.currencies).toHaveLength(1);
      const usd = out.currencies[0];
      const mapped = (key: string) => usd.mappedKeys.find((k: { key: string }) => k.key === key);
      const unmapped = (key: string) => usd.unmappedKeys.find((k: { key: string }) => k.key === key);

      expect(mapped('business_unit')).toEqual({ key: 'business_unit', spellings: ['business_unit'], field: 'cost-center', ...carrying(lines, 'business_unit', basis) });
      expect(mapped('cost department')).toEqual({ key: 'cost department', spellings: ['Cost department'], field: 'cost-center', ...carrying(lines, 'cost department', basis) });
      expect(mapped('costcenter')).toMatchObject({ field: 'cost-center', ...carrying(lines, 'costcenter', basis) });
      expect(unmapped('org')).toEqual({ key: 'org', spellings: [' org', 'org'], ...carrying(lines, 'org', basis) });
      expect(unmapped('ms:department')).toEqual({ key: 'ms:department', spellings: ['ms:Department'], ...carrying(lines, 'ms:department', basis) });
      expect(unmapped('org').lines).toBeGreaterThan(0);
      // Every key seen is listed exactly once, mapped or not.
      const seen = new Set(lines.flatMap((l) => Object.keys(l.tags).map((k) => k.trim().toLowerCase())));
      expect([...usd.mappedKeys, ...usd.unmappedKeys].map((k: { key: string }) => k.key).sort()).toEqual([...seen].sort());

      // Coverage by cost: nothing counts as cost center (no master data yet); application coverage is
      // the cost of the lines with an application tag.
      const total = lines.reduce((s, l) => s.plus(l[basis]), new Money(0));
      expect(usd.cost).toBe(total.toFixed());
      expect(usd.lines).toBe(lines.length);
      expect(usd.fields['cost-center']).toEqual({ cost: '0', share: '0.0000' });
      expect(usd.required).toEqual({ cost: '0', share: '0.0000' });
      const app = lines.filter((l) => typeof l.tags.application === 'string' && (l.tags.application as string).trim() !== '').reduce((s, l) => s.plus(l[basis]), new Money(0));
      expect(usd.fields.application).toEqual({ cost: app.toFixed(), share: app.div(total).toDecimalPlaces(4, Money.ROUND_HALF_UP).toFixed(4) });
      // Rows per provider and sub-account add up to the total.
      expect(usd.rows.reduce((s: Money, r: { cost: string }) => s.plus(r.cost), new Money(0)).toFixed()).toBe(total.toFixed());
      const oracle = lines.filter((l) => l.provider === 'Microsoft').reduce((s, l) => s.plus(l[basis]), new Money(0));
      const microsoft = usd.rows.filter((r: { provider: string }) => r.provider === 'Microsoft').reduce((s: Money, r: { cost: string }) => s.plus(r.cost), new Money(0));
      expect(microsoft.toFixed()).toBe(oracle.toFixed());
    }
  });

  it('counts only master-data cost centers as covered, and an alias moves a key from unmapped to mapped', async () => {
    const values = [...new Set(lines.map((l) => l.tags.business_unit).filter((v): v is string => typeof v === 'string'))].sort();
    const known = values.slice(0, 2);
    const ccFile = join(dir, 'cc.csv');
    await writeFile(ccFile, `code,name\n${known.map((v) => `${v},${v}`).join('\n')}\n`);
    expect((await cli(tdb, 'import', 'cost-centers', ccFile)).code).toBe(0);
    expect((await cli(tdb, 'aliases', 'add', 'org', 'owner')).code).toBe(0);

    const out = JSON.parse((await cli(tdb, 'report', 'tags', '--period', '2024-09', '--basis', 'billed', '--json')).stdout).currencies[0];
    expect(out.unmappedKeys.find((k: { key: string }) => k.key === 'org')).toBeUndefined();
    expect(out.mappedKeys.find((k: { key: string }) => k.key === 'org')).toMatchObject({ field: 'owner', spellings: [' org', 'org'], ...carrying(lines, 'org', 'billed') });

    // Oracle: the final cost center of a line is its highest-priority cost-center tag (CostCenter 10,
    // Cost department 20, business_unit 40); it counts only when it is one of the imported codes.
    const costCenterOf = (l: SampleLine) => {
      for (const key of ['costcenter', 'cost department', 'business_unit']) {
        const hit = Object.entries(l.tags).find(([k, v]) => k.trim().toLowerCase() === key && typeof v === 'string' && v.trim() !== '');
        if (hit) return (hit[1] as string).trim();
      }
      return null;
    };
    const ownerOf = (l: SampleLine) => Object.entries(l.tags).some(([k, v]) => k.trim().toLowerCase() === 'org' && typeof v === 'string' && v.trim() !== '');
    const covered = lines.filter((l) => known.includes(costCenterOf(l) ?? ''));
    const both = covered.filter(ownerOf);
    const sum = (ls: SampleLine[]) => ls.reduce((s, l) => s.plus(l.billed), new Money(0));
    const total = sum(lines);
    expect(covered.length).toBeGreaterThan(0);
    expect(out.fields['cost-center']).toEqual({ cost: sum(covered).toFixed(), share: sum(covered).div(total).toDecimalPlaces(4, Money.ROUND_HALF_UP).toFixed(4) });
    expect(out.fields.owner.cost).toBe(sum(lines.filter(ownerOf)).toFixed());
    expect(out.required.cost).toBe(sum(both).toFixed());

    const text = await cli(tdb, 'report', 'tags', '--period', '2024-09');
    expect(text.stdout).toContain('Tag keys that map to no shared field');
    expect(text.stdout).toMatch(/business_unit\s+"business_unit"\s+cost-center/);
  });
});
