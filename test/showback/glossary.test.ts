import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import type { Store } from '../../src/store/database.js';
import { addGlossaryTerm } from '../../src/app/glossary.js';
import { editDistance, suggestGlossaryTerms } from '../../src/domain/glossary.js';

describe('glossary suggestions', () => {
  it('counts edits with adjacent swaps as one', () => {
    expect(editDistance('chargeback', 'chargeback')).toBe(0);
    expect(editDistance('chargback', 'chargeback')).toBe(1);
    expect(editDistance('chrageback', 'chargeback')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('suggests close terms and terms containing the query, best first', () => {
    const terms = [
      { term: 'chargeback', definition: 'x', aliases: ['charge-back'] },
      { term: 'showback', definition: 'x', aliases: [] },
      { term: 'cost avoidance', definition: 'x', aliases: [] },
      { term: 'cost reduction', definition: 'x', aliases: [] },
    ];
    expect(suggestGlossaryTerms('chargback', terms)).toEqual(['chargeback']);
    expect(suggestGlossaryTerms('cost', terms)).toEqual(['cost avoidance', 'cost reduction']);
    expect(suggestGlossaryTerms('zzzz', terms)).toEqual([]);
  });
});

describe.each(storeKinds)('glossary on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  const audits = async (subject: string) =>
    (
      await sql<{ actor: string; action: string; before: unknown; after: unknown }>`
        SELECT actor, action, before, after FROM audit_log WHERE subject_type = 'glossary_term' AND subject_id = ${subject} ORDER BY id`.execute(store.db)
    ).rows;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('answers the seeded vocabulary by term or alias, in any case', async () => {
    const byAlias = JSON.parse((await cli(tdb, 'glossary', 'effectivecost', '--json')).stdout);
    expect(byAlias.term.term).toBe('amortized cost');
    expect(byAlias.term.aliases).toEqual(['amortised cost', 'effective cost', 'EffectiveCost']);
    expect(byAlias.term.definition).toContain('FOCUS EffectiveCost');
    const byTerm = JSON.parse((await cli(tdb, 'glossary', '  AMORTIZED   Cost ', '--json')).stdout);
    expect(byTerm).toEqual(byAlias);

    const avoidance = (await cli(tdb, 'glossary', 'cost avoidance')).stdout;
    expect(avoidance).toContain('never reduces a budget line');
    const reduction = (await cli(tdb, 'glossary', 'Cost Reduction')).stdout;
    expect(reduction).toContain('lowers the spend baseline');
    expect(reduction).toContain('can reduce a budget line');

    const all = JSON.parse((await cli(tdb, 'glossary', '--json')).stdout).terms.map((t: { term: string }) => t.term);
    for (const t of [
      'amortized cost', 'BilledCost', 'ListCost', 'ContractedCost', 'showback', 'chargeback', 'cost avoidance', 'cost reduction',
      'shared fields', 'cost center', 'application', 'legal entity', 'environment', 'project', 'owner', 'unattributed spend', 'FOCUS',
      'TBM cost pool', 'TBM tower', 'commitment discount', 'accrual', 'GL', 'materiality', 'variance components', 'rate variance',
      'volume variance', 'mix variance', 'new spend', 'discontinued spend',
    ]) {
      expect(all).toContain(t);
    }
    expect((await cli(tdb, 'glossary', 'general ledger')).stdout).toMatch(/^GL \(also: /);
  });

  it('suggests close matches for an unknown term and exits 1', async () => {
    const run = await cli(tdb, 'glossary', 'chargback');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('"chargback" is not in the glossary; did you mean "chargeback"?');
    const json = await cli(tdb, 'glossary', 'shwoback', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ term: null, query: 'shwoback', suggestions: ['showback'] });
  });

  it('adds a term with aliases, audited; the same again changes nothing; a new definition is a change', async () => {
    const add = await cli(tdb, 'glossary', 'add', 'Unit cost', '--definition', 'Cost per unit of business output.', '--aliases', 'unit economics, cost per unit,Unit Economics', '--as', 'ana@example.com', '--json');
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toEqual({
      outcome: 'added',
      term: { term: 'Unit cost', definition: 'Cost per unit of business output.', aliases: ['cost per unit', 'unit economics'] },
    });
    expect((await cli(tdb, 'glossary', 'UNIT ECONOMICS')).stdout).toContain('Cost per unit of business output.');
    const again = await cli(tdb, 'glossary', 'add', 'unit cost', '--definition', 'Cost per unit of business output.', '--as', 'bo@example.com');
    expect(again.stdout).toMatch(/^unchanged: /);
    const change = await cli(tdb, 'glossary', 'add', 'unit cost', '--definition', 'Cost divided by units of business output.', '--aliases', 'cost per transaction', '--as', 'bo@example.com', '--json');
    expect(JSON.parse(change.stdout)).toEqual({
      outcome: 'changed',
      term: { term: 'Unit cost', definition: 'Cost divided by units of business output.', aliases: ['cost per transaction', 'cost per unit', 'unit economics'] },
    });
    expect(await audits('unit cost')).toEqual([
      { actor: 'ana@example.com', action: 'glossary.add', before: null, after: { term: 'Unit cost', definition: 'Cost per unit of business output.', aliases: ['cost per unit', 'unit economics'] } },
      {
        actor: 'bo@example.com',
        action: 'glossary.change',
        before: { term: 'Unit cost', definition: 'Cost per unit of business output.', aliases: ['cost per unit', 'unit economics'] },
        after: { term: 'Unit cost', definition: 'Cost divided by units of business output.', aliases: ['cost per transaction', 'cost per unit', 'unit economics'] },
      },
    ]);
  });

  it('refuses a name that already means another term, saving nothing', async () => {
    const alias = await cli(tdb, 'glossary', 'add', 'blended rate', '--definition', 'x', '--aliases', 'rate2,EffectiveCost');
    expect(alias.code).toBe(1);
    expect(alias.stderr).toContain('alias "EffectiveCost" already means the term "amortized cost" (as its alias); nothing was saved');
    expect((await cli(tdb, 'glossary', 'blended rate')).code).toBe(1);
    expect((await cli(tdb, 'glossary', 'rate2')).code).toBe(1);
    const term = await cli(tdb, 'glossary', 'add', 'effective cost', '--definition', 'x');
    expect(term.code).toBe(1);
    expect(term.stderr).toContain('"effective cost" is already an alias of the term "amortized cost"');
    const empty = await cli(tdb, 'glossary', 'add', '  ', '--definition', 'x');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('the term is empty');
  });

  it.runIf(kind === 'postgres')('concurrent adds of one new term record exactly one addition', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        addGlossaryTerm(store, { term: 'Run rate', definition: 'Current spend extrapolated over a period.', aliases: ['runrate'], actor: `user-${i}`, surface: 'cli' }),
      ),
    );
    expect(results.filter((r) => r.outcome === 'added')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'unchanged')).toHaveLength(5);
    const rows = await audits('run rate');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.action).toBe('glossary.add');
  });
});
