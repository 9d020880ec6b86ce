// A small organisation for the savings tests: cost centers, a budget, and people with roles.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from '../support/run-cli.js';
import type { TestDatabase } from '../support/test-stores.js';

/** CORP > ENG > PLAT, ENG > DATA (budget in EUR), and SPEC for the spec examples. */
export const costCentersCsv = `code,name,parent,owner,legal_entity,chat_channel
CORP,Corporate,,cfo@example.com,ACME Inc,#finance
ENG,Engineering,CORP,cto@example.com,ACME Inc,#eng
PLAT,Platform,ENG,plat@example.com,ACME Inc,#platform
DATA,Data,ENG,,ACME GmbH,
SPEC,Spec examples,CORP,,ACME Inc,
`;

function budgetRows(): string {
  const lines = ['cost_center,category,month,amount,currency,version'];
  for (let m = 1; m <= 12; m++) {
    const month = `2026-${String(m).padStart(2, '0')}`;
    lines.push(`PLAT,Cloud,${month},10000,USD,budget`);
    lines.push(`PLAT,,${month},2500.50,USD,budget`);
    lines.push(`DATA,Cloud,${month},7000,EUR,budget`);
    lines.push(`PLAT,Cloud,${month},11000,USD,forecast`);
  }
  return `${lines.join('\n')}\n`;
}

/** People: two finops, two itfm, one holding both, itfm scoped to PLAT and to ENG, PLAT's owner. */
/** The admin who sets the organisation up. */
export const setupAdmin = 'setup@example.com';

export const people: ReadonlyArray<[string, string, string?]> = [
  ['fin@example.com', 'finops'],
  ['fin2@example.com', 'finops'],
  ['ita@example.com', 'itfm'],
  ['itb@example.com', 'itfm'],
  ['both@example.com', 'finops'],
  ['both@example.com', 'itfm'],
  ['itplat@example.com', 'itfm', 'PLAT'],
  ['iteng@example.com', 'itfm', 'ENG'],
  ['owner@example.com', 'owner', 'PLAT'],
];

/** Imports the cost centers and budgets and adds the people. */
export async function setUpOrganisation(tdb: TestDatabase): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'costbridge-savings-'));
  try {
    await writeFile(join(dir, 'cost-centers.csv'), costCentersCsv);
    await writeFile(join(dir, 'budgets.csv'), budgetRows());
    expect((await cli(tdb, 'import', 'cost-centers', join(dir, 'cost-centers.csv'))).code).toBe(0);
    const b = await cli(tdb, 'import', 'budgets', join(dir, 'budgets.csv'));
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // The first admin of a fresh database may be named by anyone; everything after is done as that admin.
  const first = await cli(tdb, 'people', 'add', setupAdmin, '--role', 'admin', '--as', setupAdmin);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  for (const [user, role, cc] of people) {
    const r = await cli(tdb, 'people', 'add', user, '--role', role, ...(cc ? ['--cost-center', cc] : []), '--as', setupAdmin);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
}
