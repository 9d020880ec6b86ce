import { describe, expect, it } from 'vitest';
import { costCenterHierarchyErrors, duplicateBudgetErrors } from '../../src/domain/itfm-checks.js';
import { parseColumnMap, planItfmHeader } from '../../src/domain/itfm-header.js';
import {
  budgetFormat,
  costCenterFormat,
  glFormat,
  parseItfmRow,
  parseMonth,
  type BudgetRow,
  type CostCenterRow,
} from '../../src/domain/itfm-rows.js';

describe('parseMonth', () => {
  it('accepts YYYY-MM and YYYY-MM-01 as the first day', () => {
    expect(parseMonth('2025-03')).toBe('2025-03-01');
    expect(parseMonth(' 2025-12-01 ')).toBe('2025-12-01');
  });
  it.each(['2024-13', '2024-00', '2025-3', '2025-03-15', '0000-01', '03/2025', '', '2025-03-01T00:00:00Z'])(
    'rejects %j',
    (text) => expect(parseMonth(text)).toBeUndefined(),
  );
});

describe('ITFM row schemas', () => {
  it('keeps amounts as exact text and reports every bad cell under its column', () => {
    const ok = parseItfmRow(glFormat, {
      period: '2025-01', cost_center: ' ENG ', gl_account: '6100', vendor: '', invoice_id: undefined,
      amount: '0.10000000000000000001', currency: 'EUR', description: 'x',
    }, 2);
    expect(ok).toEqual({
      ok: true,
      row: {
        period: '2025-01-01', cost_center: 'ENG', gl_account: '6100', vendor: null, invoice_id: null,
        amount: '0.10000000000000000001', currency: 'EUR', description: 'x',
      },
    });
    const bad = parseItfmRow(glFormat, {
      period: '2025-13', cost_center: '', gl_account: 'a\u0000b', amount: '1,5', currency: 'eur',
    }, 7);
    expect(bad).toEqual({
      ok: false,
      errors: [
        { line: 7, column: 'period', reason: 'is not a period (YYYY-MM): "2025-13"' },
        { line: 7, column: 'cost_center', reason: 'is required but empty' },
        { line: 7, column: 'gl_account', reason: 'contains a NUL character' },
        { line: 7, column: 'amount', reason: 'is not a decimal number (like 1234.56): "1,5"' },
        { line: 7, column: 'currency', reason: 'is not a three-letter currency code (like EUR): "eur"' },
      ],
    });
  });

  it('leaves absent optional cost center columns undefined and empty ones null', () => {
    const r = parseItfmRow(costCenterFormat, { code: 'A', name: 'A', parent: '', owner: undefined }, 2);
    expect(r).toEqual({ ok: true, row: { code: 'A', name: 'A', parent: null } });
  });

  it('gives budget rows the --budget-version when the file has none, and rejects a different one', () => {
    const cells = { cost_center: 'ENG', month: '2025-01', amount: '1', currency: 'EUR' };
    expect(parseItfmRow(budgetFormat('forecast'), cells, 2)).toMatchObject({ ok: true, row: { version: 'forecast', category: '' } });
    expect(parseItfmRow(budgetFormat('forecast'), { ...cells, version: 'Budget' }, 3)).toEqual({
      ok: false,
      errors: [{ line: 3, column: 'version', reason: 'is "Budget" but --budget-version forecast was given' }],
    });
    expect(parseItfmRow(budgetFormat(), { ...cells, version: 'Forecast' }, 4)).toMatchObject({ ok: true, row: { version: 'forecast' } });
    expect(budgetFormat().required).toContain('version');
    expect(budgetFormat('budget').required).not.toContain('version');
  });
});

