// Turns the FOCUS specification's small commitment-discount illustrations (test/fixtures/
// focus-spec-examples, CC BY 4.0) into complete FOCUS files the real importer accepts.
//
// The conversion is mechanical and adds no cost figure:
// - a UTF-8 byte-order mark is dropped, blank lines between rows are skipped;
// - a cell reading `null` (any case) becomes an empty cell, FOCUS's null;
// - every column of the illustration is kept as given (cost columns included: a missing ListCost or
//   ContractedCost stays missing, i.e. null, and is never guessed);
// - the mandatory columns an illustration lacks are added with fixed descriptive values:
//   BillingAccountId `spec-<n>` (one account per scenario, so importing several scenarios never
//   restates another one's slice), BillingAccountName, BillingCurrency `USD`, ChargeClass empty,
//   ChargeDescription naming the scenario and row, InvoiceIssuerName/ProviderName/PublisherName
//   `FOCUS spec example`, ServiceCategory `Compute`, ServiceName `Virtual Machines`, and empty
//   PricingQuantity/PricingUnit/ListCost/ContractedCost where absent;
// - Tags `{"CostCenter": <cost center>}` is added so the lines attribute to the test's cost center.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { focusCsv } from '../support/focus-csv.js';

/** The folder holding the copied illustrations. */
export const specExamplesDir = fileURLToPath(new URL('../fixtures/focus-spec-examples/', import.meta.url));

const added: Readonly<Record<string, (scenario: string, account: string, line: number) => string>> = {
  BillingAccountId: (_s, account) => account,
  BillingAccountName: (s) => `FOCUS spec example: ${s}`,
  BillingCurrency: () => 'USD',
  ChargeClass: () => '',
  ChargeDescription: (s, _a, line) => `${s}, row ${line}`,
  InvoiceIssuerName: () => 'FOCUS spec example',
  ProviderName: () => 'FOCUS spec example',
  PublisherName: () => 'FOCUS spec example',
  ServiceCategory: () => 'Compute',
  ServiceName: () => 'Virtual Machines',
  PricingQuantity: () => '',
  PricingUnit: () => '',
  ListCost: () => '',
  ContractedCost: () => '',
};

/** The illustration's rows as column → cell maps, `null` read as empty, blank lines skipped. */
export function readSpecExample(file: string): Record<string, string>[] {
  const text = readFileSync(`${specExamplesDir}${file}`, 'utf8').replace(/^\uFEFF/, '');
  const rows = parse(text, { skip_empty_lines: true }) as string[][];
  const [header = [], ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), /^null$/i.test(r[i] ?? '') ? '' : (r[i] ?? '')])));
}

/** A complete FOCUS CSV built from one illustration (see the conversion rules above). */
export function specExampleFocusCsv(file: string, options: { account: string; costCenter: string }): string {
  const scenario = file.replace(/\.csv$/, '');
  const rows = readSpecExample(file).map((row, i) => {
    const out: Record<string, string> = { ...row };
    for (const [column, value] of Object.entries(added)) {
      if (!(column in out)) out[column] = value(scenario, options.account, i + 1);
    }
    out['Tags'] = JSON.stringify({ CostCenter: options.costCenter });
    return out;
  });
  return focusCsv(rows);
}
