import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CostbridgeError } from '../../src/domain/costbridge-error.js';
import { demoDataInMemory } from '../../src/demo/demo-data-set.js';
import { focusColumns } from '../../src/domain/focus-columns.js';
import { demoFocusColumns, focusMandatoryColumns } from '../../src/demo/demo-focus-format.js';
import type { DemoParams } from '../../src/demo/demo-plan.js';
import { planDemo } from '../../src/demo/demo-plan.js';
import { writeDemoData } from '../../src/demo/write-demo-data.js';
import { Decimal, parseCsv, readTree, removeDir, sum, sumBy, taggedCostCenter, tempDir } from './demo-support.js';
import type { CsvRecord } from './demo-support.js';

const params: DemoParams = { seed: 7, months: 3, rows: 3000, asOf: '2026-09-15' };
const iso = /^\d{4}-\d{2}-\d{2}T00:00:00Z$/;

interface Loaded {
  files: Map<string, string>;
  manifest: any;
  focus: Map<string, CsvRecord[]>;
  all: Array<CsvRecord & { _file: string }>;
  gl: CsvRecord[];
}

function load(files: Map<string, string>): Loaded {
  const focus = new Map<string, CsvRecord[]>();
  const all: Array<CsvRecord & { _file: string }> = [];
  for (const [path, text] of files) {
    if (!path.startsWith('focus/')) continue;
    const { records } = parseCsv(text);
    focus.set(path, records);
    for (const r of records) all.push({ ...r, _file: path });
  }
  return { files, manifest: JSON.parse(files.get('manifest.json')!), focus, all, gl: parseCsv(files.get('itfm/gl.csv')!).records };
}

const month = (r: CsvRecord) => r['BillingPeriodStart']!.slice(0, 7);
const dec = (v: string | undefined) => new Decimal(v || 0);

let dir: string;
let d: Loaded;

beforeAll(async () => {
  dir = await tempDir();
  await writeDemoData(dir, params);
  d = load(await readTree(dir));
});

afterAll(async () => {
  await removeDir(dir);
});

describe('demo-data: layout and determinism', () => {
  it('writes the documented layout', () => {
    expect([...d.files.keys()]).toEqual([
      'README.md',
      'focus/cortex-ai-2026-09.csv',
      'focus/ledgerly-2026-07.csv',
      'focus/ledgerly-2026-08.csv',
      'focus/ledgerly-2026-09.csv',
      'focus/nimbus-cloud-2026-07.csv',
      'focus/nimbus-cloud-2026-08.csv',
      'focus/nimbus-cloud-2026-09.csv',
      'itfm/budgets.csv',
      'itfm/cost-centers.csv',
      'itfm/forecast.csv',
      'itfm/gl.csv',
      'manifest.json',
    ]);
    expect(d.files.get('README.md')!.split('\n')[0]).toMatch(/^\*\*SYNTHETIC DEMO DATA.*never real.*\*\*$/);
    expect(d.manifest.synthetic).toBe(true);
  });

  it('writes exactly --rows FOCUS rows', () => {
    expect(d.all).toHaveLength(params.rows);
    expect(d.manifest.totals.focus.rows).toBe(params.rows);
  });

  it('gives byte-identical files for the same arguments and different ones for another seed', async () => {
    const again = await tempDir();
    const other = await tempDir();
    try {
      await writeDemoData(again, params);
      await writeDemoData(other, { ...params, seed: 8 });
      const a = await readTree(again);
      expect([...a.keys()]).toEqual([...d.files.keys()]);
      for (const [path, text] of d.files) expect(a.get(path), path).toBe(text);
      const b = await readTree(other);
      expect(b.get('focus/nimbus-cloud-2026-07.csv')).not.toBe(d.files.get('focus/nimbus-cloud-2026-07.csv'));
      expect(b.get('manifest.json')).not.toBe(d.files.get('manifest.json'));
    } finally {
      await removeDir(again);
      await removeDir(other);
    }
  });

  it('matches the in-memory generator and records each file hash', async () => {
    const { files } = demoDataInMemory(params);
    for (const [path, text] of files) expect(d.files.get(path), path).toBe(text);
    const { createHash } = await import('node:crypto');
    for (const f of d.manifest.files) {
      expect(createHash('sha256').update(d.files.get(f.path)!).digest('hex'), f.path).toBe(f.sha256);
      expect(Buffer.byteLength(d.files.get(f.path)!), f.path).toBe(f.bytes);
    }
  });

  it('hits the exact row count for any --rows from the minimum up', () => {
    const min = planDemo(params).fixedRows;
    expect(min).toBeLessThan(300);
    for (const rows of [min, min + 1, min + 75, 1234]) {
      const { dataSet } = demoDataInMemory({ ...params, rows });
      expect(dataSet.totals.all.rows, `rows=${rows}`).toBe(rows);
    }
    expect(() => planDemo({ ...params, rows: min - 1 })).toThrow(new RegExp(`at least ${min}`));
  });

  it('rejects bad parameters with INPUT_INVALID', () => {
    for (const bad of [{ months: 1 }, { months: 37 }, { asOf: '2026-02-30' }, { asOf: '15/09/2026' }, { seed: -1 }, { rows: 0 }]) {
      try {
        planDemo({ ...params, ...bad });
        expect.unreachable(JSON.stringify(bad));
      } catch (e) {
        expect(e).toBeInstanceOf(CostbridgeError);
        expect((e as CostbridgeError).code).toBe('INPUT_INVALID');
      }
    }
  });
});

