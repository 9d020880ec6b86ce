import { describe, expect, it } from 'vitest';
import { detectFocusVersion, focusColumns } from '../../src/domain/focus-columns.js';
import { normalizeFocusRow, planFocusHeader } from '../../src/domain/focus-row.js';
import { TagResolver } from '../../src/domain/shared-fields.js';
import { baseFocusRow } from '../support/focus-csv.js';

const tags = new TagResolver([
  { tagKey: 'costcenter', field: 'cost_center', priority: 10 },
  { tagKey: 'business_unit', field: 'cost_center', priority: 40 },
  { tagKey: 'env', field: 'environment', priority: 20 },
  { tagKey: 'environment', field: 'environment', priority: 10 },
]);

describe('detectFocusVersion', () => {
  const base = Object.keys(baseFocusRow);
  it.each([
    [[], '1.0'],
    [['ServiceSubcategory'], '1.1'],
    [['InvoiceId', 'ServiceSubcategory'], '1.2'],
    [['PricingCurrency'], '1.2'],
    [['ContractApplied'], '1.3'],
    [['ServiceProviderName'], '1.3'],
  ])('%j → %s', (extra, version) => expect(detectFocusVersion([...base, ...extra])).toBe(version));
});

describe('planFocusHeader', () => {
  it('accepts FOCUS 1.3 without the deprecated ProviderName and PublisherName', () => {
    const header = Object.keys(baseFocusRow).filter((c) => c !== 'ProviderName' && c !== 'PublisherName');
    const planned = planFocusHeader([...header, 'ServiceProviderName', 'HostProviderName']);
    expect(planned.ok && planned.plan.version).toBe('1.3');
  });
  it('reports every missing mandatory column and duplicates', () => {
    const planned = planFocusHeader(['BilledCost', 'billedcost', 'Tags']);
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.errors[0]).toEqual({ line: 1, column: 'billedcost', reason: 'column appears twice (positions 1 and 2)' });
    expect(planned.errors.map((e) => e.column)).toContain('EffectiveCost');
    expect(planned.errors.map((e) => e.column)).toContain('ProviderName');
  });
  it('matches names ignoring case and blanks, keeps x_ columns quietly and warns about unknown ones', () => {
    const header = [...Object.keys(baseFocusRow).map((c) => ` ${c.toLowerCase()} `), 'x_Team', 'Id'];
    const planned = planFocusHeader(header);
    expect(planned.ok).toBe(true);
    if (!planned.ok) return;
    expect(planned.plan.extraColumns).toEqual(['x_Team', 'Id']);
    expect(planned.plan.warnings).toEqual(['kept 1 non-FOCUS column(s) in extra: Id']);
  });
});

describe('normalizeFocusRow', () => {
  const header = [...Object.keys(baseFocusRow), 'x_Team'];
  const planned = planFocusHeader(header);
  if (!planned.ok) throw new Error('header');
  const plan = planned.plan;
  const row = (over: Record<string, string>) => header.map((c) => over[c] ?? baseFocusRow[c] ?? '');
  const value = (values: (string | null)[], name: string) => values[focusColumns.findIndex((c) => c.name === name)];

  it('normalises timestamps, keeps decimals as written and resolves tags by priority', () => {
    const r = normalizeFocusRow(plan, row({ BillingPeriodStart: '2024-09-01 00:00:00', Tags: '{"business_unit":"BU","CostCenter":" CC-1 ","env":"dev","environment":"prod"}', x_Team: 'a' }), 7, tags);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(value(r.line.values, 'BillingPeriodStart')).toBe('2024-09-01T00:00:00Z');
    expect(value(r.line.values, 'BilledCost')).toBe('10.00');
    expect(r.line.shared).toEqual(['CC-1', null, null, 'prod', null, null]);
    expect(r.line.extra).toBe('{"x_Team":"a"}');
    expect(r.line).toMatchObject({ sourceLine: 7, billingAccountId: 'acct-1', billingPeriodStart: '2024-09-01T00:00:00.000Z' });
  });

  it('reports each bad cell of a row', () => {
    const r = normalizeFocusRow(plan, row({ BilledCost: 'abc', ChargeClass: 'Fix', BillingCurrency: '', ChargePeriodEnd: '2024-09-01T00:00:00Z' }), 3, tags);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { line: 3, column: 'BilledCost', reason: 'is not a number: "abc"' },
      { line: 3, column: 'ChargeClass', reason: 'must be empty or Correction; got "Fix"' },
      { line: 3, column: 'BillingCurrency', reason: 'is required but empty' },
      { line: 3, column: 'ChargePeriodEnd', reason: 'is before ChargePeriodStart' },
    ]);
  });

  it('reports a row with the wrong number of cells', () => {
    const r = normalizeFocusRow(plan, ['1', '2'], 9, tags);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.reason).toBe(`has 2 cells but the header has ${header.length} columns`);
  });
});
