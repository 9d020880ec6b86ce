/** A minimal valid FOCUS 1.0 row; tests override the cells they care about. */
export const baseFocusRow: Record<string, string> = {
  BilledCost: '10.00',
  BillingAccountId: 'acct-1',
  BillingAccountName: 'Main',
  BillingCurrency: 'USD',
  BillingPeriodStart: '2024-09-01T00:00:00Z',
  BillingPeriodEnd: '2024-10-01T00:00:00Z',
  ChargeCategory: 'Usage',
  ChargeClass: '',
  ChargeDescription: 'compute hours',
  ChargePeriodStart: '2024-09-02T00:00:00Z',
  ChargePeriodEnd: '2024-09-03T00:00:00Z',
  ContractedCost: '10.00',
  EffectiveCost: '9.00',
  InvoiceIssuerName: 'Nimbus',
  ListCost: '12.00',
  PricingQuantity: '24',
  PricingUnit: 'Hours',
  ProviderName: 'Nimbus',
  PublisherName: 'Nimbus',
  ServiceCategory: 'Compute',
  ServiceName: 'Virtual Machines',
  SubAccountId: 'sub-1',
  Tags: '{"CostCenter":"CC-100","env":"prod"}',
};

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Billing period cells of month `YYYY-MM` and a half-hour charge period starting at `day`, `hour` (UTC). */
export function focusPeriodCells(month: string, day: string, hour: string): Record<string, string> {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return {
    BillingPeriodStart: `${month}-01T00:00:00Z`,
    BillingPeriodEnd: new Date(Date.UTC(y, m, 1)).toISOString(),
    ChargePeriodStart: `${month}-${day}T${hour}:00:00Z`,
    ChargePeriodEnd: `${month}-${day}T${hour}:30:00Z`,
  };
}

/** CSV text for rows given as column → cell maps (columns from the first row, unless `columns` is given). */
export function focusCsv(rows: readonly Record<string, string>[], options: { columns?: readonly string[]; eol?: string } = {}): string {
  const columns = options.columns ?? Object.keys(rows[0] ?? baseFocusRow);
  const eol = options.eol ?? '\n';
  const lines = [columns.map(quote).join(',')];
  for (const row of rows) lines.push(columns.map((c) => quote(row[c] ?? '')).join(','));
  return lines.join(eol) + eol;
}

/** `count` rows of the base row with `overrides` applied to each (a function gets the row index). */
export function focusRows(
  count: number,
  overrides: Record<string, string> | ((i: number) => Record<string, string>) = {},
): Record<string, string>[] {
  return Array.from({ length: count }, (_, i) => ({
    ...baseFocusRow,
    ...(typeof overrides === 'function' ? overrides(i) : overrides),
  }));
}