describe('--map and the header', () => {
  it('renames source headers, case-blind, and rejects unknown targets', () => {
    const map = parseColumnMap(['Cost Centre=cost_center', 'a=b=period'], glFormat);
    expect(map).toEqual({ ok: true, map: new Map([['Cost Centre', 'cost_center'], ['a=b', 'period']]) });
    expect(parseColumnMap(['Cost Centre=centre', 'nothing', 'x=code', 'y=code'], costCenterFormat)).toEqual({
      ok: false,
      errors: [
        '--map "Cost Centre=centre": "centre" is not a cost-centers column (code, name, parent, owner, legal_entity, chat_channel)',
        '--map "nothing": write it as "source column=target column"',
        '--map "y=code": code is already the target of "x"',
      ],
    });
  });

  it('drops a byte-order mark, even before a quoted first cell', () => {
    const planned = planItfmHeader(['\uFEFF"Code"', ' NAME ', 'extra'], costCenterFormat, new Map());
    expect(planned.ok && [...planned.plan.position]).toEqual([['code', 0], ['name', 1]]);
    expect(planned.ok && planned.plan.ignored).toEqual(['extra']);
  });

  it('names missing columns, duplicated columns and --map sources that are not there, on the header line', () => {
    const planned = planItfmHeader(['period', 'amount', 'Amount', 'currency'], glFormat, new Map([['Centre', 'cost_center']]));
    expect(planned).toEqual({
      ok: false,
      errors: [
        { line: 1, column: 'Amount', reason: 'is a second amount column (column 2 is one already)' },
        { line: 1, column: 'Centre', reason: 'is not in the header (it was given with --map)' },
        { line: 1, column: 'gl_account', reason: 'required column is missing from the header' },
      ],
    });
  });

  it('lets a mapped column win over a file column with our name', () => {
    const planned = planItfmHeader(['code', 'Cost Centre', 'name'], costCenterFormat, new Map([['Cost Centre', 'code']]));
    expect(planned.ok && planned.plan.position.get('code')).toBe(1);
    expect(planned.ok && planned.plan.label.get('code')).toBe('Cost Centre');
    expect(planned.ok && planned.plan.ignored).toEqual(['code']);
  });
});

describe('cross-row checks', () => {
  const cc = (line: number, code: string, parent?: string | null): { line: number; row: CostCenterRow } => ({
    line,
    row: { code, name: code, parent },
  });

  it('reports every row on a parent cycle, through stored cost centers too', () => {
    const stored = new Map<string, string | null>([['ROOT', null], ['MID', 'LEAF']]);
    const errors = costCenterHierarchyErrors(
      [cc(2, 'A', 'B'), cc(3, 'B', 'A'), cc(4, 'S', 'S'), cc(5, 'LEAF', 'MID'), cc(6, 'OK', 'ROOT'), cc(7, 'X', 'GONE'), cc(8, 'T', 'A')],
      stored,
    );
    expect(errors).toEqual([
      { line: 2, column: 'parent', reason: 'makes a cycle: A -> B -> A' },
      { line: 3, column: 'parent', reason: 'makes a cycle: B -> A -> B' },
      { line: 4, column: 'parent', reason: 'makes a cycle: S -> S' },
      { line: 5, column: 'parent', reason: 'makes a cycle: LEAF -> MID -> LEAF' },
      { line: 7, column: 'parent', reason: 'unknown cost center "GONE" (not in this file nor stored)' },
    ]);
  });

  it('keeps the stored parent of a row whose file has no parent column', () => {
    const stored = new Map<string, string | null>([['P', 'C'], ['C', null]]);
    expect(costCenterHierarchyErrors([cc(2, 'C', undefined)], stored)).toEqual([]);
    expect(costCenterHierarchyErrors([cc(2, 'C', 'P')], stored)).toEqual([
      { line: 2, column: 'parent', reason: 'makes a cycle: C -> P -> C' },
    ]);
  });

  it('finds budget rows with the same version, cost center, category and month', () => {
    const b = (line: number, version: 'budget' | 'forecast', category: string): { line: number; row: BudgetRow } => ({
      line,
      row: { version, cost_center: 'ENG', category, month: '2025-01-01', amount: '1', currency: 'EUR' },
    });
    expect(duplicateBudgetErrors([b(2, 'budget', ''), b(3, 'forecast', ''), b(4, 'budget', 'x'), b(5, 'budget', '')])).toEqual([
      {
        line: 5,
        column: '(row)',
        reason: 'duplicates line 2 (same version, cost center, category and month: budget, "ENG", "", 2025-01)',
      },
    ]);
  });
});