describe('demo-data: FOCUS files', () => {
  it('the column list covers every column the catalog marks mandatory up to FOCUS 1.2', () => {
    const mandatory = focusColumns.filter((c) => c.mandatory && ['1.0', '1.1', '1.2'].includes(c.since)).map((c) => c.name);
    expect(mandatory.length).toBeGreaterThan(15);
    for (const name of [...mandatory, ...focusMandatoryColumns]) expect(demoFocusColumns, name).toContain(name);
    // Every column but the custom one is a catalogued FOCUS column.
    const known = new Set(focusColumns.map((c) => c.name));
    expect(demoFocusColumns.filter((c) => !known.has(c))).toEqual(['x_Demo']);
  });

  it('every file has every FOCUS 1.2 mandatory column, x_Demo and valid ISO timestamps', () => {
    for (const [path, text] of d.files) {
      if (!path.startsWith('focus/')) continue;
      const { header, records } = parseCsv(text);
      for (const c of [...focusMandatoryColumns, 'InvoiceId', 'Tags', 'x_Demo', 'ServiceSubcategory', 'CommitmentDiscountId']) expect(header, path).toContain(c);
      const m = path.match(/-(\d{4}-\d{2})\.csv$/)![1]!;
      for (const r of records) {
        for (const c of ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) {
          expect(r[c], `${path} ${c}`).toMatch(iso);
          expect(Number.isNaN(Date.parse(r[c]!))).toBe(false);
        }
        expect(r['BillingPeriodStart']).toBe(`${m}-01T00:00:00Z`);
        const start = new Date(r['BillingPeriodStart']!);
        expect(Date.parse(r['BillingPeriodEnd']!)).toBe(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
        expect(Date.parse(r['ChargePeriodEnd']!)).toBeGreaterThan(Date.parse(r['ChargePeriodStart']!));
        expect(['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment']).toContain(r['ChargeCategory']);
        expect(r['ChargeClass']).toBe('');
        expect(r['BillingCurrency']).toBe('USD');
        expect(r['x_Demo']).toBe('synthetic');
        expect(r['InvoiceId']).not.toBe('');
        for (const c of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']) expect(r[c]).toMatch(/^-?\d+\.\d+$/);
        if (r['Tags']) {
          const tags = JSON.parse(r['Tags']);
          expect(typeof tags === 'object' && !Array.isArray(tags)).toBe(true);
        }
        if (r['ChargeCategory'] === 'Usage') expect(Date.parse(r['ChargePeriodEnd']!) - Date.parse(r['ChargePeriodStart']!)).toBeLessThanOrEqual(31 * 86_400_000);
      }
    }
  });

  it('daily usage stops before as-of in the month to date', () => {
    const last = d.all.filter((r) => month(r) === '2026-09' && r['ChargeFrequency'] === 'Usage-Based' && r['_file'].includes('nimbus'));
    const latest = Math.max(...last.map((r) => Date.parse(r['ChargePeriodEnd']!)));
    expect(new Date(latest).toISOString()).toBe('2026-09-15T00:00:00.000Z');
  });

  it('one invoice per provider and month', () => {
    for (const [path, records] of d.focus) {
      expect(new Set(records.map((r) => r['InvoiceId'])).size, path).toBe(1);
    }
    const ids = [...d.focus.values()].map((r) => r[0]!['InvoiceId']);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('manifest totals equal the totals recomputed from the CSVs', () => {
    const m = d.manifest;
    for (const f of m.files.filter((x: any) => x.kind === 'focus')) {
      const records = d.focus.get(f.path)!;
      expect(records.length, f.path).toBe(f.rows);
      for (const [col, key] of [['BilledCost', 'billedCost'], ['EffectiveCost', 'effectiveCost'], ['ListCost', 'listCost'], ['ContractedCost', 'contractedCost']] as const) {
        expect(sum(records, col).equals(dec(f[key])), `${f.path} ${col}`).toBe(true);
      }
    }
    expect(sum(d.all, 'BilledCost').equals(dec(m.totals.focus.billedCost))).toBe(true);
    expect(sum(d.all, 'EffectiveCost').equals(dec(m.totals.focus.effectiveCost))).toBe(true);
    const billedByMonth = sumBy(d.all, month, 'BilledCost');
    const effectiveByMonth = sumBy(d.all, month, 'EffectiveCost');
    for (const bm of m.totals.byMonth) {
      expect(billedByMonth.get(bm.month)!.equals(dec(bm.billedCost)), bm.month).toBe(true);
      expect(effectiveByMonth.get(bm.month)!.equals(dec(bm.effectiveCost)), bm.month).toBe(true);
      for (const p of bm.byProvider) {
        const records = d.all.filter((r) => month(r) === bm.month && r['ProviderName'] === p.provider);
        expect(records.length).toBe(p.rows);
        expect(sum(records, 'BilledCost').equals(dec(p.billedCost))).toBe(true);
        expect(r0(records)['InvoiceId']).toBe(p.invoiceId);
      }
    }
    for (const f of m.files.filter((x: any) => x.kind !== 'focus' && x.kind !== 'readme')) {
      expect(parseCsv(d.files.get(f.path)!).records.length, f.path).toBe(f.rows);
    }
    expect(sum(d.gl, 'amount').equals(dec(m.totals.gl.amount))).toBe(true);
  });

  it('amounts are exact decimals: unit price x quantity = cost on priced usage lines', () => {
    for (const r of d.all) {
      if (r['ChargeCategory'] !== 'Usage' || r['PricingCategory'] !== 'Standard') continue;
      expect(dec(r['ContractedUnitPrice']).times(dec(r['PricingQuantity'])).equals(dec(r['ContractedCost']))).toBe(true);
      expect(dec(r['ListUnitPrice']).times(dec(r['PricingQuantity'])).equals(dec(r['ListCost']))).toBe(true);
      expect(r['BilledCost']).toBe(r['ContractedCost']);
    }
  });
});

function r0(records: CsvRecord[]): CsvRecord {
  return records[0]!;
}

describe('demo-data: scenarios', () => {
  it('commitment: purchase billed but not effective, amortized usage effective but not billed', () => {
    const g = d.manifest.gaps.amortization;
    const purchases = d.all.filter((r) => r['ChargeCategory'] === 'Purchase' && r['CommitmentDiscountId']);
    expect(purchases).toHaveLength(1);
    const p = purchases[0]!;
    expect(month(p)).toBe('2026-07');
    expect(p['CommitmentDiscountId']).toBe(g.commitmentDiscountId);
    expect(dec(p['BilledCost']).equals(dec(g.purchaseAmount))).toBe(true);
    expect(dec(p['BilledCost']).gt(0)).toBe(true);
    expect(dec(p['EffectiveCost']).isZero()).toBe(true);

    const usage = d.all.filter((r) => r['ChargeCategory'] === 'Usage' && r['CommitmentDiscountId'] === g.commitmentDiscountId);
    expect(new Set(usage.map((r) => r['CommitmentDiscountStatus']))).toEqual(new Set(['Used', 'Unused']));
    for (const r of usage) {
      expect(dec(r['BilledCost']).isZero()).toBe(true);
      expect(dec(r['EffectiveCost']).gt(0)).toBe(true);
      expect(r['PricingCategory']).toBe('Committed');
    }
    const amortized = sumBy(usage, month, 'EffectiveCost');
    for (const bm of g.byMonth) {
      expect(amortized.get(bm.month)!.equals(dec(bm.amortized)), bm.month).toBe(true);
      // Over the whole bill, EffectiveCost - BilledCost is exactly amortized - purchase.
      const rows = d.all.filter((r) => month(r) === bm.month);
      expect(sum(rows, 'EffectiveCost').minus(sum(rows, 'BilledCost')).equals(dec(bm.effectiveMinusBilled)), bm.month).toBe(true);
    }
    // A full day of the commitment costs 24 x the hourly rate.
    const perDay = sumBy(usage, (r) => r['ChargePeriodStart']!, 'EffectiveCost');
    for (const v of perDay.values()) expect(v.equals(dec(g.hourlyRate).times(24))).toBe(true);
  });

  it('GL reconciles to FOCUS BilledCost per invoice and cost center, except exactly the documented gaps', () => {
    const m = d.manifest;
    const known = new Set(parseCsv(d.files.get('itfm/cost-centers.csv')!).records.map((r) => r['code']));
    const shared = m.costCenters.sharedCostCenter;
    const resolve = (r: CsvRecord) => {
      const cc = taggedCostCenter(r);
      return cc && known.has(cc) ? cc : shared;
    };
    const focusByInvoiceCc = sumBy(d.all, (r) => `${r['InvoiceId']}|${resolve(r)}`, 'BilledCost');
    const glByInvoiceCc = sumBy(d.gl, (r) => `${r['invoice_id']}|${r['cost_center']}`, 'amount');
    const keys = new Set([...focusByInvoiceCc.keys(), ...glByInvoiceCc.keys()]);
    for (const k of keys) {
      const f = focusByInvoiceCc.get(k) ?? new Decimal(0);
      const g = glByInvoiceCc.get(k) ?? new Decimal(0);
      expect(f.equals(g), k).toBe(true);
    }
    for (const r of d.gl) expect(known.has(r['cost_center'])).toBe(true);

    // By period: only the late invoice sits in another period than its billing month.
    const focusByInvoicePeriod = sumBy(d.all, (r) => `${r['InvoiceId']}|${month(r)}`, 'BilledCost');
    const glByInvoicePeriod = sumBy(d.gl, (r) => `${r['invoice_id']}|${r['period']}`, 'amount');
    const mismatched = [...new Set([...focusByInvoicePeriod.keys(), ...glByInvoicePeriod.keys()])].filter(
      (k) => !(focusByInvoicePeriod.get(k) ?? new Decimal(0)).equals(glByInvoicePeriod.get(k) ?? new Decimal(0)),
    );
    const gap = m.gaps.accrualTiming;
    expect(mismatched.sort()).toEqual([`${gap.invoiceId}|${gap.billedPeriod}`, `${gap.invoiceId}|${gap.bookedPeriod}`].sort());
    expect(gap.billedPeriod).toBe('2026-08');
    expect(gap.bookedPeriod).toBe('2026-09');
    expect(focusByInvoicePeriod.get(`${gap.invoiceId}|${gap.billedPeriod}`)!.equals(dec(gap.amount))).toBe(true);
    expect(glByInvoicePeriod.get(`${gap.invoiceId}|${gap.bookedPeriod}`)!.equals(dec(gap.amount))).toBe(true);

    // Per period: billed - GL is the accrual timing; effective - GL adds the amortization.
    const glByPeriod = sumBy(d.gl, (r) => r['period']!, 'amount');
    for (const rec of m.totals.reconciliation) {
      const rows = d.all.filter((r) => month(r) === rec.period);
      const gl = glByPeriod.get(rec.period) ?? new Decimal(0);
      expect(sum(rows, 'BilledCost').minus(gl).equals(dec(rec.explainedBy.accrualTiming)), rec.period).toBe(true);
      expect(sum(rows, 'EffectiveCost').minus(gl).equals(dec(rec.explainedBy.accrualTiming).plus(dec(rec.explainedBy.amortization))), rec.period).toBe(true);
    }
    // The purchase is expensed in the GL when billed.
    const purchaseMonthGl = d.gl.filter((r) => r['invoice_id'] === m.gaps.amortization.purchaseInvoiceId);
    expect(purchaseMonthGl.every((r) => r['period'] === m.gaps.amortization.purchaseMonth)).toBe(true);
  });

  it('price change: one SKU costs 10% more per unit from the change month, at similar volume', () => {
    const pc = d.manifest.gaps.priceChange;
    expect(pc.previousMonth).toBe('2026-07');
    expect(pc.changeMonth).toBe('2026-08');
    const rows = d.all.filter((r) => r['SkuId'] === pc.skuId);
    const prices = (m: string) => new Set(rows.filter((r) => month(r) === m).map((r) => r['ContractedUnitPrice']));
    expect(prices(pc.previousMonth)).toEqual(new Set([pc.oldContractedUnitPrice]));
    expect(prices(pc.changeMonth)).toEqual(new Set([pc.newContractedUnitPrice]));
    expect(dec(pc.newContractedUnitPrice).div(dec(pc.oldContractedUnitPrice)).equals(new Decimal('1.1'))).toBe(true);
    const qty = sumBy(rows, month, 'PricingQuantity');
    const prev = qty.get(pc.previousMonth)!, next = qty.get(pc.changeMonth)!;
    expect(next.minus(prev).abs().div(prev).lte(0.1)).toBe(true);
    const cost = sumBy(rows, month, 'BilledCost');
    const change = cost.get(pc.changeMonth)!.minus(cost.get(pc.previousMonth)!);
    expect(change.equals(dec(pc.variance.total))).toBe(true);
    expect(dec(pc.variance.rateEffect).plus(dec(pc.variance.volumeEffect)).equals(change)).toBe(true);
    expect(dec(pc.variance.rateEffect).gt(0)).toBe(true);
    // No other SKU changes price.
    const bySku = new Map<string, Set<string>>();
    for (const r of d.all) if (r['SkuId'] && r['ChargeCategory'] === 'Usage' && r['PricingCategory'] === 'Standard') {
      bySku.set(r['SkuId'], (bySku.get(r['SkuId']) ?? new Set()).add(r['ContractedUnitPrice']!));
    }
    for (const [sku, set] of bySku) expect(set.size, sku).toBe(sku === pc.skuId ? 2 : 1);
  });

  it('the new AI service appears only in the last month, as token lines with no contract', () => {
    const ai = d.manifest.gaps.newAiService;
    const rows = d.all.filter((r) => r['ServiceName'] === ai.serviceName);
    expect(rows.length).toBe(ai.rows);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map(month))).toEqual(new Set(['2026-09']));
    expect(ai.firstMonth).toBe('2026-09');
    for (const r of rows) {
      expect(r['ServiceCategory']).toBe('AI and Machine Learning');
      expect(r['ServiceSubcategory']).toBe('Generative AI');
      expect(r['PricingUnit']).toBe('1K Tokens');
      expect(r['ProviderName']).toBe(ai.provider);
    }
    expect(sum(rows, 'BilledCost').equals(dec(ai.billedCost))).toBe(true);
    expect(d.all.filter((r) => r['ProviderName'] === ai.provider && month(r) !== '2026-09')).toHaveLength(0);
    expect(ai.contract).toBeNull();
  });

  it('SaaS invoice carries a seat license and an AI token add-on; cloud has credit and tax', () => {
    for (const m of ['2026-07', '2026-08', '2026-09']) {
      const saas = d.focus.get(`focus/ledgerly-${m}.csv`)!;
      expect(saas.map((r) => r['PricingUnit']).sort()).toEqual(['1K Tokens', 'Seats']);
      expect(saas[0]!['InvoiceIssuerName']).not.toBe(d.focus.get(`focus/nimbus-cloud-${m}.csv`)![0]!['InvoiceIssuerName']);
      const cloud = d.focus.get(`focus/nimbus-cloud-${m}.csv`)!;
      const credit = cloud.filter((r) => r['ChargeCategory'] === 'Credit');
      expect(credit).toHaveLength(1);
      expect(dec(credit[0]!['BilledCost']).lt(0)).toBe(true);
      expect(cloud.filter((r) => r['ChargeCategory'] === 'Tax')).toHaveLength(1);
    }
  });

  it('untagged and mis-tagged spend is present and totals match the manifest', () => {
    const known = new Set(parseCsv(d.files.get('itfm/cost-centers.csv')!).records.map((r) => r['code']));
    const att = d.manifest.gaps.attribution;
    for (const bm of att.byMonth) {
      const rows = d.all.filter((r) => month(r) === bm.month);
      const untagged = rows.filter((r) => taggedCostCenter(r) === undefined);
      const mis = rows.filter((r) => {
        const cc = taggedCostCenter(r);
        return cc !== undefined && !known.has(cc);
      });
      expect(untagged.length).toBe(bm.untagged.rows);
      expect(mis.length).toBe(bm.misTagged.rows);
      expect(mis.length).toBeGreaterThan(0);
      expect(new Set(mis.map(taggedCostCenter))).toEqual(new Set(['CC-9999']));
      expect(sum(untagged, 'BilledCost').equals(dec(bm.untagged.billedCost))).toBe(true);
      expect(sum(untagged, 'EffectiveCost').equals(dec(bm.untagged.effectiveCost))).toBe(true);
      expect(sum(mis, 'BilledCost').equals(dec(bm.misTagged.billedCost))).toBe(true);
      expect(sum(mis, 'EffectiveCost').equals(dec(bm.misTagged.effectiveCost))).toBe(true);
    }
    const keys = new Set<string>();
    for (const r of d.all) if (r['Tags']) for (const k of Object.keys(JSON.parse(r['Tags']))) keys.add(k);
    for (const k of ['CostCenter', 'cost-center', 'cc', 'env', 'Environment', 'application', 'owner', 'team', 'project', 'legal_entity']) expect(keys, k).toContain(k);
    // Resources with no tags at all exist as well as account-level lines.
    expect(d.all.some((r) => r['ResourceId'] && r['ResourceId'].startsWith('nb:') && !r['Tags'])).toBe(true);
  });
});

describe('demo-data: ITFM files', () => {
  it('have the exact headers', () => {
    const header = (p: string) => d.files.get(p)!.split('\n')[0];
    expect(header('itfm/cost-centers.csv')).toBe('code,name,parent,owner,legal_entity,chat_channel');
    expect(header('itfm/budgets.csv')).toBe('cost_center,category,month,amount,currency,version');
    expect(header('itfm/forecast.csv')).toBe('cost_center,category,month,amount,currency,version');
    expect(header('itfm/gl.csv')).toBe('period,cost_center,gl_account,vendor,invoice_id,amount,currency,description');
  });

  it('cost centers form a hierarchy listed parents first, with owners and channels', () => {
    const { records } = parseCsv(d.files.get('itfm/cost-centers.csv')!);
    expect(records.length).toBeGreaterThanOrEqual(6);
    expect(records.length).toBeLessThanOrEqual(10);
    const seen = new Set<string>();
    for (const r of records) {
      if (r['parent']) expect(seen, r['code']).toContain(r['parent']);
      seen.add(r['code']!);
      expect(r['owner']).toMatch(/^[^@\s]+@[^@\s]+$/);
      // Demo and real never mix: no invented channel id unless asked for (--channels).
      expect(r['chat_channel']).toBe('');
    }
  });

  it('with channels (demo-data --channels), gives most cost centers an invented Slack channel id', () => {
    const { files } = demoDataInMemory({ ...params, channels: true });
    const { records } = parseCsv(files.get('itfm/cost-centers.csv')!);
    for (const r of records) expect(r['chat_channel']).toMatch(/^(slack:C0DEMO\d+)?$/);
    expect(records.filter((r) => r['chat_channel'] !== '').length).toBeGreaterThanOrEqual(5);
    expect(records.some((r) => r['chat_channel'] === '')).toBe(true);
    expect(files.get('README.md')).toContain('with invented Slack channel ids on the cost centers');
  });

  it('budget and forecast cover every cost center and month', () => {
    const centers = parseCsv(d.files.get('itfm/cost-centers.csv')!).records.map((r) => r['code']!);
    const months = d.manifest.months.map((m: any) => m.month);
    for (const [file, version] of [['itfm/budgets.csv', 'budget'], ['itfm/forecast.csv', 'forecast']] as const) {
      const { records } = parseCsv(d.files.get(file)!);
      for (const cc of centers) for (const m of months) expect(records.some((r) => r['cost_center'] === cc && r['month'] === m), `${file} ${cc} ${m}`).toBe(true);
      for (const r of records) {
        expect(r['version']).toBe(version);
        expect(r['currency']).toBe('USD');
        expect(r['month']).toMatch(/^\d{4}-\d{2}$/);
        expect(r['amount']).toMatch(/^-?\d+\.\d{2}$/);
        expect(['', 'cloud', 'saas', 'ai']).toContain(r['category']);
      }
      const keys = records.map((r) => `${r['cost_center']}|${r['category']}|${r['month']}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
    // Complete months forecast their actual EffectiveCost (to the cent).
    const forecast = parseCsv(d.files.get('itfm/forecast.csv')!).records;
    const total = forecast.filter((r) => r['month'] === '2026-07').reduce((s, r) => s.plus(r['amount']!), new Decimal(0));
    const actual = dec(d.manifest.totals.byMonth[0].effectiveCost);
    expect(total.minus(actual).abs().lte(new Decimal('0.01').times(forecast.length))).toBe(true);
  });
});

describe('demo-data: as-of on the 1st', () => {
  it('uses the complete months before it and books the late invoice in the as-of month', () => {
    const { files, dataSet } = demoDataInMemory({ seed: 3, months: 2, rows: 600, asOf: '2026-03-01' });
    const m = JSON.parse(files.get('manifest.json')!);
    expect(m.months.map((x: any) => [x.month, x.complete, x.chargeDays])).toEqual([
      ['2026-01', true, 31],
      ['2026-02', true, 28],
    ]);
    expect(dataSet.totals.all.rows).toBe(600);
    expect(m.gaps.accrualTiming.billedPeriod).toBe('2026-02');
    expect(m.gaps.accrualTiming.bookedPeriod).toBe('2026-03');
    expect(m.gaps.priceChange.changeMonth).toBe('2026-02');
    expect(m.gaps.newAiService.firstMonth).toBe('2026-02');
    expect(files.has('focus/cortex-ai-2026-02.csv')).toBe(true);
    expect(files.has('focus/cortex-ai-2026-01.csv')).toBe(false);
    const gl = parseCsv(files.get('itfm/gl.csv')!).records;
    expect(gl.filter((r) => r['period'] === '2026-03').every((r) => r['invoice_id'] === m.gaps.accrualTiming.invoiceId)).toBe(true);
  });

  it('with two months and a month to date, the price change lands in the current month', () => {
    const { files } = demoDataInMemory({ seed: 3, months: 2, rows: 400, asOf: '2026-05-04' });
    const m = JSON.parse(files.get('manifest.json')!);
    expect(m.gaps.priceChange.previousMonth).toBe('2026-04');
    expect(m.gaps.priceChange.changeMonth).toBe('2026-05');
    expect(m.gaps.accrualTiming.bookedPeriod).toBe('2026-05');
  });
});

describe('demo-data: the ITFM forecast follows the budget plan', () => {
  // Seed 1, three months to 2026-12-03: CC-2000's SaaS license (USD 5,904.00 a month, charged on the
  // 1st) used to be projected by day count to 5,904 x 31/2 = 91,512.00 for December.
  const { files, dataSet } = demoDataInMemory({ seed: 1, months: 3, rows: 5000, asOf: '2026-12-03' });
  const forecast = parseCsv(files.get('itfm/forecast.csv')!).records;
  const budget = parseCsv(files.get('itfm/budgets.csv')!).records;
  const line = (rows: CsvRecord[], cc: string, cat: string, month: string) => rows.find((r) => r['cost_center'] === cc && r['category'] === cat && r['month'] === month)!['amount'];

  it('forecasts the month to date without a day-count artefact (CC-2000 December: the 5,904.00 license, not 91,512.00)', () => {
    expect(line(forecast, 'CC-2000', 'saas', '2026-10')).toBe('5616.00');
    expect(line(forecast, 'CC-2000', 'saas', '2026-11')).toBe('5760.00');
    // Plan baseline (5,616 + 5,760) / 2 = 5,688; the 5,904 already charged is higher, so it stands.
    expect(line(forecast, 'CC-2000', 'saas', '2026-12')).toBe('5904.00');
    expect(line(budget, 'CC-2000', 'saas', '2026-12')).toBe('5574.00');
  });

  it('every month-to-date forecast line is the plan baseline or the spend to date, whichever is higher', () => {
    const t = dataSet.totals;
    const months = dataSet.plan.months;
    const mtd = months.find((m) => !m.complete)!;
    const complete = months.filter((m) => m.complete);
    for (const r of forecast.filter((x) => x['month'] === mtd.key && x['category'] !== '')) {
      const at = (i: number) => t.effectiveByBudgetKey.get(`${r['cost_center']}|${r['category']}|${i}`) ?? 0n;
      const baselineSum = complete.reduce((s, m) => s + at(m.index), 0n);
      // Half-up mean in nanos (the demo's divRound), then cents.
      const baseline = new Decimal(baselineSum.toString()).div(complete.length).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
      const toDate = new Decimal(at(mtd.index).toString());
      const expected = Decimal.max(baseline, toDate);
      expect(new Decimal(r['amount']!).minus(expected.div(1e9)).abs().lte('0.005'), `${r['cost_center']} ${r['category']}`).toBe(true);
    }
  });

  it('states the month-to-date forecast, budget and spend to date per cost center in the manifest and README', () => {
    const plan = dataSet.manifest.gaps.forecastPlan;
    expect(plan.month).toBe('2026-12');
    const cc2000 = plan.byCostCenter.find((r) => r.costCenter === 'CC-2000')!;
    expect(cc2000.forecast).toBe(forecast.filter((r) => r['cost_center'] === 'CC-2000' && r['month'] === '2026-12').reduce((s, r) => s.plus(r['amount']!), new Decimal(0)).toFixed(2));
    for (const r of plan.byCostCenter) {
      expect(r.forecast).toBe(forecast.filter((x) => x['cost_center'] === r.costCenter && x['month'] === '2026-12').reduce((s, x) => s.plus(x['amount']!), new Decimal(0)).toFixed(2));
      expect(r.budget).toBe(budget.filter((x) => x['cost_center'] === r.costCenter && x['month'] === '2026-12').reduce((s, x) => s.plus(x['amount']!), new Decimal(0)).toFixed(2));
    }
    expect(files.get('README.md')).toContain(`| CC-2000 | ${cc2000.budget} | ${cc2000.forecast} | ${cc2000.effectiveToDate} |`);
  });
});
